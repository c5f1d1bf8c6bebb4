// Tier-1 buffer planning: where every value a kernel reads or writes lives.
//
//   input   the caller's array (per call)
//   const   the program's constant (bound once)
//   scratch a buffer allocated once per signature and reused by later kernels as soon
//           as its value is dead (keyed by dtype and length, as in tier 0)
//   result  a fresh array per call: results are handed to the caller, never reused
//   state   a Variable's new value: written straight into `dest[k]` when that is
//           safe, else into a staging buffer copied to `dest[k]` after every kernel ran
//
// No-clobber rule (tiers/tier.ts): `dest[k]` may be the very buffer of an input. Whether
// a state's new value may go straight into input j's buffer is ir/buffers.ts's
// mayWriteOver (tier 1 evaluates contraction prologues inside the main loop:
// `prologue: "fused"`); at run time a state output whose dest is input j goes straight
// to dest only where the plan allows it for j.
// A reshape that is not an output aliases its operand's buffer and runs no code.

import { allocate, type TypedArray } from "../../ir/dtype.js";
import { kernelSteps, mayWriteOver, planBuffers as planStorage } from "../../ir/buffers.js";
import type { Kernel } from "../../ir/kernel.js";
import type { Program } from "../../ir/program.js";
import { sizeOf } from "../../ir/shape.js";

export type Slot =
  | { readonly kind: "input"; readonly j: number }
  | { readonly kind: "const" | "scratch"; readonly buf: TypedArray }
  | { readonly kind: "result" | "state"; readonly k: number };

export interface Plan {
  readonly slotOf: ReadonlyMap<number, Slot>;
  /** Kernels that run (alias reshapes removed), with the program's kernel index. */
  readonly steps: readonly { readonly kernel: Kernel; readonly index: number }[];
  /** Output positions whose value no kernel wrote into that position: copied at the end. */
  readonly copies: readonly { readonly k: number; readonly from: Slot }[];
  /** For each state position k: the staging buffer, and the step writing it directly (-1: copied). */
  readonly stage: readonly TypedArray[];
  readonly stateWriter: readonly number[];
  /** overwrite[k][j]: state k's writer may write straight into input j's buffer (ir/buffers.ts mayWriteOver). */
  readonly overwrite: readonly Uint8Array[];
}

export function planBuffers(p: Program, kernels: readonly Kernel[]): Plan {
  const slotOf = new Map<number, Slot>();
  p.inputs.forEach((id, j) => slotOf.set(id, { kind: "input", j }));
  for (const [id, buf] of p.consts) slotOf.set(id, { kind: "const", buf });
  const nResults = p.outputs.length - p.stateOutputs;
  const outPos = new Map<number, number>(); // value -> first output position it fills directly
  p.outputs.forEach((v, k) => {
    if (!outPos.has(v) && !p.inputs.includes(v) && !p.consts.has(v)) outPos.set(v, k);
  });
  const size = (id: number) => sizeOf(p.values[id]!.shape);
  // Step indices are kernel indices; alias reshapes (not outputs) run no code.
  const bp = planStorage(p, kernelSteps(p, kernels, "fused"), (v) => outPos.has(v));
  const steps = kernels.flatMap((kernel, index) => (bp.alias[index] ? [] : [{ kernel, index }]));
  const copies: { k: number; v: number }[] = [];
  p.outputs.forEach((v, k) => {
    if (outPos.get(v) !== k) copies.push({ k, v });
  });

  const free = new Map<string, TypedArray[]>();
  const keyOf = (id: number) => `${p.values[id]!.dtype}:${size(id)}`;
  const stateWriter = new Array<number>(p.stateOutputs).fill(-1);
  for (const { kernel, index: s } of steps) {
    for (const v of kernel.writes) {
      const k = outPos.get(v);
      if (k !== undefined) {
        slotOf.set(v, k < nResults ? { kind: "result", k } : { kind: "state", k });
        if (k >= nResults) stateWriter[k - nResults] = s;
      } else {
        const buf = free.get(keyOf(v))?.pop() ?? allocate(p.values[v]!.dtype, size(v));
        slotOf.set(v, { kind: "scratch", buf });
      }
    }
    // Buffers whose value dies here are free for later kernels (not this one: no in-place).
    for (const v of bp.dying[s]!) {
      const sl = slotOf.get(v);
      if (sl?.kind === "scratch") {
        const key = keyOf(v);
        (free.get(key) ?? free.set(key, []).get(key)!).push(sl.buf);
      }
    }
  }
  kernels.forEach((_, s) => {
    if (bp.alias[s]) slotOf.set(kernels[s]!.writes[0]!, slotOf.get(bp.root[kernels[s]!.writes[0]!]!)!);
  });

  const overwrite = stateWriter.map((s) => Uint8Array.from(p.inputs, (id) => (s >= 0 && mayWriteOver(bp, id, s) ? 1 : 0)));
  const stage = Array.from({ length: p.stateOutputs }, (_, i) => {
    const v = p.outputs[nResults + i]!;
    return allocate(p.values[v]!.dtype, size(v));
  });
  return {
    slotOf, steps, stage, stateWriter, overwrite,
    copies: copies.map(({ k, v }) => ({ k, from: slotOf.get(v)! })),
  };
}
