// Which tiers exist, and the promotion policy. Tiers register here; the jit runtime
// asks for them by name and never imports a tier module directly.

import { ArgumentError, TierUnavailableError, show } from "../ir/errors.js";
import { interpreterTier } from "../tiers/interpreter/index.js";
import { jsTier } from "../tiers/js/index.js";
import { wasmTier } from "../tiers/wasm/index.js";
import { TIER_ORDER, type Tier, type TierName } from "../tiers/tier.js";

const registry = new Map<TierName, Tier>([["interpreter", interpreterTier], ["js", jsTier], ["wasm", wasmTier]]);

let generation = 0;

export function registerTier(t: Tier): void {
  registry.set(t.name, t);
  generation++;
}

/** Changes whenever a tier is registered or replaced: caches of compiled code (vm/eager.ts) key on it. */
export function tierGeneration(): number {
  return generation;
}

export function getTier(name: TierName): Tier | undefined {
  return registry.get(name);
}

export function availableTiers(): TierName[] {
  return TIER_ORDER.filter((n) => registry.has(n));
}

export function checkTierName(what: string, name: unknown): TierName {
  if (!TIER_ORDER.includes(name as TierName)) {
    throw new ArgumentError(`${what}: unknown tier ${show(name)}; use ${TIER_ORDER.map((t) => `"${t}"`).join(", ")}`);
  }
  if (!registry.has(name as TierName)) {
    throw new TierUnavailableError(`${what}: tier "${name}" is not available in this build of tierjit (available: ${availableTiers().join(", ")})`);
  }
  return name as TierName;
}

/** Promotion thresholds out of a tier: whichever of calls or cumulative milliseconds comes first. */
export interface Hotness {
  calls?: number;
  ms?: number;
}

// js: `node dist/perf/bench.js tierup` (gelu, 16 to 65,536 elements, on a loaded
// 2-core machine) measured tier-1 compile (fuse + plan + codegen + new Function, from
// a cold kernel cache) at 0.08-0.12 ms, and tier 1 saving 35-90% of a tier-0 call at
// every size: promotion pays for itself after 1-4 calls, or 0.11-0.28 ms spent in
// tier 0. The thresholds sit at that break-even (3 calls) and a few times above it
// (1 ms), so that a signature used once or twice on small data never pays a compile,
// while anything in a loop, or one call that dwarfs the compile, moves up at once.
//
//
// wasm: `node dist/perf/bench.js tierup2` measured what a background tier-2 compile
// costs the calling thread (lowering + instantiation; binaryen builds on its worker)
// at 0.3-1.1 ms for gelu and the LIF step, paid back after 0.2-17 calls or 0.4-1.2 ms
// spent in tier 1. The call threshold sits a few times above that (30). The time
// threshold cannot: in a fresh process the first tier-1 calls spend milliseconds on
// V8 warming up (ten calls of gelu on 1,000 elements: 17 ms, then 0.1 ms each), and
// the first promotion starts binaryen's load (~0.4 s of a core, ~100 MB), which a
// program that is not hot should never pay (lazy.test.ts). 5 ms failed that test;
// 30 ms stays clear of warm-up noise.
export const DEFAULT_HOTNESS: Readonly<Record<Exclude<TierName, "interpreter">, Required<Hotness>>> = {
  js: { calls: 3, ms: 1 },
  wasm: { calls: 30, ms: 30 },
};

export { TIER_ORDER };
export type { Tier, TierName };
