/**
 * Float32 pow in float32 arithmetic (f32x4 in tier 2), written once over arith.ts with
 * kit.ts's float32 pieces: x^y = e^(y ln|x|) with ln|x| and the product y ln|x| carried
 * as double-floats (hi + lo, ~2^-40 relative), then kit.ts's expParts (Cody-Waite with
 * the low part folded into the remainder), then Math.pow's special cases by selects.
 *
 * ln|x|: |x| = m 2^k (kit32 split, m in [sqrt(2)/2, sqrt(2))), f = m - 1 exact,
 *   s = f/(2 + f) as sh + sl (2 + f by Fast2Sum, the division's residual by Dekker),
 *   ln m = 2s + (2/3)s^3 + s^5 P(s^2): 2s exact from (sh, sl); s^3 by Dekker products
 *   and 2/3 as a double-float constant (this term alone would cost ~2^-29 relative in
 *   float32); P = 2/5 + 2/7 z + ... + 2/13 z^4 (Taylor; the rest is < 2^-34 relative).
 *   k ln2 = k LN2_HI (exact: 15-bit LN2_HI, |k| <= 149) + k LN2_LO, summed by 2Sums.
 * P = y ln|x|: y (clamped to ±2^32, where every non-special result is already 0 or Inf)
 *   times the double-float by Dekker; then clamped to [-104, 89] as exp32.
 * The result is er * 2^k1 * 2^k2 (expParts): one rounding of e^r, exact scaling (a
 * subnormal result rounds once more, at the last product).
 *
 * Special cases (JS Math.pow), lowest priority first, as ir/math/f32.ts pow32:
 *   x < 0 and y not an integer -> NaN; |y| = Inf -> NaN for |x| = 1, else Inf or 0;
 *   |x| = 0 or Inf -> Inf or 0 by the sign of y; the sign of x for odd integer y;
 *   NaN in -> NaN; y = 2, -1, 0.5 (x > 0), 1, 0: x*x, 1/x, sqrt(x), x, 1 exactly.
 */

import type { Algorithm, Arith } from "./arith.js";
import { jsFunction } from "./arith.js";
import { C32, kit32, signBit, twoSum } from "./kit.js";
import { LN2_HI, LN2_LO } from "./float32.js";

const fr = Math.fround;

/** Error bound in float32 ulps against float64 Math.pow (pow32.test.ts enforces it on samples; CONTRIBUTING.md has the scan). */
export const POW32_ULPS = 1;

const C23H = fr(2 / 3);
const C23L = fr(2 / 3 - C23H);
const P5 = [2 / 5, 2 / 7, 2 / 9, 2 / 11, 2 / 13].map(fr) as [number, number, number, number, number];

/** Veltkamp's split: v = hi + lo, 12 bits each (|v| < 2^115). */
function split<V, M, I>(A: Arith<V, M, I>, v: V): [V, V] {
  const c = A.mul(v, 4097);
  const hi = A.sub(c, A.sub(c, v));
  return [hi, A.sub(v, hi)];
}
/** a*b = p + e exactly (Dekker), from the splits of a and b. */
function mulExact<V, M, I>(A: Arith<V, M, I>, a: V, as: [V, V], b: V | number, bs: [V | number, V | number]): { p: V; e: V } {
  const p = A.mul(a, b);
  const e = A.add(A.add(A.add(A.sub(A.mul(as[0], bs[0]), p), A.mul(as[0], bs[1])), A.mul(as[1], bs[0])), A.mul(as[1], bs[1]));
  return { p, e };
}
const C23S: [number, number] = ((h) => [h, C23H - h])(fr(Math.fround(C23H * 4097) - Math.fround(Math.fround(C23H * 4097) - C23H)));

/** ln a = hi + lo for finite a > 0 (subnormals included). */
function logDF<V, M, I>(A: Arith<V, M, I>, a: V): { hi: V; lo: V } {
  const K = kit32(A);
  const { m, k } = K.split(a);
  const f = A.sub(m, 1);
  const uh = A.add(2, f);
  const ul = A.add(A.sub(2, uh), f);
  const sh = A.div(f, uh);
  const shs = split(A, sh);
  const q = mulExact(A, sh, shs, uh, split(A, uh));
  const sl = A.div(A.sub(A.sub(A.sub(f, q.p), q.e), A.mul(sh, ul)), uh);
  // s^2 = zh + zl, s^3 = ch + cl (to ~2^-44 relative)
  const z = mulExact(A, sh, shs, sh, shs);
  const zl = A.add(z.e, A.mul(A.mul(2, sh), sl));
  const c = mulExact(A, sh, shs, z.p, split(A, z.p));
  const cl = A.add(c.e, A.add(A.mul(sh, zl), A.mul(sl, z.p)));
  // (2/3) s^3 = th + tl
  const t = mulExact(A, c.p, split(A, c.p), C23H, C23S);
  const tl = A.add(t.e, A.add(A.mul(c.p, C23L), A.mul(cl, C23H)));
  const zz = z.p;
  const p5 = A.add(P5[0], A.mul(zz, A.add(P5[1], A.mul(zz, A.add(P5[2], A.mul(zz, A.add(P5[3], A.mul(zz, P5[4]))))))));
  const t5 = A.mul(A.mul(c.p, zz), p5);
  // k LN2_HI + 2sh + th + [2sl + tl + t5 + k LN2_LO]
  const a1 = twoSum(A, A.mul(k, LN2_HI), A.mul(2, sh));
  const a2 = twoSum(A, a1.s, t.p);
  const lo = A.add(A.add(A.add(A.add(a1.e, a2.e), A.mul(2, sl)), A.add(tl, t5)), A.mul(k, LN2_LO));
  const hi = A.add(a2.s, lo);
  return { hi, lo: A.add(A.sub(a2.s, hi), lo) };
}

