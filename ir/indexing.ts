// Indexing ops (ir/ops.ts IndexOp), defined once here and in ir/kernels/gather.ts.
//
// - slice [x] {starts, steps}: a static strided view, out[i] = x[starts + i * steps]
//   per axis (the output shape is the value's); steps may be negative. The rank is
//   kept: dropping an indexed axis is a reshape after it.
// - gather [x, idx] {axis}: out = x.shape[:axis] ++ idx.shape ++ x.shape[axis+1:],
//   out[p, i, q] = x[p, j, q] with j = idx[i], plus n when negative, clamped to
//   [0, n - 1] (JAX's default for traced indices; a static out-of-range index is an
//   IndexError before any op is emitted).
// - scatter [x, idx, upd] {axis, mode}: a copy of x, then for every element of upd in
//   row-major order, x[p, j, q] = combine(x[p, j, q], upd[p, i, q]) with j = idx[i];
//   j outside [0, n) is dropped (no negative wrap: callers normalise first, and
//   segment ids must not wrap). Row-major order is index order, so repeated indices
//   accumulate in that order and the last `set` wins.
// - dynamicSlice [x, starts] {sizes}: the window of `sizes` at `starts` (int32, one
//   per axis: an instruction has at most three operands, tier 0's bytecode width),
//   each plus n when negative, then clamped to [0, n - size] (lax semantics).
// - dynamicUpdateSlice [x, upd, starts]: a copy of x with that window (sized as upd)
//   replaced by upd.

import type { BinaryOp } from "./ops.js";
import { stridesOf, type Shape } from "./shape.js";

export interface SliceParams {
  readonly starts: readonly number[];
  readonly steps: readonly number[];
}

export const SCATTER_MODES = ["set", "add", "mul", "min", "max"] as const;
export type ScatterMode = (typeof SCATTER_MODES)[number];

/** The elementwise op each scatter mode combines with (set: none, the update replaces). bool add/mul are refused by the op table; the front end maps them to max/min (or/and). */
export const SCATTER_COMBINE: { readonly [K in ScatterMode]: BinaryOp | null } = {
  set: null,
  add: "add",
  mul: "mul",
  min: "minimum",
  max: "maximum",
};

/** The start offset and per-axis strides of a static slice of `shape`. */
export function sliceView(shape: Shape, params: SliceParams): { start: number; strides: number[] } {
  const st = stridesOf(shape);
  let start = 0;
  shape.forEach((_, d) => (start += params.starts[d]! * st[d]!));
  return { start, strides: st.map((s, d) => s * params.steps[d]!) };
}

/** A gather's index: numpy's negative wrap, then JAX's clamp into [0, n - 1]. */
export function gatherIndex(j: number, n: number): number {
  if (j < 0) j += n;
  return j < 0 ? 0 : j > n - 1 ? n - 1 : j;
}

/** A dynamic window's start along an axis of size n for a window of `size`: wrap once, then clamp so it fits. */
export function windowStart(s: number, n: number, size: number): number {
  if (s < 0) s += n;
  const hi = n - size;
  return s < 0 ? 0 : s > hi ? hi : s;
}

/** Splits a shape around `axis`: the product of the axes before it, its size, the product after it. */
export function around(shape: Shape, axis: number): { P: number; n: number; Q: number } {
  let P = 1;
  let Q = 1;
  for (let d = 0; d < axis; d++) P *= shape[d]!;
  for (let d = axis + 1; d < shape.length; d++) Q *= shape[d]!;
  return { P, n: shape[axis]!, Q };
}
