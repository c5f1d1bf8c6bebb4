// Deliberately broken tiers, to prove the suite catches a tier that is subtly wrong.
// A mutant is an ordinary Tier (tiers/tier.ts): it runs a program with the reference
// kernels, exactly like tier 0, except that one op's results are perturbed in a way a
// real tier bug could perturb them. Tests register it in place of a real tier through
// vm/tiers.ts `registerTier`, so it reaches the suite through the same interface as
// tiers 1 and 2 do; no source is edited.

import { allocate, type TypedArray } from "../ir/dtype.js";
import { runInstr } from "../ir/kernels/index.js";
import { f32Bits, f32FromBits } from "../ir/math/bits.js";
import type { Op } from "../ir/ops.js";
import { isControlInstr, resultsOf, type Program } from "../ir/program.js";
import { sizeOf } from "../ir/shape.js";
import type { Executable, Tier, TierName } from "../tiers/tier.js";
import { runControlRef } from "./controlref.js";

export interface Mutation {
  readonly op: Op;
  readonly doc: string;
  /** Perturbs the results `out` (of dtype `dtype`) of one instruction of `op`, in place. */
  perturb(out: TypedArray, dtype: string): void;
  /** For op "loop": the trip count the mutant runs instead of n. */
  trips?(n: number): number;
}

/** exp off by one ulp (upward) whenever its float32 result lies in [1, 2): x in [0, ln 2). */
export const EXP_ONE_ULP: Mutation = {
  op: "exp",
  doc: "float32 exp one ulp too large for results in [1, 2)",
  perturb(out, dtype) {
    if (dtype !== "float32") return;
    for (let i = 0; i < out.length; i++) {
      const y = out[i]!;
      if (y >= 1 && y < 2) out[i] = f32FromBits(f32Bits(y) + 1);
    }
  },
};

/** maximum that loses the sign of zero (the classic `a > b ? a : b` family of bugs). */
export const MAX_SIGNED_ZERO: Mutation = {
  op: "maximum",
  doc: "maximum returns -0 wherever the result is zero",
  perturb(out, dtype) {
    if (dtype !== "float32" && dtype !== "float64") return;
    for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = -0;
  },
};

function execute(program: Program, m: Mutation, inputs: readonly TypedArray[], dest?: readonly (TypedArray | undefined)[]): TypedArray[] {
  const vals: TypedArray[] = new Array(program.values.length);
  program.inputs.forEach((id, i) => (vals[id] = inputs[i]!));
  for (const [id, data] of program.consts) vals[id] = data;
  for (const ins of program.body) {
    if (isControlInstr(ins)) {
      const outs = runControlRef(ins, ins.args.map((a) => vals[a]!), (sub, xs) => execute(sub, m, xs), ins.op === m.op ? m.trips : undefined);
      resultsOf(ins).forEach((r, k) => (vals[r] = outs[k]!));
      continue;
    }
    const info = program.values[ins.out]!;
    const out = allocate(info.dtype, sizeOf(info.shape));
    runInstr(ins, program.values, ins.args.map((a) => vals[a]!), out);
    if (ins.op === m.op) m.perturb(out, info.dtype);
    vals[ins.out] = out;
  }
  // Copy every output before writing any destination: a destination may be an input.
  const outs = program.outputs.map((id) => vals[id]!.slice());
  const nResults = program.outputs.length - program.stateOutputs;
  return outs.map((o, k) => {
    const d = k >= nResults ? dest?.[k] : undefined;
    if (!d) return o;
    d.set(o);
    return d;
  });
}

/** A loop (forLoop or scan) of two or more iterations that stops one iteration early. */
export const LOOP_ONE_SHORT: Mutation = {
  op: "loop",
  doc: "a loop of two or more iterations stops one iteration early",
  perturb() {},
  trips: (n) => (n > 1 ? n - 1 : n),
};

/** A tier that answers to `name` and runs programs like tier 0 with mutation `m`. */
export function mutantTier(name: TierName, m: Mutation): Tier {
  return {
    name,
    compile(program: Program): Executable {
      return {
        tier: name,
        run: (inputs, dest) => execute(program, m, inputs, dest),
        describe: () => `mutant ${name}: reference kernels, but ${m.doc}`,
      };
    },
  };
}