/**
 * e^(ph + pl) for ph in [-104, 89] and |pl| <= ulp(ph): Cody-Waite on ph, then pl
 * joins the remainder before the series (r = rh + rl by 2Sum: kit.ts expParts instead
 * adds its low part after the series, which is only right while it is below ulp(r)),
 * e^r = 1 + rh + rh^2 q(rh) + rl (1 + rh), 1 + rh split exactly.
 */
function expDF<V, M, I>(A: Arith<V, M, I>, ph: V, pl: V): V {
  const c = C32;
  const k = A.sub(A.add(A.mul(ph, c.LOG2E), c.MAGIC), c.MAGIC);
  const hi = A.sub(ph, A.mul(k, c.LN2_HI));
  const u = A.sub(pl, A.mul(k, c.LN2_LO));
  const { s: rh, e: rl } = twoSum(A, hi, u);
  let q: V | number = c.E[c.E.length - 1]!;
  for (let n = c.E.length - 2; n >= 0; n--) q = A.add(c.E[n]!, A.mul(rh, q));
  const h = A.add(1, rh);
  const l = A.add(A.sub(1, h), rh);
  const t = A.add(A.add(A.add(l, rl), A.mul(rh, rl)), A.mul(A.mul(rh, rh), q));
  const ki = A.toInt(k);
  const k1 = A.ishr(ki, 1);
  return A.mul(A.mul(A.add(h, t), A.pow2(k1)), A.pow2(A.isub(ki, k1)));
}

export const POW32: Algorithm = {
  name: "pow32",
  arity: 2,
  define(A, x, y) {
    const ax = A.abs(x);
    const L = logDF(A, ax);
    const yc = A.min(A.max(y, -4294967296), 4294967296);
    const yp = mulExact(A, yc, split(A, yc), L.hi, split(A, L.hi));
    const ph = A.min(A.max(yp.p, -104), 89);
    const pl = A.sel(A.cmp("eq", ph, yp.p), A.add(yp.e, A.mul(yc, L.lo)), 0); // clamped: e^ph is 0 or Inf already
    let m = expDF(A, ph, pl);
    const yInt = A.cmp("eq", A.floor(y), y); // true for ±Inf
    const yOdd = A.and(yInt, A.cmp("ne", A.floor(A.mul(y, 0.5)), A.mul(y, 0.5)));
    m = A.sel(A.and(A.cmp("lt", x, 0), A.cmp("ne", A.floor(y), y)), NaN, m);
    const toInf = A.or(A.and(A.cmp("gt", ax, 1), A.cmp("gt", y, 0)), A.and(A.cmp("lt", ax, 1), A.cmp("lt", y, 0)));
    m = A.sel(A.cmp("eq", A.abs(y), Infinity), A.sel(A.cmp("eq", ax, 1), NaN, A.sel(toInf, Infinity, 0)), m);
    const zInf = A.or(A.and(A.cmp("eq", ax, 0), A.cmp("lt", y, 0)), A.and(A.cmp("eq", ax, Infinity), A.cmp("ge", y, 0)));
    m = A.sel(A.or(A.cmp("eq", ax, 0), A.cmp("eq", ax, Infinity)), A.sel(zInf, Infinity, 0), m);
    let r = A.sel(A.and(signBit(A, x), yOdd), A.neg(m), m);
    r = A.sel(A.or(A.cmp("ne", x, x), A.cmp("ne", y, y)), NaN, r);
    r = A.sel(A.cmp("eq", y, 2), A.mul(x, x), r);
    r = A.sel(A.cmp("eq", y, -1), A.div(1, x), r);
    r = A.sel(A.and(A.cmp("eq", y, 0.5), A.cmp("gt", x, 0)), A.sqrt(x), r);
    r = A.sel(A.cmp("eq", y, 1), x, r);
    return A.sel(A.cmp("eq", y, 0), 1, r);
  },
};

export const pow32 = jsFunction(POW32);
