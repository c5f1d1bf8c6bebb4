/**
 * Reference float32 transcendentals for every tier of tierjit.
 *
 * These functions DEFINE the bits each tier must produce: the interpreter
 * calls them, the JS tier inlines them, the wasm tier transcribes them lane by
 * lane to f32x4 (or f64x2 where noted). They use only operations that are a
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
 *  - `k | 0` is i32x4.trunc_sat_f32x4_s (only used on small integral k, or on
 *    NaN where both give 0 and the result is NaN anyway); using an int k as a
 *    float is f32x4.convert_i32x4_s (exact: |k| <= 150). Int ops (`+ >> &`)
 *    on bit patterns are the i32x4 ones (wrapping add, arithmetic shift).
 *  - rne32/rne64 are the magic-number add+sub, NOT f32x4.nearest (see bits.ts).
 *  - pow2f32(k) builds 2^k from bits: i32x4.shl(k + 127, 23).
 *  - Sections marked "float64" run on promoted values (f64x2.promote_low_f32x4
 *    for each half) and end with one f32x4.demote_f64x2_zero (= fround).
 *
 * Accuracy: max error in float32 ULPs vs the float64 Math.* value, measured
 * EXHAUSTIVELY over all 2^32 inputs (math.test.ts asserts the bounds on ~0.5M
 * samples per function):
 *   exp32 1.011, log32 0.835, tanh32 1.463, sigmoid32 1.480,
 *   sin32/cos32 0.5009 for |x| < 2^28*pi/2, pow32 0.500 (sampled, normal results).
 *
 * Cost in scalar JS: the fround after every op is pure latency (exp32 runs
 * ~3x slower than the same arithmetic without frounds); that is the price of
 * f32 emulation, not of the algorithm. Branch arms are evaluated lazily in JS
 * (they are pure, so this is the same select).
 *
 * exp32(x)
 *   1. xc = min(max(x, -104), 89)        exp(89) = Inf, exp(-104) rounds to 0
 *   2. k  = rne32(xc * LOG2E)            k in [-150, 128]
 *   3. r  = (xc - k*LN2_HI) - k*LN2_LO   LN2_HI = 355/512 has 9 bits, so
 *                                        k*LN2_HI and the first sub are exact
 *   4. y  = 1 + (r + r2*p), r2 = r*r, r4 = r2*r2,
 *      p  = ((E2 + E3*r) + (E4 + E5*r)*r2) + E6*r4      (Estrin)
 *   5. k1 = k >> 1 (arithmetic), result = (y * 2^k1) * 2^(k-k1).
 *      Both factors are normal; y*2^k1 is exact, so the second multiply is the
 *      only rounding and subnormal results are rounded once, the same in every
 *      tier. exp(NaN) = NaN, exp(+Inf) = +Inf, exp(-Inf) = +0, exp(-0) = 1.
 *
 * log32(x)
 *   1. sub = x < 2^-126; xs = sub ? x * 2^25 : x
 *   2. ix = bits(xs) + (0x3f800000 - 0x3f3504f3)      (i32 wrapping add)
 *      k  = (ix >> 23) - 127 - (sub ? 25 : 0)
 *      m  = fromBits((ix & 0x7fffff) + 0x3f3504f3)    m in [sqrt(2)/2, sqrt(2))
 *   3. f = m - 1; s = f / (2 + f); z = s*s; w = z*z
 *      R = z*(LG1 + w*LG3) + w*(LG2 + w*LG4)           (evaluated t2 + t1)
 *      hfsq = (0.5*f)*f
 *      y = ((((s*(hfsq + R)) + k*LN2_LO) - hfsq) + f) + k*LN2_HI
 *      (FreeBSD/musl logf, left to right exactly as written in the code)
 *   4. x > 0 ? (x < Inf ? y : x) : (x == 0 ? -Inf : NaN)
 *      log(+-0) = -Inf, log(x<0) = NaN, log(+Inf) = +Inf, log(NaN) = NaN.
 *
 * tanh32(x)
 *   1. small = x + (x*z)*p, z = x*x, z2 = z*z,
 *      p = (T0 + T1*z) + z2*(T2 + T3*z)                minimax, |x| < 0.55
 *   2. big = 1 - 2/(exp32(|x| + |x|) + 1); negate if x < 0   (exp overflow
 *      gives exactly 1). 0.55 > atanh(0.5): big >= 0.5 so its cancellation
 *      costs < 1 ulp.
 *   3. |x| < 0.55 ? (x == 0 ? x : small) : big       (keeps tanh(-0) = -0)
 *      tanh(+-Inf) = +-1, tanh(NaN) = NaN.
 *
 * sigmoid32(x)
 *   e = exp32(-|x|) (f32, step as above); then in float64:
 *   result = demote((x >= 0 ? 1 : e) / (1 + e)).
 *   Same value as 1/(1+exp(-x)) but e never overflows, so subnormal results
 *   for x < -87.3 survive. The add/divide are float64 because e's ~1 ulp error
 *   plus two f32 roundings reached 2.26 ulp. sigmoid(-Inf) = 0, (+Inf) = 1,
 *   (NaN) = NaN, (+-0) = 0.5.
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
import { f32Bits, f32FromBits, fround, pow2f32, rne32, rne64 } from "./bits.js";

const INF = Infinity;

// ---------------------------------------------------------------------------
// exp32
// ---------------------------------------------------------------------------

const LOG2E = fround(1.4426950408889634);
const LN2_HI = 0.693359375; // 355/512: 9 significant bits, so k*LN2_HI is exact
const LN2_LO = fround(-2.1219444005469057e-4); // ln2 - LN2_HI, rounded to f32
// e^r ~= 1 + r + r^2*(E2 + E3 r + E4 r^2 + E5 r^3 + E6 r^4) on |r| <= ln2/2,
// weighted minimax (relative error 2^-28.3 before rounding the coefficients).
const E2 = fround(0.4999999403953552);
const E3 = fround(0.1666652113199234);
const E4 = fround(0.04166838899254799);
const E5 = fround(0.00836874544620514);
const E6 = fround(0.0013814540579915047);

export function exp32(x: number): number {
  // Clamp so that k stays in [-150, 128]: exp(89) overflows, exp(-104) rounds
  // to 0, so clamping does not change those results. NaN passes through.
  const xc = Math.min(Math.max(x, -104), 89);
  const k = rne32(fround(xc * LOG2E));
  // xc - k*LN2_HI is exact (Sterbenz), only the small LN2_LO term rounds.
  const r = fround(fround(xc - fround(k * LN2_HI)) - fround(k * LN2_LO));
  const r2 = fround(r * r);
  const r4 = fround(r2 * r2);
  const p = fround(
    fround(fround(E2 + fround(E3 * r)) + fround(fround(E4 + fround(E5 * r)) * r2)) +
      fround(E6 * r4),
  );
  const y = fround(1 + fround(r + fround(r2 * p)));
  // y * 2^k in two steps: y*2^k1 is exact (normal), the second multiply is
  // the only rounding, so subnormal results are correctly rounded from y.
  const ki = k | 0; // i32x4.trunc_sat_f32x4_s (NaN -> 0, harmless: y is NaN)
  const k1 = ki >> 1;
  return fround(fround(y * pow2f32(k1)) * pow2f32(ki - k1));
}

// ---------------------------------------------------------------------------
// log32
// ---------------------------------------------------------------------------

const LG_LN2_HI = fround(6.9313812256e-1); // 0x3f317180
const LG_LN2_LO = fround(9.0580006145e-6); // 0x3717f7d1
// (log(1+s) - log(1-s))/s ~= 2 + Lg1 s^2 + ... (musl/FreeBSD logf, < 2^-34.24)
const LG1 = 0.6666666269302368; // 0xaaaaaa.0p-24
const LG2 = 0.40000972151756287; // 0xccce13.0p-25
const LG3 = 0.2849878668785095; // 0x91e9ee.0p-25
const LG4 = 0.24279078841209412; // 0xf89e26.0p-26
const F32_MIN_NORMAL = 1.1754943508222875e-38; // 2^-126

export function log32(x: number): number {
  // Subnormals: scale into the normal range first (exact).
  const sub = x < F32_MIN_NORMAL;
  const xs = sub ? fround(x * 33554432) : x; // 2^25
  // Reduce to m in [sqrt(2)/2, sqrt(2)) with integer bit arithmetic:
  // biasing by 1 - sqrt(2)/2 in the bit domain makes the exponent field roll
  // over exactly at mantissa sqrt(2).
  const ix = (f32Bits(xs) + (0x3f800000 - 0x3f3504f3)) | 0;
  const k = (ix >> 23) - 0x7f - (sub ? 25 : 0);
  const m = f32FromBits((ix & 0x007fffff) + 0x3f3504f3);
  const f = fround(m - 1);
  const s = fround(f / fround(2 + f));
  const z = fround(s * s);
  const w = fround(z * z);
  const t1 = fround(w * fround(LG2 + fround(w * LG4)));
  const t2 = fround(z * fround(LG1 + fround(w * LG3)));
  const R = fround(t2 + t1);
  const hfsq = fround(fround(0.5 * f) * f);
  const dk = k; // exact int -> f32 conversion (|k| <= 150)
  const y = fround(
    fround(
      fround(fround(fround(s * fround(hfsq + R)) + fround(dk * LG_LN2_LO)) - hfsq) + f,
    ) + fround(dk * LG_LN2_HI),
  );
  // Special values: +Inf -> +Inf, +-0 -> -Inf, x < 0 or NaN -> NaN.
  return x > 0 ? (x < INF ? y : x) : x === 0 ? -INF : NaN;
}

// ---------------------------------------------------------------------------
// tanh32
// ---------------------------------------------------------------------------

const TANH_SWITCH = fround(0.55); // > atanh(0.5), so the exp branch result is >= 0.5
// tanh(x) ~= x + x^3*(T0 + T1 x^2 + T2 x^4 + T3 x^6) on |x| <= 0.55, minimax
// for relative error.
const T0 = fround(-0.3333294689655304);
const T1 = fround(0.13320724666118622);
const T2 = fround(-0.05267181247472763);
const T3 = fround(0.016437580808997154);

export function tanh32(x: number): number {
  const ax = Math.abs(x);
  // A lane-wise select between two pure arms; JS evaluates only the taken arm
  // (same result as computing both, which is what SIMD does).
  return ax < TANH_SWITCH ? (x === 0 ? x : tanhSmall32(x)) : tanhBig32(x, ax);
}

/** Odd polynomial for |x| < 0.55 (Estrin). */
function tanhSmall32(x: number): number {
  const z = fround(x * x);
  const z2 = fround(z * z);
  const p = fround(fround(T0 + fround(T1 * z)) + fround(z2 * fround(T2 + fround(T3 * z))));
  return fround(x + fround(fround(x * z) * p));
}

