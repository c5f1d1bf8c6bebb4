/**
 * Float32 sin and cos in float32 arithmetic (f32x4 in tier 2), written once over
 * arith.ts's interface like float32.ts. The reduction gives x = k pi/2 + (rh + rl), a
 * double-float remainder with |rh| <= ~0.786, then fdlibm's kernels k_sin.c/k_cos.c
 * (with their tail argument y = rl) run on it in float32 and the quadrant k mod 4 picks
 * one and its sign.
 *
 * Reduction, |x| < 8192 (Cody-Waite): k = rne(x * 2/pi) < 2^13; pi/2 = P1 + P2 + P3 +
 * P4 + P5 with P1..P4 of at most 11 bits, so every k*Pi is exact; x - k*P1 - k*P2 is
 * exact (its value fits 24 bits on its grid), the next two subtractions are 2Sums whose
 * errors join k*P5 in the low part. pi/2 is carried to 2^-68, so k*(pi/2) is off by
 * < 2^-55; the nearest float32 to a multiple of pi/2 below 8192 is 2^-28 away from it
 * (measured per binade), so the remainder is accurate to ~2^-27 relative, or better.
 *
 * Reduction, 8192 <= |x| < 2^20 (on the `rare` path): Cody-Waite with k split in two
 * 10-bit halves and pi/2 in 14-bit pieces (see `medium`).
 *
 * Reduction, 2^20 <= |x| < Inf (Payne-Hanek, in int32 lanes, a `rare` path in the rare path): with
 * |x| = M 2^(e-23), M = Mh 2^12 + Ml (12-bit halves), and 2/pi in 12-bit digits d_j,
 * the digits that only contribute multiples of 4 to |x| 2/pi are skipped: q =
 * floor((e - 25)/12) (a leading zero digit for q = -1), so |x| 2/pi mod 4 =
 * sum_c (Ml D_c + Mh D_(c+1)) 2^(t - 12c) mod 4 with D_i = d_(q+i-1), t = e - 23 - 12q
 * in [2, 13], columns c = 1..8 (column 0 is a multiple of 2^t, so of 4). Each column is
 * an exact int32 (< 2^25); carries propagate into 12-bit digits; pairs of digits are
 * exact 24-bit floats F1..F4 (F1 reduced mod 4 exactly); the fraction f = F1 - kk + F2 +
 * F3 + F4 (kk = rne) is summed by 2Sums and multiplied by pi/2 in double-float (Dekker).
 * The digit window is chosen by selects on q (no gathers in wasm SIMD). Truncating 2/pi
 * after the window costs < 2^-71 in f.
 *
 * sin(±0) = ±0, cos(±0) = 1, ±Inf and NaN give NaN.
 */

import type { Algorithm, Arith } from "./arith.js";
import { f32Bits, f32FromBits, jsFunction } from "./arith.js";
import { twoSum } from "./kit.js";

const fr = Math.fround;

const INV_PIO2 = fr(2 / Math.PI);
const INV_PIO2_H = f32FromBits(f32Bits(INV_PIO2) & 0xfffff000); // its high 12 bits (Dekker)
const INV_PIO2_L = INV_PIO2 - INV_PIO2_H;
const INV_PIO2_T = fr(0.6366197723675814 - INV_PIO2); // 2/pi - INV_PIO2
const MAGIC = 12582912; // 1.5 * 2^23
/** Beyond this |x| the medium path runs (k*P1 exact needs k < 2^13; Payne-Hanek needs e >= 13). */
export const TRIG32_FAST = 8192;
/** Beyond this |x| the Payne-Hanek path runs (the medium path's kh needs k < 2^20). */
export const TRIG32_MEDIUM = 1048576;

/** Error bounds in float32 ulps against float64 Math.sin/cos (float32.test.ts enforces them on samples; CONTRIBUTING.md has the exhaustive figures). */
export const TRIG32_ULPS = { sin: 1, cos: 1, tan: 2 } as const;

// pi/2 in pieces (from a 400-bit Machin pi): P1..P4 have <= 11 significant bits.
const P1 = 1.5703125;
const P2 = 0.00048351287841796875;
const P3 = 3.1385570764541626e-7;
const P4 = 6.070877134334296e-11;
const P5 = fr(6.223372171896613e-14);
const Q = [1.5706787109375, 0.00011761486530303955, 9.918039722833782e-10, 2.896016759734721e-13, 5.7208605257555445e-18] as const;
const Q5 = fr(3.282003542873496e-22);

