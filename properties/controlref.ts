// Control-flow instructions (loop, while, cond) run by a reference executor that the
// caller supplies for their sub-programs: the fused reference tier (fusedref.ts) and
// the mutant tiers (mutants.ts) run programs with the reference kernels, which cannot
// run control ops themselves (ir/kernels runInstr). Inputs and results follow
// ir/program.ts `LoopParams`, `WhileParams` and `CondParams`.

import { allocate, type TypedArray } from "../ir/dtype.js";
import type { ControlInstr, Program } from "../ir/program.js";
import { sizeOf } from "../ir/shape.js";

export type RunProgram = (p: Program, inputs: readonly TypedArray[]) => TypedArray[];

/** Runs control instruction `ins` on `args`; `trips` may change a loop's trip count (mutants). */
export function runControlRef(ins: ControlInstr, args: readonly TypedArray[], run: RunProgram, trips: (n: number) => number = (n) => n): TypedArray[] {
  if (ins.op === "cond") return run(args[0]![0] ? ins.subs[0] : ins.subs[1], args.slice(1));
  const nC = ins.nCarry;
  let carries = args.slice(0, nC);
  if (ins.op === "while") {
    const rest = args.slice(nC);
    const [test, step] = ins.subs;
    while (run(test, [...carries, ...rest])[0]![0]) carries = run(step, [...carries, ...rest]);
    return carries;
  }
  const nX = ins.nXs;
  const xs = args.slice(nC, nC + nX);
  const captured = args.slice(nC + nX);
  const n = Math.max(0, ins.hi - ins.lo);
  const [body] = ins.subs;
  const ys = body.outputs.slice(nC).map((id) => {
    const v = body.values[id]!;
    return { rows: allocate(v.dtype, n * sizeOf(v.shape)), size: sizeOf(v.shape) };
  });
  for (let row = 0; row < trips(n); row++) {
    const rows = xs.map((x) => x.subarray((row * x.length) / n, ((row + 1) * x.length) / n));
    const outs = run(body, [Int32Array.of(ins.lo + row), ...carries, ...rows, ...captured]);
    carries = outs.slice(0, nC);
    ys.forEach((y, k) => y.rows.set(outs[nC + k]!, row * y.size));
  }
  return [...carries, ...ys.map((y) => y.rows)];
}
