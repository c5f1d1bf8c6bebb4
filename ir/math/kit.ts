/**
 * What a precision-generic algorithm needs beyond the shared arithmetic (arith64.ts
 * `Common`): the float32 or float64 pieces that differ only in bit layout and
 * constants. The new transcendentals (logexp.ts, hyperbolic.ts, ...) are each written
 * once over a `Kit` and instantiated for float32 (`kit32`, f32x4 in tier 2) and for
 * float64 (`kit64`, f64x2), so both precisions share one definition of the algorithm.
 */

import type { Arith } from "./arith.js";
import type { Algorithm } from "./arith.js";
import { f32FromBits, jsFunction } from "./arith.js";
import { jsFunction64, type Algorithm64, type Arith64, type Common } from "./arith64.js";
import * as L32 from "./float32.js";
import * as D from "./f64.js";

const fr = Math.fround;

export interface Kit<V, M, I> {
  readonly A: Common<V, M, I>;
  readonly prec: 32 | 64;
  /** x = m * 2^k with m in [sqrt(2)/2, sqrt(2)), for finite x > 0 (subnormals included); k as a float. */
  split(x: V): { m: V; k: V };
  /** fdlibm's R(z, w) of log(1 + f) = 2s + s*R, s = f/(2 + f), z = s^2, w = z^2. */
  logR(z: V, w: V): V;
  /** v with its low mantissa bits cleared (12 in float32, 32 in float64): products with a short constant are exact. */
  trunc(v: V): V;
  /** v truncated to 8 (float32) or 17 (float64) significant bits: its cube is exact. */
  truncCube(v: V): V;
  /** The unbiased exponent field of v >= 0 (as an int; -127 / -1023 for zero and subnormals). */
  exponent(v: V): I;
  /** cbrt's initial guess (fdlibm's bit trick: exponent and leading bits divided by 3) for a normal v > 0. */
  cbrtGuess(v: V): V;
  readonly c: Consts;
}

export interface Consts {
  readonly EPS: number; // ulp(1)
  readonly MAGIC: number; // 1.5 * 2^(mantissa bits)
  readonly MIN_NORMAL: number;
  readonly MAX: number;
  /** log: ln 2 = LN2_HI + LN2_LO, LN2_HI short enough that k*LN2_HI is exact. */
  readonly LOG_LN2_HI: number;
  readonly LOG_LN2_LO: number;
  /** exp: the same split for the Cody-Waite reduction. */
  readonly LOG2E: number;
  readonly LN2_HI: number;
  readonly LN2_LO: number;
  /** exp's input clamp: e^lo is 0 and e^hi is Inf after rounding. */
  readonly EXP_LO: number;
  readonly EXP_HI: number;
  /** 1/2!, 1/3!, ...: e^r = 1 + r + r^2 * sum(E[n] r^n) on |r| <= ln2/2. */
  readonly E: readonly number[];
  /** ln2, ln2^2/2!, ...: 2^r - 1 = r * sum(X2[n] r^n) on |r| <= 1/2. */
  readonly X2: readonly number[];
  readonly LN2: number;
  readonly IVLN2_HI: number;
  readonly IVLN2_LO: number;
  readonly IVLN10_HI: number;
  readonly IVLN10_LO: number;
  readonly LOG10_2HI: number;
  readonly LOG10_2LO: number;
  /** Veltkamp's split constant 2^ceil(p/2) + 1: v*v = h + l exactly (Dekker) for |v| well inside the range. */
  readonly SPLIT: number;
}

const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));

export const C32: Consts = {
  EPS: 2 ** -23,
  MAGIC: 12582912,
  MIN_NORMAL: L32.F32_MIN_NORMAL,
  MAX: fr(3.4028234663852886e38),
  LOG_LN2_HI: L32.LOG_LN2_HI,
  LOG_LN2_LO: L32.LOG_LN2_LO,
  LOG2E: L32.LOG2E,
  LN2_HI: L32.LN2_HI,
  LN2_LO: L32.LN2_LO,
  EXP_LO: -104,
  EXP_HI: 89,
  E: [2, 3, 4, 5, 6, 7, 8].map((n) => fr(1 / fact(n))),
  X2: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => fr(Math.LN2 ** n / fact(n))),
  LN2: fr(Math.LN2),
  // fdlibm e_log2f.c / e_log10f.c
  IVLN2_HI: f32FromBits(0x3fb8b000),
  IVLN2_LO: f32FromBits(0xb9389ad4 | 0),
  IVLN10_HI: f32FromBits(0x3ede6000),
  IVLN10_LO: f32FromBits(0xb804ead9 | 0),
  LOG10_2HI: f32FromBits(0x3e9a2080),
  LOG10_2LO: f32FromBits(0x355427db),
  SPLIT: 4097,
};

