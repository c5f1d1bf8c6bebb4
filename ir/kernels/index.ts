// One entry to the reference kernels: evaluates one IR instruction on concrete data.
// Eager mode, constant folding and the tier-0 interpreter all call this, so there is
// exactly one definition of what each op computes.

import type { TypedArray } from "../dtype.js";
import { InternalError } from "../errors.js";
import { isElementwise } from "../ops.js";
import { drawInto } from "../random.js";
import { isArgReduceInstr, isReduceInstr, isScanInstr, isSortInstr, type Instr, type ValueInfo } from "../program.js";
import { elementwise } from "./elementwise.js";
import { concat, remap } from "./assembly.js";
import { broadcast, flip, transpose } from "./movement.js";
import { dynamicSlice, dynamicUpdateSlice, gather, scatter, slice } from "./gather.js";
import { matmul, reduce } from "./reduce.js";
import { spmv } from "./sparse.js";
import { argReduce, scan, sortAlong } from "./scan.js";

export function runInstr(ins: Instr, values: readonly ValueInfo[], args: readonly TypedArray[], out: TypedArray): void {
  const o = values[ins.out]!;
  const v0 = values[ins.args[0]!]!;
  if (isElementwise(ins.op)) {
    const op = ins.op;
    const ops = args.map((data, i) => ({ data, shape: values[ins.args[i]!]!.shape }));
    // `where`'s operand dtype is that of its value operands, not of the bool condition.
    const dt = op === "where" ? values[ins.args[1]!]!.dtype : v0.dtype;
    elementwise(op, dt, o.dtype, ops, o.shape, out);
  } else if (isReduceInstr(ins)) {
    reduce(ins.op, v0.dtype, args[0]!, v0.shape, ins.axes, out);
  } else if (isArgReduceInstr(ins)) {
    argReduce(ins.op, v0.dtype, args[0]!, v0.shape, ins.axes, out);
  } else if (isScanInstr(ins)) {
    scan(ins.op, v0.dtype, args[0]!, v0.shape, ins.axis, out);
  } else if (isSortInstr(ins)) {
    sortAlong(ins.op, args[0]!, v0.shape, ins.axis, out);
  } else if (ins.op === "matmul") {
    // [M,K]x[K,N], or a batch [B,M,K]x[B,K,N] of equal products one after another.
    const [M, K] = v0.shape.slice(-2) as [number, number];
    const N = o.shape[o.shape.length - 1]!;
    const B = v0.shape.length === 3 ? v0.shape[0]! : 1;
    for (let t = 0; t < B; t++) {
      const at = args[0]!.subarray(t * M * K, (t + 1) * M * K);
      const bt = args[1]!.subarray(t * K * N, (t + 1) * K * N);
      matmul(o.dtype, at, bt, M, K, N, out.subarray(t * M * N, (t + 1) * M * N));
    }
  } else if (ins.op === "reshape") {
    out.set(args[0]!);
  } else if (ins.op === "transpose") {
    transpose(args[0]!, v0.shape, ins.perm, out);
  } else if (ins.op === "flip") {
    flip(args[0]!, v0.shape, ins.along, out);
  } else if (ins.op === "remap") {
    remap(args[0]!, ins.offsets, out);
  } else if (ins.op === "concat") {
    concat(args, ins.args.map((a) => values[a]!.shape), ins.axis, out);
  } else if (ins.op === "broadcast") {
    broadcast(args[0]!, v0.shape, o.shape, out);
  } else if (ins.op === "slice") {
    slice(args[0]!, v0.shape, o.shape, ins, out);
  } else if (ins.op === "gather") {
    gather(args[0]!, v0.shape, ins.axis, args[1]!, out);
  } else if (ins.op === "scatter") {
    scatter(v0.dtype, args[0]!, v0.shape, ins.axis, ins.mode, args[1]!, args[2]!, out);
  } else if (ins.op === "dynamicSlice") {
    dynamicSlice(args[0]!, v0.shape, ins.sizes, args[1]!, out);
  } else if (ins.op === "dynamicUpdateSlice") {
    dynamicUpdateSlice(args[0]!, v0.shape, args[1]!, values[ins.args[1]!]!.shape, args[2]!, out);
  } else if (ins.op === "spmv") {
    spmv(o.dtype, ins, args[0]!, args[1]!, values[ins.args[1]!]!.shape.length === 0, args[2]!, values[ins.args[2]!]!.dtype === "bool", out);
  } else if (ins.op === "random") {
    drawInto(ins.dist, args[0]![0]!, args[0]![1]!, out as Float32Array);
  } else {
    const op = ins.op;
    op satisfies "loop" | "while" | "cond";
    // Control flow runs sub-programs, which only an executor (a tier) can do.
    throw new InternalError(`runInstr cannot run control op ${op}`);
  }
}

export { elementwise, reduce, matmul, transpose, broadcast };
