/**
 * log1p, expm1, log2, log10, exp2: each written once over a Kit (kit.ts) and
 * instantiated in float32 (f32x4 in tier 2) and float64 (f64x2). Bounds: see
 * CONTRIBUTING.md "Transcendentals"; ir/math/transcendentals.test.ts checks them.
 *
 * log1p(x)   u = 1 + x with its exact error e (2Sum); log(u) + e/u by log's reduction,
 *            the correction entering with the low part of k ln2 (fdlibm s_log1p.c).
 *            log1p(±0) = ±0, log1p(-1) = -Inf, x < -1 -> NaN.
 * expm1(x)   a + aLo = e^x from expParts (kit.ts, 2^k applied to both); then
 *            (a - 1) by 2Sum and one last add: for |x| < ln2/2 that is r + r^2 q(r)
 *            with r = x exactly. expm1(±0) = ±0, expm1(-Inf) = -1, overflow Inf.
 * log2(x), log10(x)   fdlibm e_log2.c / e_log10.c: f - hfsq split into a short hi
 *            (trunc) and lo, each multiplied by a split 1/ln2 (1/ln10), k (k log10(2))
 *            added with its rounding error carried. log2(2^n) = n exactly.
 * exp2(x)    k = rne(x), r = x - k exact in [-1/2, 1/2], 2^r = 1 + r*P(r) (Taylor in r ln2),
 *            times 2^k as two normal factors (a subnormal result rounds once).
 *            exp2(n) = 2^n exactly for integer n.
 */

import { both, expParts, logCore, logSpecials, twoSum, type Kit } from "./kit.js";

function log1p<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const { s: u, e } = twoSum(A, 1, x);
  const { m, k } = K.split(u);
  const y = logCore(K, m, k, A.div(e, u));
  const res = A.sel(A.cmp("gt", x, -1), A.sel(A.cmp("lt", x, Infinity), y, x), A.sel(A.cmp("eq", x, -1), -Infinity, NaN));
  return A.sel(A.cmp("eq", x, 0), x, res);
}

/** e^x - 1 for any x (NaN, ±Inf, ±0 included). */
export function expm1Of<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A, c } = K;
  const { er, erLo, s1, s2 } = expParts(K, A.min(A.max(x, c.EXP_LO), c.EXP_HI));
  const a = A.mul(A.mul(er, s1), s2);
  const aLo = A.mul(A.mul(erLo, s1), s2);
  const { s: hi, e } = twoSum(A, a, -1);
  const res = A.add(hi, A.add(e, aLo));
  return A.sel(A.cmp("eq", x, 0), x, A.sel(A.cmp("lt", a, Infinity), res, a));
}

/** f - hfsq = hi + lo (hi short) and k, for the log2/log10 forms; finite x > 0. */
function logSplit<V, M, I>(K: Kit<V, M, I>, x: V): { hi: V; lo: V; k: V } {
  const { A } = K;
  const { m, k } = K.split(x);
  const f = A.sub(m, 1);
  const s = A.div(f, A.add(2, f));
  const z = A.mul(s, s);
  const w = A.mul(z, z);
  const hfsq = A.mul(A.mul(0.5, f), f);
  const r = A.mul(s, A.add(hfsq, K.logR(z, w)));
  const hi = K.trunc(A.sub(f, hfsq));
  const lo = A.add(A.sub(A.sub(f, hi), hfsq), r);
  return { hi, lo, k };
}

function log2<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A, c } = K;
  const { hi, lo, k } = logSplit(K, x);
  const vHi = A.mul(hi, c.IVLN2_HI);
  const vLo0 = A.add(A.mul(A.add(lo, hi), c.IVLN2_LO), A.mul(lo, c.IVLN2_HI));
  const w = A.add(k, vHi);
  const vLo = A.add(vLo0, A.add(A.sub(k, w), vHi));
  return logSpecials(K, x, A.add(vLo, w));
}

function log10<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A, c } = K;
  const { hi, lo, k } = logSplit(K, x);
  const vHi = A.mul(hi, c.IVLN10_HI);
  const y2 = A.mul(k, c.LOG10_2HI);
  const vLo0 = A.add(A.add(A.mul(k, c.LOG10_2LO), A.mul(A.add(lo, hi), c.IVLN10_LO)), A.mul(lo, c.IVLN10_HI));
  const w = A.add(y2, vHi);
  const vLo = A.add(vLo0, A.add(A.sub(y2, w), vHi));
  return logSpecials(K, x, A.add(vLo, w));
}

function exp2<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A, c } = K;
  const lo = K.prec === 32 ? -152 : -1080;
  const hiC = K.prec === 32 ? 129 : 1025;
  const xc = A.min(A.max(x, lo), hiC);
  const k = A.sub(A.add(xc, c.MAGIC), c.MAGIC);
  const r = A.sub(xc, k);
  let p: V | number = c.X2[c.X2.length - 1]!;
  for (let n = c.X2.length - 2; n >= 0; n--) p = A.add(c.X2[n]!, A.mul(r, p));
  const er = A.add(1, A.mul(r, p));
  const ki = A.toInt(k);
  const k1 = A.ishr(ki, 1);
  return A.mul(A.mul(er, A.pow2(k1)), A.pow2(A.isub(ki, k1)));
}

export const LOG1P = both("log1p", 1, (K, x) => log1p(K, x));
export const EXPM1 = both("expm1", 1, (K, x) => expm1Of(K, x));
export const LOG2 = both("log2", 1, (K, x) => log2(K, x));
export const LOG10 = both("log10", 1, (K, x) => log10(K, x));
export const EXP2 = both("exp2", 1, (K, x) => exp2(K, x));