export const C64: Consts = {
  EPS: 2 ** -52,
  MAGIC: 6755399441055744,
  MIN_NORMAL: D.F64_MIN_NORMAL,
  MAX: Number.MAX_VALUE,
  LOG_LN2_HI: D.LOG_LN2_HI,
  LOG_LN2_LO: D.LOG_LN2_LO,
  LOG2E: D.INV_LN2,
  LN2_HI: D.LN2_HI,
  LN2_LO: D.LN2_LO,
  EXP_LO: -746,
  EXP_HI: 710,
  E: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((n) => 1 / fact(n)),
  X2: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((n) => Math.LN2 ** n / fact(n)),
  LN2: Math.LN2,
  // fdlibm e_log2.c / e_log10.c
  IVLN2_HI: 1.44269504072144627571e0,
  IVLN2_LO: 1.67517131648865118353e-10,
  IVLN10_HI: 4.34294481878168880939e-1,
  IVLN10_LO: 2.50829467116452752298e-11,
  LOG10_2HI: 3.01029995663611771306e-1,
  LOG10_2LO: 3.69423907715893078616e-13,
  SPLIT: 134217729,
};

export function kit32<V, M, I>(A: Arith<V, M, I>): Kit<V, M, I> {
  return {
    A,
    prec: 32,
    c: C32,
    split(x) {
      // log32's reduction (float32.ts)
      const sub = A.cmp("lt", x, L32.F32_MIN_NORMAL);
      const xs = A.sel(sub, A.mul(x, 33554432), x);
      const ix = A.iadd(A.bits(xs), 0x3f800000 - 0x3f3504f3);
      const k = A.isub(A.isub(A.ishr(ix, 23), 0x7f), A.isel(sub, 25, 0));
      const m = A.fromBits(A.iadd(A.iand(ix, 0x007fffff), 0x3f3504f3));
      return { m, k: A.convert(k) };
    },
    logR: (z, w) => A.add(A.mul(z, A.add(L32.LG1, A.mul(w, L32.LG3))), A.mul(w, A.add(L32.LG2, A.mul(w, L32.LG4)))),
    trunc: (v) => A.fromBits(A.iand(A.bits(v), 0xfffff000 | 0)),
    truncCube: (v) => A.fromBits(A.iand(A.bits(v), 0xffff0000 | 0)),
    exponent: (v) => A.isub(A.ishr(A.bits(v), 23), 127),
    // fdlibm s_cbrtf.c's B1 = (127 - 127/3 - 0.03306235651) * 2^23; the division by 3 in float (the guess only needs a few bits)
    cbrtGuess: (v) => A.fromBits(A.iadd(A.toInt(A.floor(A.mul(A.convert(A.bits(v)), fr(1 / 3)))), 709958130)),
  };
}

