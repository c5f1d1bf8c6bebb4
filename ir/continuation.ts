// On-stack replacement needs a program that finishes a loop from where it is: the
// continuation of a `loop` instruction at iteration `from` (or of a `while` with its
// current carries). Its inputs are the loop's live state, so an executor can hand
// the state it has to a faster tier's compiled continuation and copy the results back.
//
//   loop:  inputs (...carries, ...xs rows from..hi, ...captured) -> (...final carries, ...ys rows from..hi)
//   while: inputs (...carries, ...captured)        -> (...final carries)

import { ProgramBuilder, type InstrOf, type Program, type ValueInfo } from "./program.js";

export function continuation(ins: InstrOf<"loop" | "while">, values: readonly ValueInfo[], from: number): Program {
  const b = new ProgramBuilder();
  const outs = ins.outs;
  const nC = ins.nCarry;
  const nX = ins.op === "loop" ? ins.nXs : 0;
  const rows = Math.max(0, (ins.op === "loop" ? ins.hi : 0) - from);
  // A scan's xs are passed from row `from` on: the continuation's loop slices them from its own lo.
  const info = (a: number, k: number): ValueInfo =>
    k < nC ? values[outs[k]!]! : k < nC + nX ? { shape: [rows, ...values[a]!.shape.slice(1)], dtype: values[a]!.dtype } : values[a]!;
  const inputs = ins.args.map((a, k) => b.input(info(a, k), k < nC ? `carry${k}` : `arg${k}`));
  if (ins.op === "loop") {
    const hi = ins.hi;
    const infos = outs.map((o, k) => (k < nC ? values[o]! : { shape: [rows, ...values[o]!.shape.slice(1)], dtype: values[o]!.dtype }));
    const res = b.emitMulti("loop", inputs, infos, { subs: ins.subs, lo: from, hi, nCarry: nC, nXs: ins.nXs });
    return b.finish(res, res.map((_, k) => `out${k}`));
  }
  if (ins.op === "while") {
    const res = b.emitMulti("while", inputs, outs.map((o) => values[o]!), { subs: ins.subs, nCarry: nC });
    return b.finish(res, res.map((_, k) => `out${k}`));
  }
  return ins satisfies never;
}
