// Shape repairs shared by the program builder (build.ts) and its control-flow steps
// (control.ts). Each depends only on shapes and dtypes, never on values, so an eager
// run and a traced run of the same recipe make the same repairs.

import type { DType } from "../ir/dtype.js";
import { sizeOf, type Shape } from "../ir/shape.js";
import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";
import { MAX_SIZE } from "./recipe.js";

export function broadcastable(a: Shape, b: Shape): number[] | null {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `y`, or `y` reshaped/reduced so that it broadcasts against `target` to a small result. */
export function fit(target: Shape, y: NDArray): NDArray {
  const b = broadcastable(target, y.shape);
  if (b && sizeOf(b) <= 4 * MAX_SIZE) return y;
  if (y.size === sizeOf(target)) return np.reshape(y, target);
  return np.sum(y);
}

/** `val` made into exactly `shape` and `dtype` (reshape, broadcast, or sum then broadcast; then cast), as a Variable or a carry needs. */
export function fitTo(val: NDArray, shape: Shape, dtype: DType): NDArray {
  if (!sameShape(val.shape, shape)) {
    if (val.size === sizeOf(shape)) val = np.reshape(val, shape);
    else {
      const b = broadcastable(val.shape, shape);
      if (!b || !sameShape(b, shape)) val = np.sum(val);
      val = np.broadcastTo(val, shape);
    }
  }
  return np.astype(val, dtype);
}

/** A step parameter as source text (JSON would print NaN and Infinity as null). */
export function show(x: unknown): string {
  if (typeof x === "number") return Object.is(x, -0) ? "-0" : String(x);
  if (Array.isArray(x)) return `[${x.map(show).join(", ")}]`;
  return x === undefined ? "undefined" : JSON.stringify(x);
}
