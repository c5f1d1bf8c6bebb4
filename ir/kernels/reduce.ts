// Reference kernels for reductions and matmul. Both fix one summation order that the
// SIMD tier can run natively: the terms of each output, taken in row-major order of
// the reduced index j, go to partial p[j % 4]; the result is (p0 + p1) + (p2 + p3).
// Every partial starts at -0 (the additive identity); an empty sum is +0.

import type { DType, TypedArray } from "../dtype.js";
import { ELEMENTWISE, REDUCE, type ReduceOp } from "../ops.js";
import { offsetTable, sizeOf, stridesOf, type Shape } from "../shape.js";
import { InternalError } from "../errors.js";

/** Reduces `data` (shape `shape`, dtype `dt`) over sorted `axes` into `out`. */
export function reduce(op: ReduceOp, dt: DType, data: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void {
  const def = REDUCE[op];
  const scalar = ELEMENTWISE[def.combine].scalar[dt];
  if (!scalar) throw new InternalError(`${op} has no ${dt} semantics`);
  const comb = (acc: number, x: number) => scalar(acc, x, 0);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const strides = stridesOf(shape);
  const keptShape = kept.map((i) => shape[i]!);
  const keptStrides = kept.map((i) => strides[i]!);
  const redShape = axes.map((i) => shape[i]!);
  const redStrides = axes.map((i) => strides[i]!);
  const m = sizeOf(redShape);
  const nOut = sizeOf(keptShape);
  const start = def.start(dt);
  const empty = def.empty(dt) ?? start;
  // Offsets of the reduced elements relative to an output's base, in row-major order.
  const inner = offsetTable(redShape, redStrides);
  const outer = offsetTable(keptShape, keptStrides);
  for (let o = 0; o < nOut; o++) {
    const base = outer[o]!;
    if (m === 0) {
      out[o] = empty;
      continue;
    }
    let p0 = start, p1 = start, p2 = start, p3 = start;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      p0 = comb(p0, data[base + inner[j]!]!);
      p1 = comb(p1, data[base + inner[j + 1]!]!);
      p2 = comb(p2, data[base + inner[j + 2]!]!);
      p3 = comb(p3, data[base + inner[j + 3]!]!);
    }
    if (j < m) p0 = comb(p0, data[base + inner[j++]!]!);
    if (j < m) p1 = comb(p1, data[base + inner[j++]!]!);
    if (j < m) p2 = comb(p2, data[base + inner[j++]!]!);
    out[o] = comb(comb(p0, p1), comb(p2, p3));
  }
}


/** [M,K]·[K,N] → [M,N] in dtype `dt` (float32, float64 or int32). */
export function matmul(dt: DType, a: TypedArray, b: TypedArray, M: number, K: number, N: number, out: TypedArray): void {
  const mul = ELEMENTWISE.mul.scalar[dt];
  const add = ELEMENTWISE.add.scalar[dt];
  if (!mul || !add) throw new InternalError(`matmul has no ${dt} semantics`);
  const z = dt === "int32" ? 0 : -0;
  for (let i = 0; i < M; i++) {
    const row = i * K;
    for (let j = 0; j < N; j++) {
      if (K === 0) {
        out[i * N + j] = 0;
        continue;
      }
      let p0 = z, p1 = z, p2 = z, p3 = z;
      let k = 0;
      for (; k + 4 <= K; k += 4) {
        p0 = add(p0, mul(a[row + k]!, b[k * N + j]!, 0), 0);
        p1 = add(p1, mul(a[row + k + 1]!, b[(k + 1) * N + j]!, 0), 0);
        p2 = add(p2, mul(a[row + k + 2]!, b[(k + 2) * N + j]!, 0), 0);
        p3 = add(p3, mul(a[row + k + 3]!, b[(k + 3) * N + j]!, 0), 0);
      }
      if (k < K) { p0 = add(p0, mul(a[row + k]!, b[k * N + j]!, 0), 0); k++; }
      if (k < K) { p1 = add(p1, mul(a[row + k]!, b[k * N + j]!, 0), 0); k++; }
      if (k < K) { p2 = add(p2, mul(a[row + k]!, b[k * N + j]!, 0), 0); k++; }
      out[i * N + j] = add(add(p0, p1, 0), add(p2, p3, 0), 0);
    }
  }
}
