/**
 * sinh, cosh, asinh, acosh, atanh, each written once over a Kit (kit.ts) for both
 * precisions. Bounds: ir/math/transcendentals.ts (CONTRIBUTING.md "Transcendentals").
 *
 * sinh(x)   |x| < 1: x + x*(z*P(z)), z = x^2, P the Taylor series of (sinh x - x)/x^3
 *           (to x^11 in float32, x^19 in float64: truncation far below an ulp);
 *           otherwise h + (hLo - 1/(4h)) with h + hLo = e^|x|/2 (halfExp: the
 *           exponent is k - 1, so sinh does not overflow before e^|x| does), x's sign.
 * cosh(x)   h + ((hLo - hLo/(4h^2)) + 1/(4h)): no cancellation, the correction is
 *           1/(4(h + hLo)) to first order.
 * asinh(x)  |x| < 2: log1p(a + a^2/(1 + sqrt(1 + a^2))), a = |x|, every sum by 2Sum
 *           with its error carried into the logarithm's correction; otherwise
 *           log(2a + 1/(sqrt(a^2 + 1) + a)) as log(a + 1/(2(...))) with k + 1, which
 *           stays finite where a^2 overflows (the term is then 0). x's sign, -0 kept.
 * acosh(x)  x < 2: log1p(t + sqrt(2t + t^2)), t = x - 1 exact; otherwise
 *           log(x - 1/(2(x + sqrt(x^2 - 1)))) + ln 2 as above. x < 1 -> NaN.
 * atanh(x)  |x| < 1/2: log1p(2a + 2a*a/(1 - a))/2, otherwise log1p(2a/(1 - a))/2
 *           (fdlibm e_atanh.c), 1 - a exact for a >= 1/2; atanh(±1) = ±Inf.
 */

import { both, halfExp, horner, log1pPlus, logPlus, twoSum, type Kit } from "./kit.js";

const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
const SINH_P32 = [3, 5, 7, 9, 11].map((n) => Math.fround(1 / fact(n)));
const SINH_P64 = [3, 5, 7, 9, 11, 13, 15, 17, 19].map((n) => 1 / fact(n));

function sinh<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const a = A.abs(x);
  const z = A.mul(x, x);
  const small = A.add(x, A.mul(x, A.mul(z, horner(A, z, K.prec === 32 ? SINH_P32 : SINH_P64))));
  const { h, hLo } = halfExp(K, a);
  const big = A.add(h, A.sub(hLo, A.div(0.25, h)));
  return A.sel(A.cmp("lt", a, 1), small, A.copysign(big, x));
}

function cosh<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const { h, hLo } = halfExp(K, A.abs(x));
  const q = A.div(0.25, h);
  return A.add(h, A.add(A.sub(hLo, A.mul(A.mul(A.mul(q, q), 4), hLo)), q));
}

function asinh<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const a = A.abs(x);
  const v = A.mul(a, a);
  const s = A.sqrt(A.add(1, v));
  const arg = twoSum(A, a, A.div(v, A.add(1, s)));
  const mid = log1pPlus(K, arg.s, arg.e);
  const w = twoSum(A, a, A.div(0.5, A.add(s, a)));
  const big = logPlus(K, w.s, A.div(w.e, w.s), 1);
  return A.copysign(A.sel(A.cmp("lt", a, 2), mid, A.sel(A.cmp("lt", a, Infinity), big, a)), x);
}

function acosh<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const t = A.sub(x, 1);
  const arg = twoSum(A, t, A.sqrt(A.add(A.add(t, t), A.mul(t, t))));
  const mid = log1pPlus(K, arg.s, arg.e);
  const w = twoSum(A, x, A.neg(A.div(0.5, A.add(x, A.sqrt(A.sub(A.mul(x, x), 1))))));
  const big = logPlus(K, w.s, A.div(w.e, w.s), 1);
  const res = A.sel(A.cmp("lt", x, 2), mid, A.sel(A.cmp("lt", x, Infinity), big, x));
  return A.sel(A.cmp("ge", x, 1), res, NaN);
}

function atanh<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const a = A.abs(x);
  const t = A.add(a, a);
  const d = A.sub(1, a);
  const lo = twoSum(A, t, A.div(A.mul(t, a), d));
  const small = A.cmp("lt", a, 0.5);
  const arg = A.sel(small, lo.s, A.div(t, d));
  const y = A.mul(0.5, log1pPlus(K, arg, A.sel(small, lo.e, 0)));
  return A.copysign(A.sel(A.cmp("lt", a, 1), y, A.sel(A.cmp("eq", a, 1), Infinity, NaN)), x);
}

export const SINH = both("sinh", 1, (K, x) => sinh(K, x));
export const COSH = both("cosh", 1, (K, x) => cosh(K, x));
export const ASINH = both("asinh", 1, (K, x) => asinh(K, x));
export const ACOSH = both("acosh", 1, (K, x) => acosh(K, x));
export const ATANH = both("atanh", 1, (K, x) => atanh(K, x));