export function kit64<V, M, I>(A: Arith64<V, M, I>): Kit<V, M, I> {
  return {
    A,
    prec: 64,
    c: C64,
    split(x) {
      // log64's reduction (f64.ts)
      const sub = A.cmp("lt", x, D.F64_MIN_NORMAL);
      const xs = A.sel(sub, A.mul(x, 18014398509481984), x);
      const hx = A.iadd(A.hiWord(xs), 0x3ff00000 - 0x3fe6a09e);
      const k = A.isub(A.isub(A.ishr(hx, 20), 0x3ff), A.isel(sub, 54, 0));
      const m = A.fromWords(A.iadd(A.iand(hx, 0x000fffff), 0x3fe6a09e), xs);
      return { m, k: A.convert(k) };
    },
    logR(z, w) {
      const t1 = A.mul(w, A.add(D.LG2, A.mul(w, A.add(D.LG4, A.mul(w, D.LG6)))));
      const t2 = A.mul(z, A.add(D.LG1, A.mul(w, A.add(D.LG3, A.mul(w, A.add(D.LG5, A.mul(w, D.LG7)))))));
      return A.add(t2, t1);
    },
    trunc: (v) => A.clearLo(v),
    truncCube: (v) => A.fromWords(A.iand(A.hiWord(v), 0xfffffff0 | 0), A.clearLo(v)),
    exponent: (v) => A.isub(A.ishr(A.hiWord(v), 20), 1023),
    // fdlibm s_cbrt.c's B1 = (1023 - 1023/3 - 0.03306235651) * 2^20 on the high word
    cbrtGuess: (v) => A.clearLo(A.fromWords(A.iadd(A.toInt(A.floor(A.mul(A.convert(A.hiWord(v)), 1 / 3))), 715094163), v)),
  };
}

/** A generic definition instantiated in both precisions. */
export type Generic = <V, M, I>(K: Kit<V, M, I>, x: V, y: V) => V;

export interface Op2 {
  /** The float32 algorithm in float32 arithmetic (f32x4 in tier 2), or ... */
  readonly f32?: Algorithm;
  /** ... a float64 algorithm run on the promoted float32 value and rounded once (float32 tan was one; no op is now). */
  readonly f32in64?: Algorithm64;
  readonly f64: Algorithm64;
  /** The generated JS scalar functions (tier 0, eager mode, tier 1). */
  readonly js32: (x: number, y: number) => number;
  readonly js64: (x: number, y: number) => number;
}

/** One generic definition as its float32 and float64 algorithms and their JS forms. */
export function both(name: string, arity: 1 | 2, g: Generic): Op2 {
  const f32: Algorithm = { name: `${name}32`, arity, define: (A, x, y) => g(kit32(A), x, y) };
  const f64: Algorithm64 = { name: `${name}64`, arity, define: (A, x, y) => g(kit64(A), x, y) };
  return { f32, f64, js32: jsFunction(f32), js64: jsFunction64(f64) };
}

// ---------------------------------------------------------------------------
// Shared cores
// ---------------------------------------------------------------------------

/** a + b = s + e exactly (Knuth's 2Sum: no condition on the magnitudes). */
export function twoSum<V, M, I>(A: Common<V, M, I>, a: V | number, b: V | number): { s: V; e: V } {
  const s = A.add(a, b);
  const bb = A.sub(s, a);
  const e = A.add(A.sub(a, A.sub(s, bb)), A.sub(b, bb));
  return { s, e };
}

/**
 * e^y = (er + erLo) * s1 * s2 for y in [EXP_LO, EXP_HI] (clamped by the caller):
 * Cody-Waite y = k ln2 + r + rLo (r + rLo exact), e^r = 1 + r + r^2 q(r) (Taylor),
 * 1 + r split exactly so only er's last add rounds, erLo its exact rounding error
 * (with rLo added in), s1 * s2 = 2^k as two normal powers of two.
 */
export function expParts<V, M, I>(K: Kit<V, M, I>, y: V, yLo?: V): { er: V; erLo: V; s1: V; s2: V; k: V } {
  const { A, c } = K;
  const k = A.sub(A.add(A.mul(y, c.LOG2E), c.MAGIC), c.MAGIC);
  const hi = A.sub(y, A.mul(k, c.LN2_HI));
  const lo = A.mul(k, c.LN2_LO);
  const r = A.sub(hi, lo);
  const rLo0 = A.sub(A.sub(hi, r), lo);
  const rLo = yLo === undefined ? rLo0 : A.add(rLo0, yLo);
  let q: V | number = c.E[c.E.length - 1]!;
  for (let n = c.E.length - 2; n >= 0; n--) q = A.add(c.E[n]!, A.mul(r, q));
  const h = A.add(1, r);
  const l = A.add(A.sub(1, h), r);
  const t = A.add(A.add(l, rLo), A.mul(A.mul(r, r), q));
  const er = A.add(h, t);
  const erLo = A.add(A.sub(h, er), t);
  const ki = A.toInt(k);
  const k1 = A.ishr(ki, 1);
  return { er, erLo, s1: A.pow2(k1), s2: A.pow2(A.isub(ki, k1)), k };
}

