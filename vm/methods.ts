// The fluent NDArray methods (`x.mul(2).tanh().sum(0)`). Every unary, binary and
// reduction op of the table (ir/ops.ts) is a method of the same name, generated here
// from the op lists; the others are listed once below. They are installed on the
// prototype from this module, not written in the class, so that vm/ndarray.ts does not
// import vm/ops.ts (which imports NDArray): no import cycle. vm/np.ts imports this
// module, so every program that can make an array has the methods.

import type { DType } from "../ir/dtype.js";
import { ARG_REDUCE_OPS, BINARY_OPS, REDUCE_OPS, SCAN_OPS, SORT_OPS, UNARY_OPS, type ArgReduceOp, type BinaryOp, type ReduceOp, type ScanOp, type SortOp, type UnaryOp } from "../ir/ops.js";
import { NDArray, type ArrayLike, type Axis, type ReduceOptions } from "./ndarray.js";
import * as assembly from "./assembly.js";
import * as ops from "./ops.js";
import * as statistics from "./statistics.js";
import type { VarOptions } from "./statistics.js";
import * as linalg from "./linalg.js";

type UnaryMethods = { [K in UnaryOp]: () => NDArray };
type BinaryMethods = { [K in BinaryOp]: (y: ArrayLike) => NDArray };
type ReduceMethods = { [K in ReduceOp]: (axis?: Axis | ReduceOptions, keepdims?: boolean) => NDArray };
type ArgReduceMethods = { [K in ArgReduceOp]: (axis?: ops.OneAxis, keepdims?: boolean) => NDArray };
type ScanMethods = { [K in ScanOp]: (axis?: ops.OneAxis) => NDArray };
type SortMethods = { [K in SortOp]: (axis?: number | null | { axis?: number | null }) => NDArray };
interface OtherMethods {
  astype(dtype: DType): NDArray;
  mean(axis?: Axis | ReduceOptions, keepdims?: boolean): NDArray;
  var(axis?: Axis | VarOptions, keepdims?: boolean | VarOptions): NDArray;
  std(axis?: Axis | VarOptions, keepdims?: boolean | VarOptions): NDArray;
  dot(y: ArrayLike): NDArray;
  matmul(y: ArrayLike): NDArray;
  reshape(...shape: number[] | [readonly number[]]): NDArray;
  transpose(...perm: number[] | [readonly number[]]): NDArray;
  flip(axis?: Axis): NDArray;
  expandDims(axis: number): NDArray;
  squeeze(axis?: Axis): NDArray;
  broadcastTo(shape: readonly number[]): NDArray;
  ravel(): NDArray;
  flatten(): NDArray;
  swapaxes(axis1: number, axis2: number): NDArray;
  repeat(repeats: number | readonly number[], axis?: number | null): NDArray;
  where(x: ArrayLike, y: ArrayLike): NDArray;
  square(): NDArray;
  clip(lo: ArrayLike, hi: ArrayLike): NDArray;
}

declare module "./ndarray.js" {
  interface NDArray extends UnaryMethods, BinaryMethods, ReduceMethods, ArgReduceMethods, ScanMethods, SortMethods, OtherMethods {
    /** The transpose (all axes reversed). */
    readonly T: NDArray;
  }
}

type Impl<T> = { [K in keyof T]: T[K] extends (...a: infer A) => NDArray ? (this: NDArray, ...a: A) => NDArray : never };

const other: Impl<OtherMethods> = {
  astype(dtype) { return ops.astype(this, dtype); },
  mean(axis, keepdims) { return ops.mean(this, axis, keepdims); },
  var(axis, keepdims) { return statistics.variance(this, axis, keepdims); },
  std(axis, keepdims) { return statistics.std(this, axis, keepdims); },
  dot(y) { return linalg.dot(this, y); },
  matmul(y) { return linalg.matmul(this, y); },
  reshape(...shape) { return ops.reshape(this, ...shape); },
  transpose(...perm) { return ops.transpose(this, ...perm); },
  flip(axis) { return ops.flip(this, axis); },
  expandDims(axis) { return ops.expandDims(this, axis); },
  squeeze(axis) { return ops.squeeze(this, axis); },
  broadcastTo(shape) { return ops.broadcastTo(this, shape); },
  ravel() { return assembly.ravel(this); },
  flatten() { return assembly.ravel(this); },
  swapaxes(axis1, axis2) { return assembly.swapaxes(this, axis1, axis2); },
  repeat(repeats, axis) { return assembly.repeat(this, repeats, axis); },
  where(x, y) { return ops.where(this, x, y); },
  square() { return ops.square(this); },
  clip(lo, hi) { return ops.clip(this, lo, hi); },
};

function install(name: string, value: (this: NDArray, ...a: never[]) => NDArray): void {
  // Non-enumerable, as class methods are.
  Object.defineProperty(NDArray.prototype, name, { value, writable: true, configurable: true });
}

const fns = ops.elementwiseFns;
for (const op of UNARY_OPS) install(op, function (this: NDArray) { return fns[op](this); });
for (const op of BINARY_OPS) install(op, function (this: NDArray, y: ArrayLike) { return fns[op](this, y); });
for (const op of REDUCE_OPS) {
  install(op, function (this: NDArray, axis?: Axis | ReduceOptions, keepdims?: boolean) { return ops.reductions[op](this, axis, keepdims); });
}
for (const op of ARG_REDUCE_OPS) {
  install(op, function (this: NDArray, axis?: ops.OneAxis, keepdims?: boolean) { return ops.argReductions[op](this, axis, keepdims); });
}
for (const op of SCAN_OPS) install(op, function (this: NDArray, axis?: ops.OneAxis) { return ops.scans[op](this, axis); });
for (const op of SORT_OPS) install(op, function (this: NDArray, axis?: number | null | { axis?: number | null }) { return ops.sorts[op](this, axis); });
for (const [name, fn] of Object.entries(other)) install(name, fn);
install("remainder", function (this: NDArray, y: ArrayLike) { return fns.mod(this, y); });
Object.defineProperty(NDArray.prototype, "T", { get(this: NDArray) { return ops.transpose(this); }, configurable: true });
