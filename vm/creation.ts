// The creation routines numpy has beyond zeros/ones/full/arange/linspace (./construct.ts):
// eye, identity, tri, the *Like family, and triu/tril. The matrices are built
// concretely (their shapes are static), so under jit they are constants; triu/tril on
// a traced array are `where(mask, x, 0)` with a constant mask: existing ops, so every
// tier, the passes and autodiff get them without a rule of their own.

import { allocate, type DType } from "../ir/dtype.js";
import { ArgumentError, ShapeError, fmtShape, requireStatic, show } from "../ir/errors.js";
import { checkSize } from "../ir/shape.js";
import { dtypeArg, full, trailingOptions, type DTypeArg } from "./construct.js";
import { NDArray, type ArrayLike } from "./ndarray.js";
import { asArray, broadcastTo, castTo, where } from "./ops.js";

/** A static integer argument (a size when `min` is 0, a diagonal offset otherwise). */
function intArg(where: string, name: string, v: unknown, min = -Infinity): number {
  requireStatic(`${where}: ${name}`, v);
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(`${where}: ${name} must be ${min === 0 ? "a non-negative integer" : "an integer"}, got ${show(v)}`);
  }
  return v;
}

/** An n x m array of dtype `dt` holding 1 in columns [lo, hi) of row i (`cols(i)`, clamped), else 0. */
function matrix(where: string, n: number, m: number, dt: DType, cols: (i: number) => readonly [number, number]): NDArray {
  checkSize(where, [n, m], dt);
  const out = allocate(dt, n * m);
  for (let i = 0; i < n; i++) {
    const [lo, hi] = cols(i);
    const a = Math.max(0, lo);
    const b = Math.min(m, hi);
    if (a < b) out.fill(1, i * m + a, i * m + b);
  }
  return new NDArray([n, m], dt, out);
}

/** n, m (default n, null too) and k (default 0) of eye and tri, then the dtype. */
function squareArgs(where: string, args: readonly unknown[]): { n: number; m: number; k: number; dt: DType } {
  const { pos, options } = trailingOptions(where, args, ["n", "m", "k"]);
  const n = intArg(where, "n", pos[0], 0);
  const m = pos[1] === undefined || pos[1] === null ? n : intArg(where, "m", pos[1], 0);
  const k = pos[2] === undefined ? 0 : intArg(where, "k", pos[2]);
  return { n, m, k, dt: dtypeArg(where, options) };
}

/** numpy's eye: an n x m (default n x n) array with ones on diagonal k (0 the main one, > 0 above it). */
export function eye(n: number, dtype?: DTypeArg): NDArray;
export function eye(n: number, m?: number | null, dtype?: DTypeArg): NDArray;
export function eye(n: number, m: number | null | undefined, k: number, dtype?: DTypeArg): NDArray;
export function eye(...args: unknown[]): NDArray {
  const { n, m, k, dt } = squareArgs("np.eye", args);
  return matrix("np.eye", n, m, dt, (i) => [i + k, i + k + 1]);
}

/** The n x n identity matrix. */
export function identity(n: number, dtype?: DTypeArg): NDArray {
  return eye(intArg("np.identity", "n", n, 0), dtype);
}

/** numpy's tri: ones on and below diagonal k of an n x m (default n x n) array. */
export function tri(n: number, dtype?: DTypeArg): NDArray;
export function tri(n: number, m?: number | null, dtype?: DTypeArg): NDArray;
export function tri(n: number, m: number | null | undefined, k: number, dtype?: DTypeArg): NDArray;
export function tri(...args: unknown[]): NDArray {
  const { n, m, k, dt } = squareArgs("np.tri", args);
  return matrix("np.tri", n, m, dt, (i) => [0, i + k + 1]);
}

/** Keeps columns cols(row) of the last two axes, zero elsewhere (numpy's triu/tril). */
function triangle(op: string, x: ArrayLike, k: number | undefined, cols: (i: number, m: number, k: number) => readonly [number, number]): NDArray {
  const a = asArray(op, x);
  const kk = k === undefined ? 0 : intArg(op, "k", k);
  if (a.ndim < 2) throw new ShapeError(`${op}: needs an array of at least 2 dimensions (a matrix or a stack of them), got shape ${fmtShape(a.shape)}`);
  const [n, m] = a.shape.slice(-2) as [number, number];
  const mask = matrix(op, n, m, "bool", (i) => cols(i, m, kk));
  // A strong zero of x's own dtype: a weak 0 would lift bool to int32.
  return where(mask, a, full([], 0, a.dtype, op));
}

/** The upper triangle: elements on and above diagonal k of the last two axes, zero below. */
export function triu(x: ArrayLike, k?: number): NDArray {
  return triangle("np.triu", x, k, (i, m, kk) => [i + kk, m]);
}

/** The lower triangle: elements on and below diagonal k of the last two axes, zero above. */
export function tril(x: ArrayLike, k?: number): NDArray {
  return triangle("np.tril", x, k, (i, _m, kk) => [0, i + kk + 1]);
}

/** The shape and dtype (default: x's) of a *Like routine. x may be traced: only its type is read. */
function likeOf(where: string, x: ArrayLike, dtype: unknown): { shape: readonly number[]; dt: DType } {
  const a = x instanceof NDArray && x._weak === undefined ? x : asArray(where, x);
  return { shape: a.shape, dt: dtypeArg(where, dtype, a.dtype) };
}

/** Zeros with the shape and dtype of x (or `dtype`). */
export function zerosLike(x: ArrayLike, dtype?: DTypeArg): NDArray {
  const { shape, dt } = likeOf("np.zerosLike", x, dtype);
  return full(shape, 0, dt, "np.zerosLike");
}

/** Ones with the shape and dtype of x (or `dtype`). */
export function onesLike(x: ArrayLike, dtype?: DTypeArg): NDArray {
  const { shape, dt } = likeOf("np.onesLike", x, dtype);
  return full(shape, 1, dt, "np.onesLike");
}

/**
 * `value` in the shape and dtype of x (or `dtype`), cast as numpy's full_like casts it
 * (`fullLike(int32 array, 2.7)` is 2). An array value (a traced number, say) broadcasts.
 */
export function fullLike(x: ArrayLike, value: ArrayLike, dtype?: DTypeArg): NDArray {
  const { shape, dt } = likeOf("np.fullLike", x, dtype);
  if (typeof value === "number" || typeof value === "boolean") return full(shape, value, dt, "np.fullLike");
  return broadcastTo(castTo(asArray("np.fullLike", value, 1), dt), shape);
}
