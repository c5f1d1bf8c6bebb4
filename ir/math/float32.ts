/**
 * The float32 transcendentals of the default (exact-across-tiers) mode, each defined
 * once over ir/math/arith.ts's interface and computed in float32 arithmetic, rounded
 * after every operation, so tier 2 runs them four lanes per f32x4 instruction and
 * tiers 0 and 1 reproduce the bits with the generated JS (`jsFunction`).
 *
 * Error bounds, in float32 ulps of the float64 Math.* value (FLOAT32_ULPS, enforced by
 * float32.test.ts on samples; "exhaustive" figures are scratch runs over every float32
 * input, see CONTRIBUTING.md):
 *   exp 1, tanh 2, sigmoid 2, log 1.
 *
 * exp32(x)
 *   y = min(max(x, -104), 89)          exp(89) = Inf, exp(-104) = 0 in float32: the clamp
 *                                      changes no result and keeps k in [-150, 128]
 *   k = (y*LOG2E + 1.5*2^23) - 1.5*2^23   round to nearest even by the magic number
 *   r = (y - k*LN2_HI) - k*LN2_LO      Cody-Waite; LN2_HI has 9 trailing zero bits, so
 *                                      k*LN2_HI and the first subtraction are exact
 *   e^r = hi + (lo + r^2*q(r))         hi = 1 + r, lo = (1 - hi) + r exactly (Fast2Sum):
 *                                      only the last add rounds e^r; q is the Taylor
 *                                      series 1/2! .. 1/7! by Estrin
 *   result = (e^r * 2^k1) * 2^(k - k1), k1 = k >> 1: both factors normal, the first
 *                                      product exact, so a subnormal result rounds once.
 *
 * tanh32(x)   (Cephes tanhf with exp32's core)
 *   |x| < 0.625: x + ((P(z) * z) * x), z = x*x, P of degree 4 (Horner); x itself at ±0
 *   otherwise:   1 - 2/(e + 1), e = e^{2 min(|x|, 10)}, the sign bit of x or-ed in
 *                (tanh rounds to ±1 in float32 from |x| > 9.01)
 *   tanh(-0) = -0, tanh(±Inf) = ±1, NaN -> NaN.
 *
 * sigmoid32(x)
 *   e + eLo = e^{-|x|} (exp32's core, in (0, 1], with the rounding error of e^r scaled
 *   alongside), d = 1 + e, dLo = ((1 - d) + e) + eLo
 *   x >= 0: q - (q*q)*dLo with q = 1/d; otherwise q + (eLo - q*dLo)/d with q = e/d:
 *   (e + eLo)/(d + dLo) to first order, so the roundings of e and d cancel. No overflow
 *   on either side; a subnormal result (x < -87.3) is e itself, rounded once.
 *
 * log32(x)   (fdlibm e_logf.c without branches)
 *   subnormals scaled by 2^25; ix = bits(x) + (0x3f800000 - 0x3f3504f3);
 *   k = (ix >> 23) - 127 (- 25); m = bits((ix & 0x7fffff) + 0x3f3504f3) in [sqrt(2)/2, sqrt(2))
 *   f = m - 1; s = f/(2 + f); z = s*s; w = z*z; R = z*(LG1 + w*LG3) + w*(LG2 + w*LG4)
 *   hfsq = (0.5*f)*f; y = ((((s*(hfsq + R)) + k*LN2_LO) - hfsq) + f) + k*LN2_HI
 *   x > 0 ? (x < Inf ? y : x) : (x == 0 ? -Inf : NaN)
 */

import { jsFunction, type Algorithm, type Arith } from "./arith.js";

const fr = Math.fround;

/** Error bounds in float32 ulps of each algorithm here (float32.test.ts enforces them). */
export const FLOAT32_ULPS = { exp: 1, tanh: 2, sigmoid: 2, log: 1 } as const;

export const LOG2E = fr(1.4426950408889634);
export const LN2_HI = fr(0.693145751953125); // 0x3f317200: 9 trailing zero bits
export const LN2_LO = fr(1.428606765330187e-6); // ln 2 - LN2_HI, rounded
export const MAGIC = 12582912; // 1.5 * 2^23
const E = [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040].map(fr) as [number, number, number, number, number, number];

/**
 * e^y = (er + erLo) * s1 * s2 for y in [-104, 89] (already clamped): er = e^r rounded,
 * erLo its rounding error (exact, Fast2Sum), s1 * s2 = 2^k as two normal powers of two.
 */
function expParts<V, M, I>(A: Arith<V, M, I>, y: V): { er: V; erLo: V; s1: V; s2: V } {
  const k = A.sub(A.add(A.mul(y, LOG2E), MAGIC), MAGIC);
  const r = A.sub(A.sub(y, A.mul(k, LN2_HI)), A.mul(k, LN2_LO));
  const r2 = A.mul(r, r);
  const q = A.add(A.add(E[0], A.mul(E[1], r)), A.mul(r2, A.add(A.add(E[2], A.mul(E[3], r)), A.mul(r2, A.add(E[4], A.mul(E[5], r))))));
  const hi = A.add(1, r);
  const lo = A.add(A.sub(1, hi), r);
  const t = A.add(lo, A.mul(r2, q));
  const er = A.add(hi, t);
  const erLo = A.add(A.sub(hi, er), t);
  const ki = A.toInt(k);
  const k1 = A.ishr(ki, 1);
  return { er, erLo, s1: A.pow2(k1), s2: A.pow2(A.isub(ki, k1)) };
}

