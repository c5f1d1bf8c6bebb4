/**
 * The former float32 transcendentals of tierjit, computed in float64 and rounded once
 * (~0.5 ulp). No op uses them any more: the op table runs the float32-arithmetic
 * algorithms (float32.ts, trig32.ts, pow32.ts) that tier 2 runs at full f32x4 width.
 * They are kept, with their wasm transcription (tiers/wasm/math32.ts, tested bit for
 * bit against them), as the correctly rounded alternative should a "highest"
 * precision mode be wanted.
 *
 * These functions defined the bits each tier produced: the interpreter
 * and the JS tier called them, the wasm tier transcribes them lane by lane to
 * f64x2 (two per f32x4) and f32x4. They use only operations that are a
 * single wasm SIMD instruction with identical IEEE semantics, so a faithful
 * transcription is bit-identical. Transcription rules:
 *
 *  - `fround(a op b)` is one f32x4 instruction (add/sub/mul/div/sqrt). JS
 *    computes in double and rounds, which equals the correctly rounded f32
 *    result for + - * / sqrt (53 >= 2*24+2). Never reassociate, never fuse
 *    into FMA, keep every constant exactly as given (all are f32 values, or
 *    f64 values in the float64 parts).
 *  - `Math.min/max` = f32x4.min/max (NaN-propagating, -0 < +0), NOT pmin/pmax.
 *    `Math.abs` = f32x4.abs, unary minus = f32x4.neg, `Math.floor` = floor.
 *  - `c ? a : b` is a lane-wise select (compare mask + v128.bitselect); both
 *    arms are pure, so computing both and selecting is the same thing.
 *  - Int ops (`+ >> &`) on float32 bit patterns (log32's reduction) are i32
 *    ones (wrapping add, arithmetic shift); wasm may do them as the equivalent
 *    i64x2 ops on the promoted double's bits (see log32).
 *  - rne64 is the magic-number add+sub, NOT f64x2.nearest (see bits.ts).
 *  - POW2[(k + POW2_BIAS) | 0] is 2^k, built from bits in wasm (see the core
 *    below); the `| 0` only keeps a NaN k a valid index (the result is NaN).
 *  - "float64" steps run on promoted values (f64x2.promote_low_f32x4 for each
 *    half) and end with one f32x4.demote_f64x2_zero (= fround).
 *
 * Accuracy: max error in float32 ULPs vs the float64 Math.* value, measured
 * EXHAUSTIVELY over all 2^32 inputs (math.test.ts asserts the bounds on ~0.5M
 * samples per function):
 *   exp32 0.5000007 (22 inputs above 0.5: exact results within 2^-20 ulp of a
 *   midpoint), log32 0.5000004 (11 above 0.5); tanh32, sigmoid32 0.4999997 on
 *   the samples (exhaustive run not done),
 *   sin32/cos32 0.5009 for |x| < 2^28*pi/2, pow32 0.500 (sampled, normal results).
 *
 * Design: every function computes in float64 and rounds ONCE at the end (fround,
 * f32x4.demote_f64x2_zero in wasm). The float64 core needs no frounds, which in JS
 * are pure latency on one dependency chain (the former all-float32 exp32 and tanh32
 * ran ~3x slower than the same arithmetic in double); it only needs to be accurate
 * to ~2^-42 relative, so that the single rounding is correct except for inputs
 * whose exact result lies within ~2^-19 ulp of a float32 midpoint. The float64
 * steps are transcribed to f64x2 on the two promoted halves of an f32x4.
 *
 * Shared core (exp32, tanh32, sigmoid32), on a clamped float64 y:
 *   k = rne64(y * INV_LN2); r = y - k*LN2       (exact subtraction, Sterbenz; k*LN2
 *                                               rounds by <= 2^-47 for |k| <= 150)
 *   p = e^r - 1 = r + r2*q, r2 = r*r, r4 = r2*r2,
 *   q = ((Q0 + Q1*r) + r2*(Q2 + Q3*r)) + r4*((Q4 + Q5*r) + r2*(Q6 + Q7*r))
 *                                               (Estrin; 2^-43.6 rel. for e^r,
 *                                               2^-42.3 for e^r - 1)
 *   s = 2^k (|k| <= 150): JS reads a table of exact powers of two; wasm builds it from the bits
 *   of the magic sum y*INV_LN2 + 1.5*2^52, which are bits(1.5*2^52) + k:
 *   s = reinterpret((bits - bits(1.5*2^52) + 1023) << 52). Same double.
 *
 * exp32(x)
 *   y = min(max(x, -104), 89)      exp(89) = Inf and exp(-104) = 0 in float32, so
 *                                  the clamp changes no result; k in [-150, 128]
 *   result = fround((1 + p) * s)   s and the product are normal doubles (exact
 *                                  scaling), so subnormal results round once.
 *   exp(NaN) = NaN, exp(+Inf) = +Inf, exp(-Inf) = +0, exp(-0) = 1.
 *
 * log32(x)
 *   1. sub = x < 2^-126; xs = sub ? x * 2^25 : x           (float32 values)
 *      ix = bits(xs) + (0x3f800000 - 0x3f3504f3)           (i32 wrapping add)
 *      k  = (ix >> 23) - 127 - (sub ? 25 : 0)
 *      m  = fromBits((ix & 0x7fffff) + 0x3f3504f3)         m in [sqrt(2)/2, sqrt(2))
 *      wasm does this on the promoted double's 64 bits with every constant shifted
 *      left by 29 and rebiased (0x3f3504f3 -> 0x3fe6a09e60000000): same k and m,
 *      and no subnormal case (float32 subnormals are normal doubles).
 *   2. f = m - 1 (exact); s = f / (2 + f); z = s*s; w = z*z
 *      t = (T0 + T1*z) + w*((T2 + T3*z) + w*T4)
 *      y = k*LN2 + ((s + s) + (s*z)*t)                     2^-43.1 rel. for log(m)
 *   3. x > 0 ? (x < Inf ? fround(y) : x) : (x == 0 ? -Inf : NaN)   (f32 selects)
 *      log(+-0) = -Inf, log(x<0) = NaN, log(+Inf) = +Inf, log(NaN) = NaN.
 *
 * tanh32(x)
 *   y = min(max(x + x, -40), 40)  exact (float32 overflow of x + x is clamped too);
 *                                 tanh is +-1 in double beyond, and rounds to +-1
 *                                 in float32 from |x| > 9.01 anyway
 *   t = s*p + (s - 1)             e^y - 1 in (-1, e^40): for k = 0 it is p itself;
 *                                 otherwise (s - 1) dominates (worst, k = 1:
 *                                 1 - 0.59, 1.3 bits lost of the 2^-42 margin)
 *   result = x == 0 ? x : fround(t / (t + 2))
 *                                 t + 2 >= 1: no cancellation, no overflow, one
 *                                 formula for every x and no branch on the sign
 *                                 (the select keeps tanh(-0) = -0)
 *   tanh(+-Inf) = +-1, tanh(NaN) = NaN.
 *
 * sigmoid32(x)
 *   y = min(max(-x, -104), 104); e = (1 + p) * s   e^-x <= e^104: no overflow
 *   result = fround(1 / (1 + e))
 *   Results down to 2^-150 are normal doubles rounded once, so subnormal results
 *   survive. sigmoid(-Inf) = 0, (+Inf) = 1, (NaN) = NaN, (+-0) = 0.5.
 *
 * sin32(x), cos32(x)   (float64 throughout, one final demote)
 *   1. k = rne64(x * INV_PIO2)
 *   2. r = min(max((x - k*PIO2_1) - k*PIO2_1T, -0.786), 0.786)
 *      PIO2_1 has 25 bits, so k*PIO2_1 and the first subtraction are exact for
 *      |k| < 2^28 (musl __rem_pio2f's medium case).
 *   3. q = (k - 4*floor(k*0.25)) + phase  k mod 4 with exact float ops;
 *                                        phase = 0 for sin, 1 for cos
 *   4. z = r*r, w = z*z
 *      S = r*((1 + z*(S1 + z*S2)) + (z*w)*(S3 + z*S4))   (r * ... keeps -0)
 *      C = ((1 + z*C0) + w*C1) + (w*z)*(C2 + z*C3)
 *   5. v = (q == 1 || q == 3) ? C : S; result = (q == 2 || q == 3) ? -v : v
 *      (q == 4, i.e. cos in quadrant 3, correctly takes +S)
 *   6. demote to f32.
 *   Accurate (<= 0.501 ulp, exhaustive) for |x| < 2^28*pi/2 ~= 4.2e8. Beyond,
 *   k*PIO2_1 is inexact and the result degrades smoothly (absolute error about
 *   |x| * 2^-54) until |x| ~ 2^51 where it is meaningless, but it is always
 *   deterministic and in [-1, 1] for finite x (the clamp bounds r; S and C are
 *   bounded on it); no branch depends on the magnitude. sin/cos(+-Inf) = NaN
 *   (Inf - Inf in step 2), NaN -> NaN, sin(-0) = -0, cos(-0) = 1.
 *
 * pow32(x, y)   (core in float64 via the f64.ts algorithms)
 *   1. m = exp64(promote(y) * log64(|promote(x)|))     relative error ~2^-45
 *   2. selects, lowest priority first (JS Math.pow semantics):
 *      m = (x < 0 && y not integer) ? NaN : m
 *      m = |y| == Inf ? (|x| == 1 ? NaN : ((|x| > 1) == (y > 0) ? Inf : 0)) : m
 *      m = (|x| == 0 || |x| == Inf) ? (((|x| == 0) == (y < 0)) ? Inf : 0) : m
 *      r = (signbit(x) && y odd integer) ? -m : m
 *      r = (x or y NaN) ? NaN : r
 *      r = y == 2 ? x*x : r;  y == -1 ? 1/x : r;  (y == 0.5 && x > 0) ? sqrt(x) : r
 *      r = y == 1 ? x : r;    r = y == 0 ? 1 : r   (f32 ops for these shortcuts)
 *      "integer" = floor(y) == y (true for +-Inf); "odd" = integer and
 *      floor(y*0.5) != y*0.5.
 *   3. demote. Result is the double value rounded once: <= 0.5 ulp plus
 *      ~2^-21 ulp, except exact f32 midpoints (e.g. 2^-150) may round either way.
 */