// pi/2 = PH + PL; PH split into 12-bit halves for Dekker's product.
const PH = fr(Math.PI / 2);
const PHH = f32FromBits(f32Bits(PH) & 0xfffff000); // PH with its low 12 mantissa bits cleared
const PHL = PH - PHH;
const PL = fr(-4.3711390001862426e-8);

/** 12-bit digits of 2/pi: 2/pi = sum d_j 2^(-12(j+1)), with a leading zero digit (trig32.test.ts recomputes them). */
export const TWO_OVER_PI_DIGITS = [
  0, 2607, 2435, 1764, 3652, 338, 2556, 629, 2001, 3923, 1245, 3085, 2914, 2393, 2364, 1081, 65, 4069,
] as const;

// fdlibm k_sin.c / k_cos.c (the double coefficients, rounded to float32)
const S = [-1.66666666666666324348e-1, 8.33333333332248946124e-3, -1.98412698298579493134e-4, 2.75573137070700676789e-6, -2.50507602534068634195e-8].map(fr) as [number, number, number, number, number];
const C = [4.16666666666666019037e-2, -1.38888888888741095749e-3, 2.48015872894767294178e-5, -2.75573143513906633035e-7].map(fr) as [number, number, number, number];

/** x = k pi/2 + rh + rl, k a float holding an integer (signed). */
function reduce<V, M, I>(A: Arith<V, M, I>, x: V): [V, V, V] {
  const k = A.sub(A.add(A.mul(x, INV_PIO2), MAGIC), MAGIC);
  const r2 = A.sub(A.sub(x, A.mul(k, P1)), A.mul(k, P2));
  const a = twoSum(A, r2, A.mul(k, -P3));
  const b = twoSum(A, a.s, A.mul(k, -P4));
  const lo = A.sub(A.add(a.e, b.e), A.mul(k, P5));
  const rh = A.add(b.s, lo);
  const rl = A.add(A.sub(b.s, rh), lo);
  const ax = A.abs(x);
  const big = A.and(A.cmp("ge", ax, TRIG32_FAST), A.cmp("lt", ax, Infinity));
  const huge = A.and(A.cmp("ge", ax, TRIG32_MEDIUM), A.cmp("lt", ax, Infinity));
  const [h, l, kk] = A.rare(big, () => A.rare(huge, () => payneHanek(A, x), medium(A, x)), [rh, rl, k]);
  return [h!, l!, kk!];
}

/**
 * 8192 <= |x| < 2^20: Cody-Waite with k = kh + kl (kh a multiple of 2^10 with <= 10
 * significant bits, |kl| <= 512) and pi/2 in 14-bit pieces Q1..Q5 (+ a float32 tail), so
 * every kh*Qi and kl*Qi is exact; the first three subtractions are exact, the next four
 * 2Sums, the rest (< 2^-31) summed in float32.
 */
function medium<V, M, I>(A: Arith<V, M, I>, x: V): V[] {
  // k = rne(x 2/pi) from the exact product with a double-float 2/pi: the float32 product
  // is off by up to 2^-6 here, which left |r| up to pi/4 + 0.025 (tan near pi/4 then lost ~60 ulp)
  const xs = A.mul(x, 4097);
  const xh = A.sub(xs, A.sub(xs, x));
  const xl = A.sub(x, xh);
  const yh = A.mul(x, INV_PIO2);
  const ye = A.add(A.add(A.add(A.sub(A.mul(xh, INV_PIO2_H), yh), A.mul(xh, INV_PIO2_L)), A.mul(xl, INV_PIO2_H)), A.mul(xl, INV_PIO2_L));
  const k0 = A.sub(A.add(yh, MAGIC), MAGIC);
  const dk = A.add(A.sub(yh, k0), A.add(ye, A.mul(x, INV_PIO2_T)));
  const k = A.add(k0, A.sub(A.add(dk, MAGIC), MAGIC));
  const kh = A.mul(A.sub(A.add(A.mul(k, 2 ** -10), MAGIC), MAGIC), 1024);
  const kl = A.sub(k, kh);
  const r = A.sub(A.sub(A.sub(x, A.mul(kh, Q[0])), A.mul(kl, Q[0])), A.mul(kh, Q[1]));
  const a = twoSum(A, r, A.mul(kl, -Q[1]));
  const b = twoSum(A, a.s, A.mul(kh, -Q[2]));
  const c = twoSum(A, b.s, A.mul(kl, -Q[2]));
  const d = twoSum(A, c.s, A.mul(kh, -Q[3]));
  const small = A.add(A.add(A.mul(kl, Q[3]), A.mul(kh, Q[4])), A.add(A.mul(kl, Q[4]), A.mul(k, Q5)));
  const lo = A.sub(A.add(A.add(a.e, b.e), A.add(c.e, d.e)), small);
  const rh = A.add(d.s, lo);
  return [rh, A.add(A.sub(d.s, rh), lo), k];
}

