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
// No-clobber rule (tiers/tier.ts): `dest[k]` may be the very buffer of an input. The
// plan records, for each input, the last kernel that reads it (END if the final
// copies read it) and whether the writing kernel reads it only element-aligned (read
// at i, then written at i). At run time a state output whose dest is input j goes
// straight to dest only if no later kernel needs input j's old value.
// A reshape that is not an output aliases its operand's buffer and runs no code.

import { allocate, type TypedArray } from "../../ir/dtype.js";
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
  /** For each input j: the last step reading it (steps.length = the final copies), -1 if none. */
  readonly lastRead: Int32Array;
  /** alignedOnly[step] = inputs that step reads only at the index it writes. */
  readonly alignedOnly: readonly ReadonlySet<number>[];
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

  // Alias reshapes (not outputs): their value shares the operand's buffer.
  const root = new Map<number, number>();
  const rootOf = (id: number): number => root.get(id) ?? id;
  const steps: { kernel: Kernel; index: number }[] = [];
  kernels.forEach((kernel, index) => {
    if (kernel.kind === "single" && kernel.main.op === "reshape" && !outPos.has(kernel.main.out)) {
      root.set(kernel.main.out, rootOf(kernel.main.args[0]!));
    } else steps.push({ kernel, index });
  });

  // Last step reading each (root) value; outputs copied at the end count as read at END.
  const END = steps.length;
  const last = new Map<number, number>();
  steps.forEach(({ kernel }, s) => kernel.reads.forEach((v) => last.set(rootOf(v), s)));
  const copies: { k: number; v: number }[] = [];
  p.outputs.forEach((v, k) => {
    if (outPos.get(v) !== k) {
      copies.push({ k, v });
      last.set(rootOf(v), END);
    }
  });

  const free = new Map<string, TypedArray[]>();
  const keyOf = (id: number) => `${p.values[id]!.dtype}:${size(id)}`;
  const stateWriter = new Array<number>(p.stateOutputs).fill(-1);
  steps.forEach(({ kernel }, s) => {
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
    for (const v of new Set(kernel.reads.map(rootOf))) {
      const sl = slotOf.get(v);
      if (last.get(v) === s && sl?.kind === "scratch") {
        const key = keyOf(v);
        (free.get(key) ?? free.set(key, []).get(key)!).push(sl.buf);
      }
    }
  });
  for (const [v, r] of root) slotOf.set(v, slotOf.get(r)!);

  const lastRead = new Int32Array(p.inputs.length).fill(-1);
  p.inputs.forEach((id, j) => (lastRead[j] = last.get(id) ?? -1));
  const alignedOnly = steps.map(({ kernel }) => alignedInputs(p, kernel, rootOf));
  const stage = Array.from({ length: p.stateOutputs }, (_, i) => {
    const v = p.outputs[nResults + i]!;
    return allocate(p.values[v]!.dtype, size(v));
  });
  return {
    slotOf, steps, stage, stateWriter, lastRead, alignedOnly,
    copies: copies.map(({ k, v }) => ({ k, from: slotOf.get(v)! })),
  };
}

/** Program inputs that `k` reads only at the linear index it writes (so writing over them in place is safe). */
function alignedInputs(p: Program, k: Kernel, rootOf: (id: number) => number): Set<number> {
  const out = new Set<number>();
  if (k.kind === "single") return out;
  const n = sizeOf((k.kind === "elementwise" ? k.shape : p.values[k.main.out]!.shape));
  const unaligned = new Set<number>();
  const consider = (ins: readonly { args: readonly number[] }[], aligned: boolean) => {
    for (const ins1 of ins) for (const a of ins1.args) (aligned && sizeOf(p.values[a]!.shape) === n ? out : unaligned).add(rootOf(a));
  };
  if (k.kind === "elementwise") consider(k.body, true);
  else {
    consider(k.prologue, false);
    consider([k.main], false);
    consider(k.epilogue, true);
  }
  for (const u of unaligned) out.delete(u);
  return new Set(p.inputs.flatMap((id, j) => (out.has(id) ? [j] : [])));
}
