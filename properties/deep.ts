// `npm run properties:deep`: the long run of the property suite, from built JS
// (`npm run build` first, which the script does; plain node avoids a test runner's
// overhead and loads binaryen quickly). RUNS (default 100000) random programs are
// checked for tier agreement (programs with loops, conds and random draws included),
// RUNS/10 for jit transparency, for the `exact: false` bound and for autodiff's
// reverse = forward = finite differences, RUNS/50 for jit(grad) in every tier, in chunks of 10000 with
// consecutive seeds from SEED (random when unset), so a failure prints the seed and
// path of its own chunk to replay it:
//
//   npm run properties:deep -- --runs 10000 --seed 123   (or RUNS=... SEED=...; other flags are refused)
//   SEED=<chunk seed> PROPERTIES_PATH=<path> npx vitest run properties/agreement.test.ts  # replay

import type fc from "fast-check";
import "../tiers/wasm/host-node.js";
import { availableTiers } from "../vm/tiers.js";
import { checkAgreement } from "./agree.js";
import { minimizeCase } from "./minimize.js";
import { arbCase, opsOf, type Case } from "./recipe.js";
import { arbChain, checkRelaxed, type RelaxedTally } from "./relaxed.js";
import { assertProperty } from "./runner.js";
import { arbTwoSignatures, checkTransparency } from "./transparency.js";
import { arbAdCase, checkAdModes, checkAdTiers } from "./autodiff.js";
import { parseFlags } from "./flags.js";

const CHUNK = 10_000;

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) {
    console.error(`properties:deep: ${name}=${JSON.stringify(v)} is not an integer`);
    process.exit(2);
  }
  return n;
}

function runChunked<T>(name: string, arb: fc.Arbitrary<T>, check: (x: T) => void, total: number, seed: number, minimize?: (x: T, fails: (v: T) => boolean) => T): number {
  let done = 0;
  for (let chunk = 0; done < total; chunk++) {
    const n = Math.min(CHUNK, total - done);
    const t0 = performance.now();
    assertProperty(name, arb, check, { numRuns: n, seed: seed + chunk }, minimize);
    done += n;
    console.log(`  ${name}: ${done}/${total} (chunk seed ${seed + chunk}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return done;
}

let flags: { runs?: number; seed?: number };
try {
  flags = parseFlags(process.argv.slice(2));
} catch (e) {
  console.error(`properties:deep: ${(e as Error).message}`);
  process.exit(2);
}
const runs = flags.runs ?? envInt("RUNS", 100_000);
const seed = flags.seed ?? envInt("SEED", (Math.random() * 2 ** 31) | 0);
console.log(`properties:deep: seed ${seed}, tiers ${availableTiers().join(", ")}`);
const t0 = performance.now();
try {
  // How many programs had a step of each op (a step whose operand does not suit it is skipped, so "had", not "ran").
  const usage = new Map<string, number>();
  const tallied = (c: Case) => {
    for (const op of opsOf(c.recipe.steps)) usage.set(op, (usage.get(op) ?? 0) + 1);
    checkAgreement(c);
  };
  const agreed = runChunked("tiers agree", arbCase, tallied, runs, seed, minimizeCase);
  console.log(`  programs per op: ${[...usage].sort(([a], [b]) => (a < b ? -1 : 1)).map(([op, n]) => `${op} ${n}`).join(", ")}`);
  const transparent = runChunked("jit transparency", arbTwoSignatures, checkTransparency, Math.ceil(runs / 10), seed);
  const tally: RelaxedTally = { checked: 0, skipped: 0, maxUlps: 0, maxUsed: 0 };
  const relaxed = availableTiers().includes("js") ? runChunked("exact: false bound", arbChain, (c) => checkRelaxed(c, tally), Math.ceil(runs / 10), seed) : 0;
  const adSeen = { checked: 0, fd: 0 };
  const adModes = runChunked("autodiff: reverse = forward = differences", arbAdCase, (c) => checkAdModes(c, adSeen), Math.ceil(runs / 10), seed);
  const adTiers = runChunked("autodiff: jit(grad) bits in every tier", arbAdCase, checkAdTiers, Math.ceil(runs / 50), seed);
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(`properties:deep: OK: ${agreed} random programs agreed in every configuration, ${transparent} passed jit transparency, ${relaxed} chains kept exact: false within its bound (${tally.checked} elements checked, ${tally.skipped} without a bound; at most ${(tally.maxUsed * 100).toFixed(1)}% of a bound used), ` +
    `${adModes} differentiable programs had reverse = forward mode (${adSeen.checked} with finite derivatives, ${adSeen.fd} also against central differences), ${adTiers} gave eager grad's bits in every tier (seed ${seed}, ${s} s)`);
} catch (e) {
  console.error(`properties:deep: FAILED (seed ${seed})\n${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