/** The large-argument reduction (8192 <= |x| < Inf; see the header). */
function payneHanek<V, M, I>(A: Arith<V, M, I>, x: V): V[] {
  const b = A.bits(A.abs(x));
  const e = A.isub(A.ishr(b, 23), 127);
  const m = A.ior(A.iand(b, 0x7fffff), 0x800000);
  const mh = A.ishr(m, 12);
  const ml = A.iand(m, 0xfff);
  // qq = q + 1 = floor((e - 13) / 12) in [0, 9] (exact by the multiply-shift for e - 13 <= 114)
  const qq = A.ishr(A.imul(A.isub(e, 13), 10923), 17);
  const t = A.isub(A.isub(e, 11), A.imul(qq, 12));
  const eq = Array.from({ length: 10 }, (_, j) => A.icmp("eq", qq, j));
  const digit = (i: number): I => {
    let d: I | number = TWO_OVER_PI_DIGITS[9 + i - 1]!;
    for (let j = 8; j >= 0; j--) d = A.isel(eq[j]!, TWO_OVER_PI_DIGITS[j + i - 1]!, d);
    return d as I;
  };
  const D = Array.from({ length: 10 }, (_, i) => (i === 0 ? undefined : digit(i)));
  const dig: I[] = new Array(9);
  let carry: I | undefined;
  for (let c = 8; c >= 1; c--) {
    let col = A.iadd(A.imul(ml, D[c]!), A.imul(mh, D[c + 1]!));
    if (carry !== undefined) col = A.iadd(col, carry);
    carry = A.ishr(col, 12);
    dig[c] = A.iand(col, 0xfff);
  }
  const group = (c: number, shift: number) => A.mul(A.convert(A.ior(A.ishl(dig[c]!, 12), dig[c + 1]!)), A.pow2(A.isub(t, shift)));
  const F1 = group(1, 24);
  const F2 = group(3, 48);
  const F3 = group(5, 72);
  const F4 = group(7, 96);
  const F1m = A.sub(F1, A.mul(4, A.floor(A.mul(F1, 0.25))));
  const kk = A.sub(A.add(A.add(F1m, F2), MAGIC), MAGIC);
  const s1 = twoSum(A, A.sub(F1m, kk), F2);
  const s2 = twoSum(A, s1.s, F3);
  const lo = A.add(A.add(s1.e, s2.e), F4);
  const fh = A.add(s2.s, lo);
  const fl = A.add(A.sub(s2.s, fh), lo);
  // (fh + fl) * (PH + PL), fh * PH exact by Dekker
  const sp = A.mul(fh, 4097);
  const fhh = A.sub(sp, A.sub(sp, fh));
  const fhl = A.sub(fh, fhh);
  const p = A.mul(fh, PH);
  const pe = A.add(A.add(A.add(A.sub(A.mul(fhh, PHH), p), A.mul(fhh, PHL)), A.mul(fhl, PHH)), A.mul(fhl, PHL));
  const t2 = A.add(pe, A.add(A.mul(fh, PL), A.mul(fl, PH)));
  const rh = A.add(p, t2);
  const rl = A.add(A.sub(p, rh), t2);
  const neg = A.cmp("lt", x, 0);
  return [A.sel(neg, A.neg(rh), rh), A.sel(neg, A.neg(rl), rl), A.sel(neg, A.neg(kk), kk)];
}