import { exp64, log64 } from "./f64.js";
import { f32Bits, f32FromBits, fround, pow2f64, rne64 } from "./bits.js";

const INF = Infinity;

// ---------------------------------------------------------------------------
// The float64 core of exp32, tanh32 and sigmoid32: e^r - 1 on |r| <= ln2/2
// ---------------------------------------------------------------------------

export const INV_LN2 = 1.4426950408889634;
export const LN2 = 0.6931471805599453;
// e^r - 1 ~= r + r^2*q(r), q of degree 7: Remez for |q - (e^r - 1 - r)/r^2| on
// |r| <= ln2/2, 2^-41.0; with the coefficients rounded to double, e^r is within
// 2^-43.6 and e^r - 1 within 2^-42.3 relative.
export const Q0 = 0.49999999999955097;
export const Q1 = 0.16666666666634009;
export const Q2 = 0.04166666678628033;
export const Q3 = 0.00833333336323784;
export const Q4 = 0.0013888839107292666;
export const Q5 = 0.00019841192904191407;
export const Q6 = 2.4867872020974473e-5;
export const Q7 = 2.7632643829101014e-6;

/** e^r - 1 for |r| <= ln2/2 (Estrin: a dependency chain of 6 operations). */
function expm1Poly(r: number): number {
  const r2 = r * r;
  const r4 = r2 * r2;
  const q = Q0 + Q1 * r + r2 * (Q2 + Q3 * r) + r4 * (Q4 + Q5 * r + r2 * (Q6 + Q7 * r));
  return r + r2 * q;
}

