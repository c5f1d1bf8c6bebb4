// Error bounds of sum, mean and matmul, derived from their canonical summation order
// (ir/kernels/reduce.ts): the terms of one output go round-robin into 4 partial sums,
// combined as (p0 + p1) + (p2 + p3). A term then passes through at most
// m = ceil(n/4) + 2 roundings (its lane's additions, then two combining additions), so
//
//   |computed - exact| <= gamma(m) * sum |x_i|,   gamma(m) = m*u / (1 - m*u)
//
// with u = 2^-24 (float32) or 2^-53 (float64) (Higham, Accuracy and Stability of
// Numerical Algorithms, 2nd ed., section 4.2). matmul rounds each product once more
// (m + 1) and may lose up to half the smallest subnormal per product to underflow.
// mean divides the sum once more (one more rounding of the result). int32 sums and
// products wrap, and wrapping addition is associative, so they must be exact. max and
// min are exact in any order. The reference sum is computed in float64 with
// Neumaier's compensation, far more accurate than the bounds checked.
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

/** The documented order: term j into partial j % 4 (each from -0), then (p0 + p1) + (p2 + p3); empty = +0. */
export function canonicalSum(terms: readonly number[], dtype: "float32" | "float64"): number {
  const r = dtype === "float32" ? Math.fround : (x: number) => x;
  if (terms.length === 0) return 0;
  const p = [-0, -0, -0, -0];
  terms.forEach((x, j) => (p[j % 4] = r(p[j % 4]! + x)));
  return r(r(p[0]! + p[1]!) + r(p[2]! + p[3]!));
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
  const ordered = canonicalSum(kind === "matmul" ? terms.map(r) : terms, dtype);
  const want = kind === "mean" ? r(ordered / n) : ordered;
  if (!Object.is(got, want) && !(got !== got && want !== want)) return `not the documented summation order's result ${want}`;
  const { sum, abs } = refSum(terms);
  // float64 matmul: the reference's own products round too (float32 products are exact in float64).
  const m = Math.ceil(n / 4) + 2 + (kind === "matmul" ? (dtype === "float64" ? 2 : 1) : 0);
  let bound = gamma(m, dtype) * abs + (kind === "matmul" ? n * TINY[dtype] : 0);
  let ref = sum;
  if (kind === "mean") {
    ref = sum / n;
    bound = bound / n + U[dtype] * Math.abs(ref) * 1.0000001 + TINY[dtype];
  }
  const err = Math.abs(got - ref);
  return err <= bound ? null : `|${got} - ${ref}| = ${err} exceeds the bound ${bound} (n = ${n}, sum|x| = ${abs})`;
}
