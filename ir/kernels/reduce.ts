// Reference kernels for reductions and matmul. Both fix one summation order that the
// SIMD tier can run natively.
//
// Reductions (every REDUCE op, so there is one order to reproduce): the terms of each
// output, in row-major order of the reduced index j, are cut into blocks of
// REDUCE_BLOCK terms. Within a block, term j goes to partial p[j % 4] (partials start
// at the op's start value) and the block's value is (p0 + p1) + (p2 + p3). Block values
// are merged as a binary counter (foldBlocks): after block b, the top two entries of a
// stack are merged while b + 1 has trailing zero bits, then the stack is folded from
// the top. That is pairwise summation over blocks, streamed with a stack of at most
// log2(blocks) + 1 values, so the rounding error of a float sum grows with
// REDUCE_BLOCK / 4 + 2 log2(m / REDUCE_BLOCK) instead of m / 4 (CONTRIBUTING.md states
// the bound). A reduction of at most REDUCE_BLOCK terms is one block: the old order.
// An empty reduction is the op's empty value.
//
// Matmul: the terms of each output go to partial p[k % 4], partials start at -0, and
// the result is (p0 + p1) + (p2 + p3).

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
    out[o] = foldBlocks(m, comb, (lo, hi) => {
      let p0 = start, p1 = start, p2 = start, p3 = start;
      let j = lo;
      for (; j + 4 <= hi; j += 4) {
        p0 = comb(p0, data[base + inner[j]!]!);
        p1 = comb(p1, data[base + inner[j + 1]!]!);
        p2 = comb(p2, data[base + inner[j + 2]!]!);
        p3 = comb(p3, data[base + inner[j + 3]!]!);
      }
      if (j < hi) p0 = comb(p0, data[base + inner[j++]!]!);
      if (j < hi) p1 = comb(p1, data[base + inner[j++]!]!);
      if (j < hi) p2 = comb(p2, data[base + inner[j++]!]!);
      return comb(comb(p0, p1), comb(p2, p3));
    });
  }
}

/** Terms per block of a reduction (a multiple of 4, so block boundaries keep j % 4). */
export const REDUCE_BLOCK = 256;

/**
 * The reduction of m > 0 terms from its blocks' values (block(lo, hi) reduces terms
 * [lo, hi)): pairwise over blocks as a binary counter. The earlier value is always the
 * left operand.
 */
export function foldBlocks(m: number, comb: (a: number, b: number) => number, block: (lo: number, hi: number) => number): number {
  const stack: number[] = [];
  for (let b = 0, lo = 0; lo < m; b++, lo += REDUCE_BLOCK) {
    let v = block(lo, Math.min(lo + REDUCE_BLOCK, m));
    for (let c = b + 1; (c & 1) === 0; c >>= 1) v = comb(stack.pop()!, v);
    stack.push(v);
  }
  let r = stack.pop()!;
  while (stack.length > 0) r = comb(stack.pop()!, r);
  return r;
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