// 2^k for the k the cores produce ([-150, 128]), an exact double each: the same
// value as wasm's bit construction (k + 1023) << 52, and faster in JS than the
// scratch-buffer store/load (which also stalls store forwarding).
const POW2_BIAS = 160;
const POW2 = new Float64Array(2 * POW2_BIAS);
for (let i = 0; i < POW2.length; i++) POW2[i] = pow2f64(i - POW2_BIAS);

// ---------------------------------------------------------------------------
// exp32
// ---------------------------------------------------------------------------

export function exp32(x: number): number {
  // exp(89) overflows float32 and exp(-104) rounds to 0, so the clamp changes no
  // result; it keeps k in [-150, 128], where 2^k and y*2^k are normal doubles.
  const xc = Math.min(Math.max(x, -104), 89);
  const k = rne64(xc * INV_LN2);
  // xc - k*LN2 is exact (Sterbenz); k*LN2 rounds by <= 2^-47 absolute.
  const r = xc - k * LN2;
  // 1 + p rounds once; the scaling is exact; fround is the only other rounding,
  // so subnormal results are rounded once, as f32x4.demote_f64x2_zero does.
  // ((k + BIAS) | 0 is only there to keep NaN a valid index: y is NaN anyway.)
  return fround((1 + expm1Poly(r)) * (POW2[(k + POW2_BIAS) | 0] as number));
}

