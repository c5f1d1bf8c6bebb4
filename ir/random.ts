// The random-number semantics every tier reproduces: a counter-based generator, so
// draw number c of a stream is a pure function of (key, c) and any tier can compute
// any draw independently, in any order, in SIMD lanes or inside compiled loops.
//
//   bits(key, c)    = mix(mix(c + key * 0x9E3779B9) ^ key)       32-bit integer hash
//   uniform(key, c) = (bits >>> 8) * 2^-24                        float32 in [0, 1)
//
// Normals come in Box-Muller pairs: pair p of a draw starting at counter c reads the
// 24-bit integers b1 = bits(key, c+2p) >>> 8 and b2 = bits(key, c+2p+1) >>> 8 and gives
// normals 2p and 2p+1:
//
//   radius  R = sqrt(-2 ln u1),      u1 = (2^24 - b1) * 2^-24 in (0, 1]
//   angle   b2 * 2^-24 turns, reduced exactly in integers to quadrant q and a
//           remainder t in [-1/8, 1/8] turn, r = t * 2π in [-π/4, π/4]
//   normal 2p = R cos(angle),  normal 2p+1 = R sin(angle)
//
// Everything after the integers is float32 arithmetic, rounded after every operation
// (each `f` below is one f32 instruction in wasm, an f32x4 lane in SIMD): the
// logarithm is FreeBSD logf's kernel on one path (its input is never 0, negative,
// subnormal or infinite), sin and cos share one reduction and the polynomials of
// ir/math/f32.ts. The results are within a few float32 ulps of exact Box-Muller; what
// matters is that they are exactly reproducible at full SIMD width, which a
// float64-core log32/cos32 per normal is not (it cost 85% of the brain benchmark).
//
// The generator state is an int32 pair [key, counter]; a draw of n uniforms reads
// counters counter..counter+n-1 and advances the counter by n; a draw of n normals
// uses ceil(n/2) pairs and advances it by 2*ceil(n/2). Counters wrap modulo 2^32.

import { C0, C1, C2, C3, S1, S2, S3, S4 } from "./math/f32.js";

export function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

export function bits(key: number, counter: number): number {
  return mix(mix((counter + Math.imul(key, 0x9e3779b9)) | 0) ^ key);
}

const f = Math.fround;

export function uniformAt(key: number, counter: number): number {
  return (bits(key, counter) >>> 8) * 2 ** -24;
}

// FreeBSD e_logf.c: ln(1+f) = f - hfsq + s*(hfsq+R), s = f/(2+f), R a polynomial in s^2.
export const LG1 = f(0.66666662693);
export const LG2 = f(0.40000972152);
export const LG3 = f(0.28498786688);
export const LG4 = f(0.24279078841);
export const LN2_HI = f(0.69313812256); // ln 2 with trailing zero bits: k * LN2_HI is exact
export const LN2_LO = f(9.0580006145e-6);
/** Largest reduced mantissa (exclusive): 2 * float32(0x3f3504f3), just above sqrt(2). */
export const SQRT2_SPLIT = 2 * 0.707106769084930419921875;
/** One 2^-24 turn in radians, as a float32: fround(2π) * 2^-24. */
export const TURN_UNIT = f(2 * Math.PI) * 2 ** -24;
/** sin(r) = r + r*z*(S1 + z*(S2 + ...)), cos(r) = 1 + z*(C0 + z*(C1 + ...)), z = r^2: the coefficients as float32. */
export const sinPolyCoefficients: readonly number[] = [S1, S2, S3, S4].map(f);
export const cosPolyCoefficients: readonly number[] = [C0, C1, C2, C3].map(f);
const [s1, s2, s3, s4] = sinPolyCoefficients as [number, number, number, number];
const [c0, c1, c2, c3] = cosPolyCoefficients as [number, number, number, number];

/** ln(N * 2^-24) for an integer N in [1, 2^24], in float32 arithmetic. */
export function lnUnit(N: number): number {
  // N = 2^e * m with m in [sqrt(1/2), sqrt(2)): the exponent and mantissa the wasm
  // tier reads from the float's bits; here from the integer, the same exact values.
  let e = 31 - Math.clz32(N);
  let m = N / (1 << e); // exact: a power-of-two divisor
  if (m >= SQRT2_SPLIT) {
    m *= 0.5;
    e += 1;
  }
  const k = e - 24;
  const fm = m - 1; // exact (Sterbenz)
  const s = f(fm / f(2 + fm));
  const z = f(s * s);
  const w = f(z * z);
  const R = f(f(z * f(LG1 + f(w * LG3))) + f(w * f(LG2 + f(w * LG4))));
  const hfsq = f(f(0.5 * fm) * fm);
  return f(f(k * LN2_HI) - f(f(hfsq - f(f(s * f(hfsq + R)) + f(k * LN2_LO))) - fm));
}

/** sin(r) and cos(r) for |r| <= π/4 in float32 arithmetic. */
export function sinPoly(r: number): number {
  const z = f(r * r);
  return f(r + f(f(r * z) * f(s1 + f(z * f(s2 + f(z * f(s3 + f(z * s4))))))));
}
export function cosPoly(r: number): number {
  const z = f(r * r);
  return f(1 + f(z * f(c0 + f(z * f(c1 + f(z * f(c2 + f(z * c3))))))));
}

/** Writes normals j and j+1 (if j+1 < out.length) of the pair at counters c, c+1. */
function normalPairInto(key: number, c: number, out: Float32Array, j: number): void {
  const b1 = bits(key, c) >>> 8;
  const b2 = bits(key, (c + 1) | 0) >>> 8;
  const R = f(Math.sqrt(f(-2 * lnUnit(2 ** 24 - b1))));
  const q = (b2 + 2 ** 21) >>> 22; // nearest quarter turn, 0..4 (4 is quadrant 0)
  const r = f((b2 - q * 2 ** 22) * TURN_UNIT);
  const s = sinPoly(r);
  const co = cosPoly(r);
  // angle = q quarter turns + r: rotate (cos r, sin r) by q * 90 degrees.
  const quad = q & 3;
  const cos = quad === 0 ? co : quad === 1 ? -s : quad === 2 ? -co : s;
  const sin = quad === 0 ? s : quad === 1 ? co : quad === 2 ? -s : -co;
  out[j] = f(R * cos);
  if (j + 1 < out.length) out[j + 1] = f(R * sin);
}

/** Counters a draw of n values of `dist` consumes (the generator's advance). */
export function countersUsed(dist: "uniform" | "normal", n: number): number {
  return dist === "uniform" ? n : n + (n & 1);
}

/** Fills `out` with draws of `dist` from state [key, counter]. */
export function drawInto(dist: "uniform" | "normal", key: number, counter: number, out: Float32Array): void {
  const n = out.length;
  if (dist === "uniform") for (let i = 0; i < n; i++) out[i] = uniformAt(key, (counter + i) | 0);
  else for (let j = 0; j < n; j += 2) normalPairInto(key, (counter + j) | 0, out, j);
}
