/**
 * atan, atan2, asin, acos, each written once over a Kit (kit.ts) for both precisions,
 * after fdlibm (s_atan.c, e_atan2.c, e_asin.c, e_acos.c) without branches: every
 * interval's reduction is computed and the right one selected.
 *
 * atan(x)   a = |x| reduced by one division into |t| <= 7/16 around 0, 1/2, 1, 3/2 or
 *           Inf (numerator and denominator selected, so one division), then
 *           atan(c) + atan(t) with atan(c) = hi + lo and fdlibm's odd polynomial
 *           (5 terms in float32, 11 in float64); x's sign. atan(±Inf) = ±pi/2.
 * atan2(y, x)   atan(|y|/|x|), then pi - (z - pi_lo) when x's sign bit is set, y's sign;
 *           numpy's special values: atan2(±0, +0) = ±0, atan2(±0, -0) = ±pi,
 *           atan2(±Inf, ±Inf) = ±pi/4 or ±3pi/4, NaN if either is NaN.
 * asin(x)   |x| < 1/2: x + x*R(x^2) (R = p/q rational); otherwise with t = (1 - |x|)/2,
 *           s = sqrt(t): pi/2 - 2(s + s*R(t)) above 0.975, and below it fdlibm's
 *           extra-precise form with s split (f = s cut short, f*f exact, c = (t - f^2)/(s + f)).
 * acos(x)   |x| < 1/2: pi/2 - (x - (pi/2_lo - x*R(x^2))); x <= -1/2: pi - 2(s + (R(z)*s - pi/2_lo));
 *           x >= 1/2: 2(f + (R(z)*s + c)), z = (1 - |x|)/2, s = sqrt(z), f and c as in asin.
 */

import { both, horner, signBit, type Kit } from "./kit.js";
import type { Common } from "./arith64.js";

const fr = Math.fround;

interface TrigConsts {
  readonly ATAN_HI: readonly number[];
  readonly ATAN_LO: readonly number[];
  /** atan's odd polynomial: even-index and odd-index coefficients (fdlibm's s1 and s2). */
  readonly AT_EVEN: readonly number[];
  readonly AT_ODD: readonly number[];
  readonly PS: readonly number[];
  readonly QS: readonly number[];
  readonly PIO2_HI: number;
  readonly PIO2_LO: number;
  readonly PIO4_HI: number;
  readonly PI: number;
  readonly PI_LO: number;
}

// fdlibm s_atanf.c / e_asinf.c (float32 coefficients)
const T32: TrigConsts = {
  ATAN_HI: [4.6364760399e-1, 7.8539812565e-1, 9.8279368877e-1, 1.5707962513e0].map(fr),
  ATAN_LO: [5.012158244e-9, 3.7748947079e-8, 3.447321717e-8, 7.5497894159e-8].map(fr),
  AT_EVEN: [3.3333328366e-1, 1.4253635705e-1, 6.1687607318e-2].map(fr),
  AT_ODD: [-1.9999158382e-1, -1.0648017377e-1].map(fr),
  PS: [1.6666586697e-1, -4.2743422091e-2, -8.656363003e-3].map(fr),
  QS: [1, -7.066296339e-1].map(fr),
  PIO2_HI: fr(Math.PI / 2),
  PIO2_LO: fr(-4.371138828673793e-8),
  PIO4_HI: fr(Math.PI / 4),
  PI: fr(Math.PI),
  PI_LO: fr(-8.742277657347586e-8),
};

// fdlibm s_atan.c / e_asin.c
const T64: TrigConsts = {
  ATAN_HI: [4.63647609000806093515e-1, 7.85398163397448278999e-1, 9.82793723247329054082e-1, 1.57079632679489655800e0],
  ATAN_LO: [2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17, 6.12323399573676603587e-17],
  AT_EVEN: [3.33333333333329318027e-1, 1.42857142725034663711e-1, 9.09088713343650656196e-2, 6.66107313738753120669e-2, 4.97687799461593236017e-2, 1.62858201153657823623e-2],
  AT_ODD: [-1.99999999998764832476e-1, -1.11111104054623557880e-1, -7.69187620504482999495e-2, -5.83357013379057348645e-2, -3.65315727442169155270e-2],
  PS: [1.66666666666666657415e-1, -3.25565818622400915405e-1, 2.01212532134862925881e-1, -4.00555345006794114027e-2, 7.91534994289814532176e-4, 3.47933107596021167570e-5],
  QS: [1, -2.40339491173441421878e0, 2.02094576023350569471e0, -6.88283971605453293030e-1, 7.70381505559019352791e-2],
  PIO2_HI: 1.57079632679489655800e0,
  PIO2_LO: 6.12323399573676603587e-17,
  PIO4_HI: 7.85398163397448278999e-1,
  PI: 3.141592653589793,
  PI_LO: 1.2246467991473532e-16,
};

const consts = (K: { prec: 32 | 64 }) => (K.prec === 32 ? T32 : T64);