// ---------------------------------------------------------------------------
// log32
// ---------------------------------------------------------------------------

const F32_MIN_NORMAL = 1.1754943508222875e-38; // 2^-126
// log((1+s)/(1-s)) = 2s + s*z*t(z), z = s^2, t of degree 4: Remez on
// 0 <= z <= 0.17158^2, 2^-37.0 absolute, so the logarithm of m is within 2^-43.1
// relative.
export const T0 = 0.6666666666738466;
export const T1 = 0.3999999878684893;
export const T2 = 0.2857175633273563;
export const T3 = 0.22191302363736462;
export const T4 = 0.1936433959027017;

export function log32(x: number): number {
  // Reduce in the float32 bit domain (one f32 store/load each way, cheaper in JS
  // than the float64 words); the wasm tier does the same reduction on the
  // promoted double's 64 bits with the same threshold (see the header).
  // Subnormals are first scaled into the normal range (exact).
  const sub = x < F32_MIN_NORMAL;
  const xs = sub ? x * 33554432 : x; // 2^25
  // Biasing by 1 - sqrt(2)/2 in the bit domain makes the exponent field roll
  // over exactly at mantissa sqrt(2), so m is in [sqrt(2)/2, sqrt(2)).
  const ix = (f32Bits(xs) + (0x3f800000 - 0x3f3504f3)) | 0;
  const k = (ix >> 23) - 0x7f - (sub ? 25 : 0); // exact int -> double
  const m = f32FromBits((ix & 0x007fffff) + 0x3f3504f3);
  const f = m - 1; // exact (Sterbenz)
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t = T0 + T1 * z + w * (T2 + T3 * z + w * T4);
  const y = k * LN2 + (s + s + s * z * t);
  // Special values: +Inf -> +Inf, +-0 -> -Inf, x < 0 or NaN -> NaN (f32 selects).
  return x > 0 ? (x < INF ? fround(y) : x) : x === 0 ? -INF : NaN;
}

// ---------------------------------------------------------------------------
// tanh32
// ---------------------------------------------------------------------------

export function tanh32(x: number): number {
  // tanh x = t/(t + 2), t = e^{2x} - 1 in (-1, e^40): t + 2 >= 1, so there is no
  // cancellation, and a double does not overflow: one formula for every x, with
  // no branch on the sign (random signs made such a branch cost more than the
  // arithmetic). Beyond |x| = 20 the result is +-1 in double, and tanh rounds to
  // +-1 in float32 from |x| > 9.01 anyway.
  const y = Math.min(Math.max(x + x, -40), 40); // exact (an f32 overflow is clamped too)
  const k = rne64(y * INV_LN2);
  const r = y - k * LN2;
  const s = POW2[(k + POW2_BIAS) | 0] as number;
  const t = s * expm1Poly(r) + (s - 1); // loses <= 1.3 bits to cancellation (k = 1)
  // x = +-0 gives t = +0: the select keeps tanh(-0) = -0 (predictable in JS).
  return x === 0 ? x : fround(t / (t + 2));
}

// ---------------------------------------------------------------------------
// sigmoid32
// ---------------------------------------------------------------------------

