/**
 * cbrt and hypot, each written once over a Kit (kit.ts) for both precisions.
 *
 * cbrt(x)   a = |x| scaled by 2^∓60 (2^∓600) when beyond 2^±60 (2^±600), so that
 *           every product below stays normal; t = fdlibm's bit-trick guess, refined by Halley's iteration
 *           t(t^3 + 2a)/(2t^3 + a) (once in float32, twice in float64); th = t cut to
 *           8 (17) significant bits so th^3 is exact and a - th^3 exact (Sterbenz);
 *           e = (a - th^3)/th^3 and cbrt(a) = th (1 + e)^(1/3) = th + th*(e/3 - e^2/9 +
 *           5e^3/81 - 10e^4/243): the only rounding that matters is the last add.
 *           cbrt(±0) = ±0, cbrt(±Inf) = ±Inf.
 * hypot(x, y)   both scaled by 2^-k (k the exponent of the larger, exact), squares
 *           exact as h + l (Dekker), their sum by 2Sum, r = sqrt(s) corrected once
 *           by the exact residual: r + (s - r^2 + lows)/(2r); times 2^k. Inf if
 *           either is ±Inf (even with a NaN, as C's hypot), NaN otherwise if either is.
 */

import { both, square, twoSum, type Kit } from "./kit.js";

const fr = Math.fround;
const CBRT_E32 = [1 / 3, -1 / 9, 5 / 81, -10 / 243].map(fr);
const CBRT_E64 = [1 / 3, -1 / 9, 5 / 81, -10 / 243];

function cbrt<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const f32 = K.prec === 32;
  const a = A.abs(x);
  // Halley's products reach a^(4/3): keep a within 2^±60 (2^±600) of 1.
  const small = A.cmp("lt", a, f32 ? 2 ** -60 : 2 ** -600);
  const large = A.cmp("gt", a, f32 ? 2 ** 60 : 2 ** 600);
  const as = A.mul(a, A.sel(small, f32 ? 2 ** 60 : 2 ** 600, A.sel(large, f32 ? 2 ** -60 : 2 ** -600, 1)));
  const back = A.sel(small, f32 ? 2 ** -20 : 2 ** -200, A.sel(large, f32 ? 2 ** 20 : 2 ** 200, 1));
  let t = K.cbrtGuess(as);
  for (let i = 0; i < (f32 ? 1 : 2); i++) {
    const t3 = A.mul(A.mul(t, t), t);
    t = A.div(A.mul(t, A.add(A.add(t3, as), as)), A.add(A.add(t3, t3), as));
  }
  const th = K.truncCube(t);
  const th3 = A.mul(A.mul(th, th), th);
  const e = A.div(A.sub(as, th3), th3);
  const E = f32 ? CBRT_E32 : CBRT_E64;
  const p = A.mul(e, A.add(E[0]!, A.mul(e, A.add(E[1]!, A.mul(e, A.add(E[2]!, A.mul(e, E[3]!)))))));
  const r = A.mul(A.add(th, A.mul(th, p)), back);
  return A.sel(A.and(A.cmp("gt", a, 0), A.cmp("lt", a, Infinity)), A.copysign(r, x), x);
}

function hypot<V, M, I>(K: Kit<V, M, I>, x: V, y: V): V {
  const { A } = K;
  const f32 = K.prec === 32;
  const a = A.abs(x);
  const b = A.abs(y);
  const mx = A.max(a, b);
  const e0 = K.exponent(mx);
  const lim = f32 ? 126 : 1022;
  const k = A.isel(A.icmp("lt", e0, -lim), -lim, A.isel(A.icmp("gt", e0, lim), lim, e0));
  const down = A.pow2(A.iadd(A.ixor(k, -1), 1));
  const sa = square(K, A.mul(a, down));
  const sb = square(K, A.mul(b, down));
  const s = twoSum(A, sa.h, sb.h);
  const low = A.add(s.e, A.add(sa.l, sb.l));
  const r0 = A.sqrt(s.s);
  const rr = square(K, r0);
  const res = A.sub(A.sub(s.s, rr.h), rr.l);
  const r = A.add(r0, A.div(A.add(res, low), A.add(r0, r0)));
  const out = A.sel(A.cmp("eq", mx, 0), 0, A.mul(r, A.pow2(k)));
  return A.sel(A.or(A.cmp("eq", a, Infinity), A.cmp("eq", b, Infinity)), Infinity, out);
}

export const CBRT = both("cbrt", 1, (K, x) => cbrt(K, x));
export const HYPOT = both("hypot", 2, (K, x, y) => hypot(K, x, y));