/** atan(a) for a >= 0 or +Inf (NaN propagates). */
function atanPos<V, M, I>(K: Kit<V, M, I>, a: V): V {
  const { A } = K;
  const C = consts(K);
  const c0 = A.cmp("lt", a, 0.4375);
  const c1 = A.cmp("lt", a, 0.6875);
  const c2 = A.cmp("lt", a, 1.1875);
  const c3 = A.cmp("lt", a, 2.4375);
  const pick = (v0: V | number, v1: V | number, v2: V | number, v3: V | number, v4: V | number) => A.sel(c0, v0, A.sel(c1, v1, A.sel(c2, v2, A.sel(c3, v3, v4))));
  const num = pick(a, A.sub(A.add(a, a), 1), A.sub(a, 1), A.sub(a, 1.5), -1);
  const den = pick(1, A.add(2, a), A.add(a, 1), A.add(1, A.mul(1.5, a)), a);
  const t = A.div(num, den);
  const hi = pick(0, C.ATAN_HI[0]!, C.ATAN_HI[1]!, C.ATAN_HI[2]!, C.ATAN_HI[3]!);
  const lo = pick(0, C.ATAN_LO[0]!, C.ATAN_LO[1]!, C.ATAN_LO[2]!, C.ATAN_LO[3]!);
  const z = A.mul(t, t);
  const w = A.mul(z, z);
  const s1 = A.mul(z, horner(A, w, C.AT_EVEN));
  const s2 = A.mul(w, horner(A, w, C.AT_ODD));
  // Interval 0 has hi = lo = 0: hi - ((t*S - 0) - t) is then t - t*S exactly.
  return A.sub(hi, A.sub(A.sub(A.mul(t, A.add(s1, s2)), lo), t));
}

function atan<V, M, I>(K: Kit<V, M, I>, x: V): V {
  return K.A.copysign(atanPos(K, K.A.abs(x)), x);
}

function atan2<V, M, I>(K: Kit<V, M, I>, y: V, x: V): V {
  const { A } = K;
  const C = consts(K);
  const ax = A.abs(x);
  const ay = A.abs(y);
  let z = atanPos(K, A.div(ay, ax));
  z = A.sel(A.cmp("eq", ay, 0), 0, z);
  z = A.sel(A.and(A.cmp("eq", ax, Infinity), A.cmp("eq", ay, Infinity)), C.PIO4_HI, z);
  const r = A.sel(signBit(A, x), A.sub(C.PI, A.sub(z, C.PI_LO)), z);
  return A.sel(A.or(A.cmp("ne", x, x), A.cmp("ne", y, y)), NaN, A.copysign(r, y));
}

/** fdlibm's R(t) = p(t)/q(t) of asin/acos. */
function rAsin<V, M, I>(A: Common<V, M, I>, C: TrigConsts, t: V): V {
  return A.div(A.mul(t, horner(A, t, C.PS)), horner(A, t, C.QS));
}

function asin<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const C = consts(K);
  const a = A.abs(x);
  const small = A.add(x, A.mul(x, rAsin(A, C, A.mul(x, x))));
  const t = A.mul(A.sub(1, a), 0.5);
  const s = A.sqrt(t);
  const r = rAsin(A, C, t);
  const near1 = A.sub(C.PIO2_HI, A.sub(A.mul(2, A.add(s, A.mul(s, r))), C.PIO2_LO));
  const f = K.trunc(s);
  const c = A.div(A.sub(t, A.mul(f, f)), A.add(s, f));
  const p = A.sub(A.mul(A.mul(2, s), r), A.sub(C.PIO2_LO, A.mul(2, c)));
  const q = A.sub(C.PIO4_HI, A.mul(2, f));
  const mid = A.sub(C.PIO4_HI, A.sub(p, q));
  const big = A.copysign(A.sel(A.cmp("ge", a, K.prec === 32 ? fr(0.975) : 0.975), near1, mid), x);
  return A.sel(A.cmp("lt", a, 0.5), small, big);
}

function acos<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const C = consts(K);
  const a = A.abs(x);
  const small = A.sub(C.PIO2_HI, A.sub(x, A.sub(C.PIO2_LO, A.mul(x, rAsin(A, C, A.mul(x, x))))));
  const z = A.mul(A.sub(1, a), 0.5);
  const s = A.sqrt(z);
  const r = rAsin(A, C, z);
  const neg = A.sub(C.PI, A.mul(2, A.add(s, A.sub(A.mul(r, s), C.PIO2_LO))));
  const f = K.trunc(s);
  const c = A.sel(A.cmp("eq", z, 0), 0, A.div(A.sub(z, A.mul(f, f)), A.add(s, f))); // acos(1): 0/0
  const pos = A.mul(2, A.add(f, A.add(A.mul(r, s), c)));
  return A.sel(A.cmp("lt", a, 0.5), small, A.sel(A.cmp("lt", x, 0), neg, pos));
}

export const ATAN = both("atan", 1, (K, x) => atan(K, x));
export const ATAN2 = both("atan2", 2, (K, y, x) => atan2(K, y, x));
export const ASIN = both("asin", 1, (K, x) => asin(K, x));
export const ACOS = both("acos", 1, (K, x) => acos(K, x));