export function sigmoid32(x: number): number {
  // 1/(1 + e^-x) directly: e^-x <= e^104 does not overflow a double, and results
  // down to 2^-150 (x ~ -103.97) are normal doubles, rounded once by fround, so
  // subnormal results survive. The clamp only touches |x| > 104, whose result
  // rounds to 0 or 1 either way. No branch on the sign.
  const y = Math.min(Math.max(-x, -104), 104);
  const k = rne64(y * INV_LN2);
  const r = y - k * LN2;
  const e = (1 + expm1Poly(r)) * (POW2[(k + POW2_BIAS) | 0] as number);
  return fround(1 / (1 + e));
}

// ---------------------------------------------------------------------------
// sin32 / cos32 (all arithmetic in float64, one final rounding to f32)
// ---------------------------------------------------------------------------

export const INV_PIO2 = 0.6366197723675814; // 2/pi
export const PIO2_1 = 1.5707963109016418; // first 25 bits of pi/2: k*PIO2_1 exact for |k| < 2^28
export const PIO2_1T = 1.5893254773528196e-8; // pi/2 - PIO2_1
export const R_MAX = 0.786; // > pi/4 + reduction error; clamp only acts out of range
// |sin(x)/x - s(x)| < 2^-37.5, |cos(x) - c(x)| < 2^-34.1 on |x| <= pi/4
// (FreeBSD/musl __sindf/__cosdf coefficients).
export const S1 = -0.16666666641626524;
export const S2 = 0.008333329385889463;
export const S3 = -0.00019839334836096632;
export const S4 = 2.718311493989822e-6;
export const C0 = -0.499999997251031;
export const C1 = 0.04166662332373906;
export const C2 = -0.001388676377460993;
export const C3 = 2.439044879627741e-5;

/** sin(x + phase*pi/2): phase 0 gives sin, phase 1 gives cos. */
function sinCos32(x: number, phase: number): number {
  const k = rne64(x * INV_PIO2);
  const r = Math.min(Math.max(x - k * PIO2_1 - k * PIO2_1T, -R_MAX), R_MAX);
  const q = k - 4 * Math.floor(k * 0.25) + phase; // quadrant: k mod 4 (exact) + phase
  const z = r * r;
  const w = z * z;
  // Select between two pure arms (JS evaluates only the taken one).
  const v =
    q === 1 || q === 3
      ? 1 + z * C0 + w * C1 + w * z * (C2 + z * C3) // C(r)
      : r * (1 + z * (S1 + z * S2) + z * w * (S3 + z * S4)); // S(r)
  return fround(q === 2 || q === 3 ? -v : v);
}

export function sin32(x: number): number {
  return sinCos32(x, 0);
}

export function cos32(x: number): number {
  return sinCos32(x, 1);
}

// ---------------------------------------------------------------------------
// pow32 (core in float64: exp64(y * log64(|x|)), one final rounding)
// ---------------------------------------------------------------------------

export function pow32(x: number, y: number): number {
  const ax = Math.abs(x);
  let m = exp64(y * log64(ax));
  const yInt = Math.floor(y) === y; // true for +-Inf as well
  const yOdd = yInt && Math.floor(y * 0.5) !== y * 0.5;
  m = x < 0 && !yInt ? NaN : m;
  m = Math.abs(y) === INF ? (ax === 1 ? NaN : ax > 1 === y > 0 ? INF : 0) : m;
  m = ax === 0 || ax === INF ? (ax === 0 === y < 0 ? INF : 0) : m;
  const xNeg = x < 0 || 1 / x < 0; // sign bit of x
  let r = xNeg && yOdd ? -m : m;
  r = x !== x || y !== y ? NaN : r;
  // Exact shortcuts (correctly rounded, and Math.pow-consistent for every x):
  r = y === 2 ? fround(x * x) : r;
  r = y === -1 ? fround(1 / x) : r;
  r = y === 0.5 && x > 0 ? fround(Math.sqrt(x)) : r; // x <= -0 keeps the rules above
  r = y === 1 ? x : r;
  r = y === 0 ? 1 : r; // even for NaN x
  return fround(r);
}
