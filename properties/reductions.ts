// Error bounds of sum, mean and matmul, derived from their canonical summation orders
// (ir/kernels/reduce.ts). matmul: the terms of one output go round-robin into 4 partial
// sums, combined as (p0 + p1) + (p2 + p3). sum and mean do that per block of
// REDUCE_BLOCK (B) terms and merge the nb = ceil(n/B) block values pairwise (a binary
// counter, then the stack folded from the top: a tree of depth at most 2 ceil(log2 nb)).
// A term then passes through at most
//   m = ceil(min(n, B)/4) + 2 + 2 ceil(log2 nb)
// roundings (its lane's additions, two combining additions, the merges), so
//
//   |computed - exact| <= gamma(m) * sum |x_i|,   gamma(m) = m*u / (1 - m*u)
//
// with u = 2^-24 (float32) or 2^-53 (float64) (Higham, Accuracy and Stability of
// Numerical Algorithms, 2nd ed., sections 4.2 and 4.6). For n = 2e6 float32 terms that is
// m = 92 against ceil(n/4) + 2 = 500,002 for one round-robin pass. matmul (no blocks)
// rounds each product once more (m + 1) and may lose up to half the smallest subnormal
// per product to underflow. mean divides the sum once more (one more rounding of the
// result). int32 sums and products wrap, and wrapping addition is associative, so they
// must be exact. max and min are exact in any order. The reference sum is computed in
// float64 with Neumaier's compensation, far more accurate than the bounds checked.
//
// Beyond the bound, float results must be EXACTLY those of the documented order,
// restated here independently of the kernels (canonicalSum): an accurate sum in another
// order would still break bit-identity between tiers, and only this check notices
// when the reference kernel itself drifts from the documented order.

import type { DType } from "../ir/dtype.js";

const U: Record<"float32" | "float64", number> = { float32: 2 ** -24, float64: 2 ** -53 };
const TINY: Record<"float32" | "float64", number> = { float32: 2 ** -149, float64: Number.MIN_VALUE };

export function gamma(m: number, dtype: "float32" | "float64"): number {
  const mu = m * U[dtype];
  return mu / (1 - mu);
}

/** Neumaier-compensated float64 sum, and the sum of magnitudes. */
export function refSum(terms: readonly number[]): { sum: number; abs: number } {
  let s = 0;
  let c = 0;
  let abs = 0;
  for (const x of terms) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
    abs += Math.abs(x);
  }
  return { sum: s + c, abs };
}

/** Exact int32 wrap-around sum. */
export function wrapSum(terms: readonly number[]): number {
  let s = 0;
  for (const x of terms) s = (s + x) | 0;
  return s;
}

/** Terms per block of a sum (ir/kernels/reduce.ts REDUCE_BLOCK, restated). */
export const BLOCK = 256;

/** Round-robin: term j into partial j % 4 (each from -0), then (p0 + p1) + (p2 + p3); empty = +0. */
export function roundRobinSum(terms: readonly number[], dtype: "float32" | "float64"): number {
  const r = dtype === "float32" ? Math.fround : (x: number) => x;
  if (terms.length === 0) return 0;
  const p = [-0, -0, -0, -0];
  terms.forEach((x, j) => (p[j % 4] = r(p[j % 4]! + x)));
  return r(r(p[0]! + p[1]!) + r(p[2]! + p[3]!));
}

/** A sum's documented order: round-robin per block of BLOCK terms, blocks merged pairwise as a binary counter. */
export function canonicalSum(terms: readonly number[], dtype: "float32" | "float64"): number {
  const r = dtype === "float32" ? Math.fround : (x: number) => x;
  if (terms.length <= BLOCK) return roundRobinSum(terms, dtype);
  const stack: number[] = [];
  for (let b = 0; b * BLOCK < terms.length; b++) {
    let v = roundRobinSum(terms.slice(b * BLOCK, (b + 1) * BLOCK), dtype);
    for (let c = b + 1; c % 2 === 0; c /= 2) v = r(stack.pop()! + v);
    stack.push(v);
  }
  let s = stack.pop()!;
  while (stack.length > 0) s = r(stack.pop()! + s);
  return s;
}

export type Contraction = "sum" | "mean" | "matmul";

/**
 * Why `got` violates the bound for one output whose exact terms are `terms` (for
 * matmul, the exact products a*b in float64), or null if it is within it.
 */
export function checkContraction(kind: Contraction, dtype: DType, terms: readonly number[], got: number): string | null {
  if (dtype === "int32") {
    const want = wrapSum(terms);
    return got === want ? null : `int32 ${kind} must wrap exactly: want ${want}`;
  }
  if (dtype !== "float32" && dtype !== "float64") return `unexpected dtype ${dtype}`;
  const n = terms.length;
  if (n === 0) {
    const want = kind === "mean" ? NaN : 0;
    return Object.is(got, want) || (want !== want && got !== got) ? null : `an empty ${kind} must be ${want}`;
  }
  const r = dtype === "float32" ? Math.fround : (x: number) => x;
  const ordered = kind === "matmul" ? roundRobinSum(terms.map(r), dtype) : canonicalSum(terms, dtype);
  const want = kind === "mean" ? r(ordered / n) : ordered;
  if (!Object.is(got, want) && !(got !== got && want !== want)) return `not the documented summation order's result ${want}`;
  const { sum, abs } = refSum(terms);
  // float64 matmul: the reference's own products round too (float32 products are exact in float64).
  const m = kind === "matmul" ? Math.ceil(n / 4) + 2 + (dtype === "float64" ? 2 : 1) : Math.ceil(Math.min(n, BLOCK) / 4) + 2 + 2 * Math.ceil(Math.log2(Math.ceil(n / BLOCK)));
  let bound = gamma(m, dtype) * abs + (kind === "matmul" ? n * TINY[dtype] : 0);
  let ref = sum;
  if (kind === "mean") {
    ref = sum / n;
    bound = bound / n + U[dtype] * Math.abs(ref) * 1.0000001 + TINY[dtype];
  }
  const err = Math.abs(got - ref);
  return err <= bound ? null : `|${got} - ${ref}| = ${err} exceeds the bound ${bound} (n = ${n}, sum|x| = ${abs})`;
}