/** 1 - 2/(e^{2|x|} + 1) with the sign of x; exp overflow gives exactly 1. */
function tanhBig32(x: number, ax: number): number {
  const e = exp32(fround(ax + ax));
  const big = fround(1 - fround(2 / fround(e + 1)));
  return x < 0 ? -big : big;
}

// ---------------------------------------------------------------------------
// sigmoid32
// ---------------------------------------------------------------------------

export function sigmoid32(x: number): number {
  // 1/(1+e^-x) for x >= 0, e^x/(1+e^x) for x < 0: same value, but e never
  // overflows, so tiny (subnormal) results for x < -87.3 are kept.
  const e = exp32(-Math.abs(x));
  // The add and divide run in float64 (promote e, one final demote): with f32
  // roundings there, e's error (~1 ulp) plus two more roundings reached 2.3 ulp.
  return fround((x >= 0 ? 1 : e) / (1 + e));
}

// ---------------------------------------------------------------------------
// sin32 / cos32 (all arithmetic in float64, one final rounding to f32)
// ---------------------------------------------------------------------------

const INV_PIO2 = 0.6366197723675814; // 2/pi
const PIO2_1 = 1.5707963109016418; // first 25 bits of pi/2: k*PIO2_1 exact for |k| < 2^28
const PIO2_1T = 1.5893254773528196e-8; // pi/2 - PIO2_1
const R_MAX = 0.786; // > pi/4 + reduction error; clamp only acts out of range
// |sin(x)/x - s(x)| < 2^-37.5, |cos(x) - c(x)| < 2^-34.1 on |x| <= pi/4
// (FreeBSD/musl __sindf/__cosdf coefficients).
const S1 = -0.16666666641626524;
const S2 = 0.008333329385889463;
const S3 = -0.00019839334836096632;
const S4 = 2.718311493989822e-6;
const C0 = -0.499999997251031;
const C1 = 0.04166662332373906;
const C2 = -0.001388676377460993;
const C3 = 2.439044879627741e-5;

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
