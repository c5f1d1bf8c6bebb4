// Reference kernels for ops that only move data. Arrays are always contiguous and
// row-major, so transpose and broadcast produce copies; reshape is a plain copy here
// (tiers alias it instead when the source buffer stays alive).

import type { TypedArray } from "../dtype.js";
import { broadcastStrides, sizeOf, stridesOf, type Shape } from "../shape.js";

export function transpose(data: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  stridedRead(data, outShape, perm.map((p) => inStrides[p]!), out);
}

export function broadcast(data: TypedArray, shape: Shape, outShape: Shape, out: TypedArray): void {
  if (data.length === 1) {
    out.fill(data[0]!);
    return;
  }
  stridedRead(data, outShape, broadcastStrides(shape, outShape), out);
}

/** The start offset and per-axis strides that read `shape` with the axes `along` reversed. */
export function flipView(shape: Shape, along: readonly number[]): { start: number; strides: number[] } {
  const strides = stridesOf(shape);
  let start = 0;
  for (const a of along) {
    if (shape[a]! > 0) start += (shape[a]! - 1) * strides[a]!;
    strides[a] = -strides[a]!;
  }
  return { start, strides };
}

export function flip(data: TypedArray, shape: Shape, along: readonly number[], out: TypedArray): void {
  const { start, strides } = flipView(shape, along);
  stridedRead(data, shape, strides, out, start);
}

/** out[i] = data[offset(i)] where offset walks `outShape` with per-axis `strides` from `start`. */
export function stridedRead(data: TypedArray, outShape: Shape, strides: readonly number[], out: TypedArray, start = 0): void {
  const n = sizeOf(outShape);
  const rank = outShape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = start;
  for (let i = 0; i < n; i++) {
    out[i] = data[off]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < outShape[d]!) break;
      off -= strides[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}
