// The inspect report: plain JSON-serialisable data about a jitted function, and its
// readable rendering (`explain()`).

import type { TierName } from "../tiers/tier.js";

export interface TierEvent {
  /** How many calls the signature had completed when this happened (0 = at trace time). */
  call: number;
  /** Previous tier, or null for the first compilation. */
  from: TierName | null;
  to: TierName;
  compileMs: number;
  reason: string;
}

export interface SignatureReport {
  /** Shapes/dtypes of the array arguments and values of static ones, e.g. `f32[100000]`. */
  signature: string;
  calls: number;
  /** The tier the signature runs in now (its calls start there). */
  tier: TierName;
  /** Where its last call finished: a faster tier when on-stack replacement moved the call up mid-way. */
  lastCallFinishedIn: TierName;
  meanMs: number;
  /** Why this signature was traced: which argument differed from the cached ones. */
  traceReason: string;
  /** The optimised IR. */
  ir: string;
  /** Tier-0 bytecode listing. */
  bytecode: string;
  /** Per tier this signature was compiled in, the kernels that tier compiled (tier 1 after its split policy, tier 2 after its one-pass merges). */
  kernels: Partial<Record<TierName, string>>;
  /** Generated JS (tier 1), once compiled. */
  js?: string;
  /** WebAssembly text (tier 2), once compiled. */
  wat?: string;
  events: TierEvent[];
  /** Advice about this signature, e.g. a very long trace from an unrolled JS loop. */
  warnings: string[];
}

export interface InspectReport {
  name: string;
  calls: number;
  /** Where the most recent call finished (on-stack replacement included). */
  tier: TierName;
  /** Signatures evicted so far (least recently used first) to keep at most `maxSignatures`. */
  evictedSignatures: number;
  /** Advice about the function, e.g. that it retraces on (nearly) every call, naming the argument that keeps changing. */
  warnings: string[];
  signatures: SignatureReport[];
}

const indent = (s: string, pad = "    ") => s.split("\n").map((l) => pad + l).join("\n");

export function explain(r: InspectReport): string {
  const out = [`jit(${r.name}): ${r.calls} calls, ${r.signatures.length} signature(s)${r.evictedSignatures ? ` (${r.evictedSignatures} evicted)` : ""}, last call finished in ${r.tier}`];
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  r.signatures.forEach((s, i) => {
    const moved = s.lastCallFinishedIn !== s.tier ? ` (last call finished in ${s.lastCallFinishedIn})` : "";
    out.push(`  [${i}] (${s.signature}): ${s.calls} calls, tier ${s.tier}${moved}, ${s.meanMs.toFixed(3)} ms/call`);
    out.push(`      traced because: ${s.traceReason}`);
    for (const w of s.warnings) out.push(`      warning: ${w}`);
    for (const e of s.events) {
      out.push(`      at call ${e.call}: ${e.from ?? "trace"} -> ${e.to} (${e.compileMs.toFixed(2)} ms): ${e.reason}`);
    }
    out.push("      IR:", indent(s.ir, "        "));
  });
  return out.join("\n");
}
