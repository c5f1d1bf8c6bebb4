// The op constructors derivative rules (ir/autodiff/rules.ts) build with: NDArray's
// np-level ops, so a derivative runs eagerly on concrete arrays and is recorded under
// a trace, exactly like the user's own code.

import type { AdOps } from "../../ir/autodiff/rules.js";
import { allocate, type DType } from "../../ir/dtype.js";
import { shapesEqual } from "../../ir/shape.js";
import { arange } from "../construct.js";
import { NDArray } from "../ndarray.js";
import { broadcastTo, castTo, elementwiseFns, emit, flip, reductions, reshape, scans, sorts, transpose, where } from "../ops.js";
import { matmul } from "../linalg.js";

export const ND: AdOps<NDArray> = {
  un: (op, x) => elementwiseFns[op](x),
  bin: (op, x, y) => elementwiseFns[op](x, y),
  where: (c, x, y) => where(c, x, y),
  cast: (x, dt) => castTo(x, dt),
  sum: (x, axes, keepdims) => (axes.length === 0 ? x : reductions.sum(x, axes, keepdims)),
  prod: (x, axes, keepdims) => (axes.length === 0 ? x : reductions.prod(x, axes, keepdims)),
  cumsum: (x, axis) => scans.cumsum(x, axis),
  argsort: (x, axis) => sorts.argsort(x, axis),
  iota: (n) => arange(0, n, 1, "int32"),
  reshape: (x, shape) => reshape(x, shape),
  broadcast: (x, shape) => broadcastTo(x, shape),
  transpose: (x, perm) => transpose(x, perm),
  flip: (x, along) => (along.length === 0 ? x : flip(x, along)),
  matmul: (a, b) => matmul(a, b),
  zeros: (shape, dt) => zeros(shape, dt),
  op: (op, args, shape, dtype, ...params) => emit(op, args, { shape, dtype }, ...params),
  constInt: (data, shape) => new NDArray(shape, "int32", data),
  full: (shape, value, dt) => full(shape, value, dt),
  reemit: (ins, args, like) => {
    const { op, args: _a, out: _o, ...params } = ins as typeof ins & Record<string, unknown>;
    return (emit as (op: string, x: readonly NDArray[], info: unknown, params: unknown) => NDArray)(op, args, { shape: like.shape, dtype: like.dtype }, params);
  },
};

/** `value` as a broadcast scalar: under a trace one small constant, not a buffer of the full size. */
function full(shape: readonly number[], value: number, dt: DType): NDArray {
  const data = allocate(dt, 1);
  data[0] = value;
  const z = new NDArray([], dt, data);
  return shape.length === 0 ? z : broadcastTo(z, shape);
}

export function zeros(shape: readonly number[], dt: DType): NDArray {
  return full(shape, 0, dt);
}

/** `ct` (of a broadcast result's shape) summed back to an operand's `shape`. */
export function unbroadcast(ct: NDArray, shape: readonly number[]): NDArray {
  if (shapesEqual(ct.shape, shape)) return ct;
  const lead = ct.shape.length - shape.length;
  const axes: number[] = [];
  ct.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const s = axes.length === 0 ? ct : reductions.sum(ct, axes, true);
  return reshape(s, shape);
}

export { emit };