/**
 * log(m * 2^k) + c for m in [sqrt(2)/2, sqrt(2)) and a small correction c (fdlibm's
 * log1p form: c enters with the low part of k ln2, before the big terms).
 */
export function logCore<V, M, I>(K: Kit<V, M, I>, m: V, k: V, c: V | number): V {
  const { A } = K;
  const f = A.sub(m, 1);
  const s = A.div(f, A.add(2, f));
  const z = A.mul(s, s);
  const w = A.mul(z, z);
  const R = K.logR(z, w);
  const hfsq = A.mul(A.mul(0.5, f), f);
  return A.add(A.add(A.sub(A.add(A.mul(s, A.add(hfsq, R)), A.add(A.mul(k, K.c.LOG_LN2_LO), c)), hfsq), f), A.mul(k, K.c.LOG_LN2_HI));
}

/** log(x) + c for finite x > 0 (both precisions; float32's log32 is the same reduction). */
export function logPlus<V, M, I>(K: Kit<V, M, I>, x: V, c: V | number, kAdd = 0): V {
  const { m, k } = K.split(x);
  return logCore(K, m, kAdd === 0 ? k : K.A.add(k, kAdd), c);
}

/** The special values of a logarithm of x (which is y for finite x > 0). */
export function logSpecials<V, M, I>(K: Kit<V, M, I>, x: V, y: V): V {
  const { A } = K;
  const pos = A.sel(A.cmp("lt", x, Infinity), y, x);
  return A.sel(A.cmp("gt", x, 0), pos, A.sel(A.cmp("eq", x, 0), -Infinity, NaN));
}

/** v*v = h + l exactly (Dekker's product with Veltkamp's split; no FMA). */
export function square<V, M, I>(K: Kit<V, M, I>, v: V): { h: V; l: V } {
  const { A } = K;
  const vs = A.mul(v, K.c.SPLIT);
  const vh = A.sub(vs, A.sub(vs, v));
  const vl = A.sub(v, vh);
  const h = A.mul(v, v);
  const l = A.add(A.add(A.sub(A.mul(vh, vh), h), A.mul(A.mul(2, vh), vl)), A.mul(vl, vl));
  return { h, l };
}

/** Horner: c[0] + v*(c[1] + v*(...)). */
export function horner<V, M, I>(A: Common<V, M, I>, v: V, c: readonly number[]): V | number {
  let p: V | number = c[c.length - 1]!;
  for (let n = c.length - 2; n >= 0; n--) p = A.add(c[n]!, A.mul(v, p));
  return p;
}

/** e^a / 2 = h + hLo for a >= 0 (a NaN propagates; overflow gives Inf), 2^(k-1) applied to both. */
export function halfExp<V, M, I>(K: Kit<V, M, I>, a: V): { h: V; hLo: V } {
  const { A } = K;
  const { er, erLo, s1, s2 } = expParts(K, A.min(a, K.c.EXP_HI + 1));
  return { h: A.mul(A.mul(A.mul(er, 0.5), s1), s2), hLo: A.mul(A.mul(A.mul(erLo, 0.5), s1), s2) };
}

/** log1p(a + aLo) for a > -1 (a + aLo exact sum, aLo small): u = 1 + a by 2Sum, log(u) + (e + aLo)/u. */
export function log1pPlus<V, M, I>(K: Kit<V, M, I>, a: V, aLo: V | number): V {
  const { A } = K;
  const { s: u, e } = twoSum(A, 1, a);
  const { m, k } = K.split(u);
  return logCore(K, m, k, A.div(typeof aLo === "number" && aLo === 0 ? e : A.add(e, aLo), u));
}

/** x's sign bit as a mask (true for -0; x must not be NaN where it matters). */
export function signBit<V, M, I>(A: Common<V, M, I>, x: V): M {
  return A.or(A.cmp("lt", x, 0), A.cmp("lt", A.div(1, x), 0));
}

/** A precision's constant: the float32 value in float32 (rounded), the double in float64. */
export const cst = (K: { prec: 32 | 64 }, v: number): number => (K.prec === 32 ? fr(v) : v);
