// Reference kernels of the indexing ops (semantics: ir/indexing.ts). Elements are
// copied as stored numbers, so every value (NaN, -0) arrives unchanged.

import type { DType, TypedArray } from "../dtype.js";
import { ELEMENTWISE } from "../ops.js";
import { around, gatherIndex, SCATTER_COMBINE, sliceView, windowStart, type ScatterMode, type SliceParams } from "../indexing.js";
import { sizeOf, stridesOf, type Shape } from "../shape.js";
import { stridedRead } from "./movement.js";

export function slice(data: TypedArray, shape: Shape, outShape: Shape, params: SliceParams, out: TypedArray): void {
  const { start, strides } = sliceView(shape, params);
  stridedRead(data, outShape, strides, out, start);
}

export function gather(data: TypedArray, shape: Shape, axis: number, idx: TypedArray, out: TypedArray): void {
  const { P, n, Q } = around(shape, axis);
  const M = idx.length;
  let o = 0;
  for (let p = 0; p < P; p++) {
    for (let i = 0; i < M; i++) {
      const base = (p * n + gatherIndex(idx[i]!, n)) * Q;
      for (let q = 0; q < Q; q++) out[o++] = data[base + q]!;
    }
  }
}

export function scatter(dt: DType, data: TypedArray, shape: Shape, axis: number, mode: ScatterMode, idx: TypedArray, upd: TypedArray, out: TypedArray): void {
  out.set(data);
  const { P, n, Q } = around(shape, axis);
  const M = idx.length;
  const op = SCATTER_COMBINE[mode];
  const f = op === null ? null : ELEMENTWISE[op].scalar[dt]!;
  for (let p = 0; p < P; p++) {
    for (let i = 0; i < M; i++) {
      const j = idx[i]!;
      if (j < 0 || j >= n) continue;
      const base = (p * n + j) * Q;
      const u = (p * M + i) * Q;
      if (f === null) for (let q = 0; q < Q; q++) out[base + q] = upd[u + q]!;
      else for (let q = 0; q < Q; q++) out[base + q] = f(out[base + q]!, upd[u + q]!, 0);
    }
  }
}

/** The base offset of the window of `sizes` at `starts` (int32, one per axis) in `shape`. */
export function windowBase(shape: Shape, sizes: readonly number[], starts: TypedArray): number {
  const st = stridesOf(shape);
  let base = 0;
  shape.forEach((n, d) => (base += windowStart(starts[d]!, n, sizes[d]!) * st[d]!));
  return base;
}

export function dynamicSlice(data: TypedArray, shape: Shape, sizes: readonly number[], starts: TypedArray, out: TypedArray): void {
  if (sizeOf(sizes) === 0) return;
  stridedRead(data, sizes, stridesOf(shape), out, windowBase(shape, sizes, starts));
}

export function dynamicUpdateSlice(data: TypedArray, shape: Shape, upd: TypedArray, updShape: Shape, starts: TypedArray, out: TypedArray): void {
  out.set(data);
  if (upd.length === 0) return;
  const base = windowBase(shape, updShape, starts);
  const strides = stridesOf(shape);
  const rank = updShape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = base;
  for (let i = 0; i < upd.length; i++) {
    out[off] = upd[i]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < updShape[d]!) break;
      off -= strides[d]! * updShape[d]!;
      idx[d] = 0;
    }
  }
}