/** sin(x + phase pi/2): phase 0 is sin, 1 is cos. */
function sinCos<V, M, I>(A: Arith<V, M, I>, x: V, phase: 0 | 1): V {
  const [rh, rl, k] = reduce(A, x);
  const z = A.mul(rh, rh);
  // k_sin.c: x - ((z*(y/2 - v*r) - y) - v*S1), v = z*x
  const v = A.mul(z, rh);
  const r = A.add(S[1], A.mul(z, A.add(S[2], A.mul(z, A.add(S[3], A.mul(z, S[4]))))));
  const sn = A.sub(rh, A.sub(A.sub(A.mul(z, A.sub(A.mul(0.5, rl), A.mul(v, r))), rl), A.mul(v, S[0])));
  // k_cos.c: w + (((1 - w) - hz) + (z*r - x*y)), w = 1 - z/2
  const rc = A.mul(z, A.add(C[0], A.mul(z, A.add(C[1], A.mul(z, A.add(C[2], A.mul(z, C[3])))))));
  const hz = A.mul(0.5, z);
  const w = A.sub(1, hz);
  const cs = A.add(w, A.add(A.sub(A.sub(1, w), hz), A.sub(A.mul(z, rc), A.mul(rh, rl))));
  const q0 = A.sub(k, A.mul(4, A.floor(A.mul(k, 0.25))));
  const q = phase === 1 ? A.add(q0, 1) : q0;
  const val = A.sel(A.or(A.cmp("eq", q, 1), A.cmp("eq", q, 3)), cs, sn);
  const res = A.sel(A.or(A.cmp("eq", q, 2), A.cmp("eq", q, 3)), A.neg(val), val);
  return phase === 0 ? A.sel(A.cmp("eq", x, 0), x, res) : res;
}

// FreeBSD k_tanf.c: |tan(x)/x - t(x)| < 2^-25.5 on |x| <= pi/4 (double coefficients, rounded to float32)
const TT = [0.333331395030791399758, 0.133392002712976742718, 0.0533812378445670393523, 0.0245283181166547278873, 0.00297435743359967304927, 0.00946564784943673166728].map(fr) as [number, number, number, number, number, number];

/**
 * tan: the same reduction, then k_tanf's polynomial on rh in Estrin form, th + tl by
 * Fast2Sum with rl (1 + th^2) carried in tl; for odd k, -1/(th + tl) = q + q (e + q tl)
 * with q = -1/th and e = 1 + q th exact (Dekker), so the pole side rounds once more.
 */
function tan<V, M, I>(A: Arith<V, M, I>, x: V): V {
  const [rh, rl, k] = reduce(A, x);
  const z = A.mul(rh, rh);
  const w = A.mul(z, z);
  const s = A.mul(z, rh);
  const u = A.add(TT[0], A.mul(z, TT[1]));
  const t = A.add(TT[2], A.mul(z, TT[3]));
  const r = A.add(TT[4], A.mul(z, TT[5]));
  const p = A.add(A.mul(s, u), A.mul(A.mul(s, w), A.add(t, A.mul(w, r))));
  const th = A.add(rh, p);
  const tl = A.add(A.add(A.sub(rh, th), p), A.mul(rl, A.add(1, A.mul(th, th))));
  const even = A.add(th, tl);
  const q = A.div(-1, th);
  const qs = A.mul(q, 4097);
  const qh = A.sub(qs, A.sub(qs, q));
  const ql = A.sub(q, qh);
  const ts = A.mul(th, 4097);
  const thh = A.sub(ts, A.sub(ts, th));
  const thl = A.sub(th, thh);
  const pq = A.mul(q, th);
  const pe = A.add(A.add(A.add(A.sub(A.mul(qh, thh), pq), A.mul(qh, thl)), A.mul(ql, thh)), A.mul(ql, thl));
  const e = A.add(A.add(1, pq), pe);
  const odd = A.add(q, A.mul(q, A.add(e, A.mul(q, tl))));
  const isOdd = A.cmp("ne", A.sub(k, A.mul(2, A.floor(A.mul(k, 0.5)))), 0);
  return A.sel(A.cmp("eq", x, 0), x, A.sel(isOdd, odd, even));
}

export const TAN32: Algorithm = { name: "tan32", arity: 1, define: (A, x) => tan(A, x) };
export const tan32 = jsFunction(TAN32);

export const SIN32: Algorithm = { name: "sin32", arity: 1, define: (A, x) => sinCos(A, x, 0) };
export const COS32: Algorithm = { name: "cos32", arity: 1, define: (A, x) => sinCos(A, x, 1) };

export const sin32 = jsFunction(SIN32);
export const cos32 = jsFunction(COS32);
