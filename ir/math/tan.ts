/**
 * tan, written once over arith64.ts (float64 arithmetic): the float64 op (f64x2 in
 * tier 2). Float32 tan is trig32.ts's TAN32 (float32 arithmetic, f32x4, every finite x);
 * TAN32_IN64 here, the float32 value promoted and rounded once (0.5 ulp, two f64x2
 * halves per f32x4), was the float32 op before and is kept as the correctly rounded
 * alternative.
 *
 * Reduction x = k pi/2 + (hi + lo), k = rne(x * 2/pi), pi/2 as three short pieces and a
 * tail, each k*P_i exact, the two subtractions' errors carried (as sin64):
 *   float64 inputs: f64.ts's 33-bit pieces, exact for |k| < 2^20 (|x| <= 2^19 pi/2);
 *   float32 inputs: 24-bit pieces, exact for |k| < 2^29 (|x| < 2^28 pi/2).
 * Beyond, results are deterministic but not accurate (as sin/cos).
 * Kernel: fdlibm k_tan.c (|hi| >= 0.6744 through pi/4 - hi; for odd k -1/tan with the
 * accurate split division), branch-free; tan(±0) = ±0, tan(±Inf) = NaN.
 */

import { jsFunction64, type Algorithm64, type Arith64 } from "./arith64.js";
import * as D from "./f64.js";

// fdlibm k_tan.c
const T = [
  3.33333333333334091986e-1, 1.33333333333201242699e-1, 5.39682539762260521377e-2, 2.18694882948595424599e-2, 8.86323982359930005737e-3,
  3.59207910759131235356e-3, 1.45620945432529025516e-3, 5.88041240820264096874e-4, 2.46463134818469906812e-4, 7.81794442939557092300e-5,
  7.14072491382608190305e-5, -1.85586374855275456654e-5, 2.59073051863633712884e-5,
] as const;
const PIO4 = 7.85398163397448278999e-1;
const PIO4LO = 3.06161699786838301793e-17;

/** pi/2 = P[0] + P[1] + P[2] + P[3] (the last a full double). */
const P64 = [D.PIO2_1, D.PIO2_2, D.PIO2_3, D.PIO2_3T] as const;
const P32 = [1.5707963705062866, -4.371138828673793e-8, -1.7151245100058819e-15, 1.0562999066987428e-23] as const;

function tanWith<V, M, I>(A: Arith64<V, M, I>, x: V, P: readonly number[]): V {
  const k = A.sub(A.add(A.mul(x, D.INV_PIO2), 6755399441055744), 6755399441055744);
  const r0 = A.sub(x, A.mul(k, P[0]!));
  const a = A.mul(k, P[1]!);
  const r1 = A.sub(r0, a);
  const e1 = A.sub(A.sub(r0, r1), a);
  const b = A.mul(k, P[2]!);
  const r2 = A.sub(r1, b);
  const e2 = A.sub(A.sub(r1, r2), b);
  const tail = A.sub(A.add(e1, e2), A.mul(k, P[3]!));
  const hi0 = A.add(r2, tail);
  const lo0 = A.add(A.sub(r2, hi0), tail);
  const hi = A.min(A.max(hi0, -D.R_MAX), D.R_MAX);
  const odd = A.cmp("ne", A.sub(k, A.mul(2, A.floor(A.mul(k, 0.5)))), 0);
  const iy = A.sel(odd, -1, 1);
  // k_tan.c
  const big = A.cmp("ge", A.abs(hi), 0.6744);
  const sgn = A.sel(A.cmp("lt", hi, 0), -1, 1);
  const xb = A.add(A.sub(PIO4, A.abs(hi)), A.sub(PIO4LO, A.mul(sgn, lo0)));
  const X = A.sel(big, xb, hi);
  const Y = A.sel(big, 0, lo0);
  const z = A.mul(X, X);
  const w = A.mul(z, z);
  const r = A.add(T[1], A.mul(w, A.add(T[3], A.mul(w, A.add(T[5], A.mul(w, A.add(T[7], A.mul(w, A.add(T[9], A.mul(w, T[11]))))))))));
  const v = A.mul(z, A.add(T[2], A.mul(w, A.add(T[4], A.mul(w, A.add(T[6], A.mul(w, A.add(T[8], A.mul(w, A.add(T[10], A.mul(w, T[12])))))))))));
  const s = A.mul(z, X);
  const rr = A.add(A.add(Y, A.mul(z, A.add(A.mul(s, A.add(r, v)), Y))), A.mul(T[0], s));
  const W = A.add(X, rr);
  const bigRes = A.mul(sgn, A.sub(iy, A.mul(2, A.sub(X, A.sub(A.div(A.mul(W, W), A.add(W, iy)), rr)))));
  const zz = A.clearLo(W);
  const vv = A.sub(rr, A.sub(zz, X));
  const am = A.div(-1, W);
  const t = A.clearLo(am);
  const ss = A.add(1, A.mul(t, zz));
  const oddRes = A.add(t, A.mul(am, A.add(ss, A.mul(t, vv))));
  const res = A.sel(big, bigRes, A.sel(odd, oddRes, W));
  return A.sel(A.cmp("eq", x, 0), x, res);
}

export const TAN64: Algorithm64 = { name: "tan64", arity: 1, define: (A, x) => tanWith(A, x, P64) };
/** tan of a float32 value, computed in float64; the caller rounds to float32 once. */
export const TAN32_IN64: Algorithm64 = { name: "tan32in64", arity: 1, define: (A, x) => tanWith(A, x, P32) };

export const tan64 = jsFunction64(TAN64);
const tan32core = jsFunction64(TAN32_IN64);
export const tan32 = (x: number, _y?: number): number => Math.fround(tan32core(x, 0));