/** e^y for y in [-104, 89] (already clamped), rounded once, subnormal results included. */
function expClamped<V, M, I>(A: Arith<V, M, I>, y: V): V {
  const { er, s1, s2 } = expParts(A, y);
  return A.mul(A.mul(er, s1), s2);
}

export const EXP32: Algorithm = {
  name: "exp32",
  arity: 1,
  define: (A, x) => expClamped(A, A.min(A.max(x, -104), 89)),
};

// Cephes tanhf: (tanh(x) - x)/x^3 ~ P(x^2) on |x| < 0.625.
const TP = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1].map(fr) as [number, number, number, number, number];

export const TANH32: Algorithm = {
  name: "tanh32",
  arity: 1,
  define(A, x) {
    const a = A.abs(x);
    const z = A.mul(x, x);
    const p = A.add(A.mul(A.add(A.mul(A.add(A.mul(A.add(A.mul(TP[0], z), TP[1]), z), TP[2]), z), TP[3]), z), TP[4]);
    const small = A.add(A.mul(A.mul(p, z), x), x);
    const c = A.min(a, 10);
    const e = expClamped(A, A.add(c, c));
    const big = A.sub(1, A.div(2, A.add(e, 1)));
    const signed = A.copysign(big, x); // big is NaN exactly when x is
    // x = ±0: small is +0 either way (P < 0), so the select keeps tanh(-0) = -0.
    return A.sel(A.cmp("lt", a, 0.625), A.sel(A.cmp("eq", x, 0), x, small), signed);
  },
};

export const SIGMOID32: Algorithm = {
  name: "sigmoid32",
  arity: 1,
  define(A, x) {
    const { er, erLo, s1, s2 } = expParts(A, A.max(A.neg(A.abs(x)), -104));
    const e = A.mul(A.mul(er, s1), s2);
    const eLo = A.mul(A.mul(erLo, s1), s2);
    const d = A.add(1, e);
    const dLo = A.add(A.add(A.sub(1, d), e), eLo);
    // (e + eLo) / (d + dLo) to first order in the small terms: the roundings of e and d are corrected.
    const qPos = A.div(1, d);
    const pos = A.sub(qPos, A.mul(A.mul(qPos, qPos), dLo));
    const qNeg = A.div(e, d);
    const neg = A.add(qNeg, A.div(A.sub(eLo, A.mul(qNeg, dLo)), d));
    return A.sel(A.cmp("ge", x, 0), pos, neg);
  },
};

export const F32_MIN_NORMAL = fr(1.1754943508222875e-38); // 2^-126
export const LG1 = fr(0.66666662693); // fdlibm e_logf.c 0xaaaaaa.0p-24
export const LG2 = fr(0.40000972152); // 0xccce13.0p-25
export const LG3 = fr(0.28498786688); // 0x91e9ee.0p-25
export const LG4 = fr(0.24279078841); // 0xf89e26.0p-26
export const LOG_LN2_HI = fr(6.9313812256e-1); // 0x3f317180
export const LOG_LN2_LO = fr(9.0580006145e-6); // 0x3717f7d1

export const LOG32: Algorithm = {
  name: "log32",
  arity: 1,
  define(A, x) {
    const sub = A.cmp("lt", x, F32_MIN_NORMAL);
    const xs = A.sel(sub, A.mul(x, 33554432), x); // 2^25: subnormals into the normal range (exact)
    // Biasing by 1 - sqrt(2)/2 in the bit domain rolls the exponent over at mantissa sqrt(2).
    const ix = A.iadd(A.bits(xs), 0x3f800000 - 0x3f3504f3);
    const k = A.isub(A.isub(A.ishr(ix, 23), 0x7f), A.isel(sub, 25, 0));
    const m = A.fromBits(A.iadd(A.iand(ix, 0x007fffff), 0x3f3504f3));
    const f = A.sub(m, 1);
    const s = A.div(f, A.add(2, f));
    const z = A.mul(s, s);
    const w = A.mul(z, z);
    const R = A.add(A.mul(z, A.add(LG1, A.mul(w, LG3))), A.mul(w, A.add(LG2, A.mul(w, LG4))));
    const hfsq = A.mul(A.mul(0.5, f), f);
    const dk = A.convert(k);
    const y = A.add(A.add(A.sub(A.add(A.mul(s, A.add(hfsq, R)), A.mul(dk, LOG_LN2_LO)), hfsq), f), A.mul(dk, LOG_LN2_HI));
    const pos = A.sel(A.cmp("lt", x, Infinity), y, x);
    return A.sel(A.cmp("gt", x, 0), pos, A.sel(A.cmp("eq", x, 0), -Infinity, NaN));
  },
};

export const exp32 = jsFunction(EXP32);
export const tanh32 = jsFunction(TANH32);
export const sigmoid32 = jsFunction(SIGMOID32);
export const log32 = jsFunction(LOG32);

/** Every algorithm of this file: the tests run each one in every form (JS, direct evaluation, wasm SIMD and scalar). */
export const FLOAT32_ALGORITHMS: readonly Algorithm[] = [EXP32, TANH32, SIGMOID32, LOG32];
