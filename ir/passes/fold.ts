// Constant folding: an instruction whose operands are all constants is evaluated now
// with the reference kernels, and its result becomes a constant. Folding never
// materialises a large broadcast: results bigger than their largest operand (and
// than a small bound) stay instructions.

import { allocate } from "../dtype.js";
import { runInstr } from "../kernels/index.js";
import { isControl } from "../ops.js";
import type { Instr, Program } from "../program.js";
import { sizeOf } from "../shape.js";

const SMALL = 64;

export function fold(p: Program): Program {
  const consts = new Map(p.consts);
  const body: Instr[] = [];
  for (const ins of p.body) {
    const args = ins.args.map((a) => consts.get(a));
    const n = sizeOf(p.values[ins.out]!.shape);
    const biggest = Math.max(0, ...args.map((a) => a?.length ?? 0));
    const foldable = !isControl(ins.op) && ins.op !== "random";
    if (foldable && args.every((a) => a !== undefined) && (n <= SMALL || n <= biggest)) {
      const out = allocate(p.values[ins.out]!.dtype, n);
      runInstr(ins, p.values, args as NonNullable<(typeof args)[number]>[], out);
      consts.set(ins.out, out);
    } else body.push(ins);
  }
  return { ...p, consts, body };
}
