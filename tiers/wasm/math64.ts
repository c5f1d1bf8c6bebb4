// The float64 transcendentals of ir/math/f64.ts and pow32 of ir/math/f32.ts,
// transcribed operation for operation into wasm (f64 scalar or f64x2, through F of
// lanes.ts). Same constants, same association (JS evaluates `a - b - c` as
// `(a - b) - c`; every such step below is written out in that order), no FMA.
// math64.test.ts checks every function bit for bit against ir/math.
//
// The bit-level helpers of ir/math/bits.ts become integer ops on the 64-bit lanes
// (I64 below): hiWord(x) = bits >> 32 (arithmetic), fromWords(h, l) = h << 32 | l,
// clearLo = and with 0xffffffff00000000, pow2f64(k) = (k + 1023) << 52. An int32
// computation in JS that can overflow (log64's hx) wraps like `| 0` by
// sign-extending the low 32 bits. Small integers convert between f64 and i64 lanes
// exactly with the 1.5 * 2^52 magic number (wasm SIMD has no i64x2 <-> f64x2
// conversion): n -> reinterpret(n + bits(M)) - M and k -> bits(k + M) - bits(M).

import { splatBytes, x, type Expr } from "./recipe.js";
import type { F } from "./lanes.js";
import { INV_LN2, LN2_HI, LN2_LO, P1, P2, P3, P4, P5, LOG_LN2_HI, LOG_LN2_LO, LG1, LG2, LG3, LG4, LG5, LG6, LG7, F64_MIN_NORMAL, TP0, TP1, TP2, TQ0, TQ1, TQ2, SPLIT, INV_PIO2, PIO2_1, PIO2_2, PIO2_3, PIO2_3T, R_MAX, KS1, KS2, KS3, KS4, KS5, KS6, KC1, KC2, KC3, KC4, KC5, KC6, DP_H, DP_L, L1, L2, L3, L4, L5, L6, LN2, LG2_H, LG2_L, CP, CP_H, CP_L, IVLN2, IVLN2_H, IVLN2_L } from "../../ir/math/f64.js"; // the algorithm's constants, from its one definition

const MAGIC64 = 6755399441055744;
const MAGIC_BITS = 0x4338000000000000n;

/** Integer ops on the 64-bit lanes of an f64 F (i64 scalar or i64x2). */
export class I64 {
  constructor(readonly f: F) {}
  private get vec() {
    return this.f.vec;
  }
  private let(e: Expr): Expr {
    return this.f.fn.let(this.vec ? "v128" : "i64", e);
  }
  c(v: bigint | number): Expr {
    const b = BigInt.asIntN(64, BigInt(v));
    if (this.vec) return x("v128.const", splatBytes("i64", b));
    return x("i64.const", b);
  }
  private k(a: Expr | bigint | number): Expr {
    return typeof a === "object" ? a : this.c(a);
  }
  private op(name: string, a: Expr, b: Expr | bigint | number): Expr {
    return this.let(x(`${this.vec ? "i64x2" : "i64"}.${name}`, a, this.k(b)));
  }
  add(a: Expr, b: Expr | bigint | number): Expr { return this.op("add", a, b); }
  sub(a: Expr, b: Expr | bigint | number): Expr { return this.op("sub", a, b); }
  and(a: Expr, b: Expr | bigint | number): Expr { return this.let(x(this.vec ? "v128.and" : "i64.and", a, this.k(b))); }
  or(a: Expr, b: Expr | bigint | number): Expr { return this.let(x(this.vec ? "v128.or" : "i64.or", a, this.k(b))); }
  shl(a: Expr, n: number): Expr {
    return this.let(this.vec ? x("i64x2.shl", a, x("i32.const", n)) : x("i64.shl", a, this.c(n)));
  }
  shr(a: Expr, n: number): Expr {
    return this.let(this.vec ? x("i64x2.shr_s", a, x("i32.const", n)) : x("i64.shr_s", a, this.c(n)));
  }
  /** A comparison mask, of the same form as F's (so it can select floats). */
  cmp(op: "gt_s" | "lt_s" | "ge_s", a: Expr, b: Expr | bigint | number): Expr {
    return this.f.fn.let(this.f.mt, x(`${this.vec ? "i64x2" : "i64"}.${op}`, a, this.k(b)));
  }
  sel(m: Expr, a: Expr | bigint | number, b: Expr | bigint | number): Expr {
    return this.let(this.vec ? x("v128.bitselect", this.k(a), this.k(b), m) : x("select", m, this.k(a), this.k(b)));
  }
  bits(v: Expr): Expr {
    return this.vec ? v : this.let(x("i64.reinterpret", v));
  }
  float(i: Expr): Expr {
    return this.vec ? i : this.f.fn.let("f64", x("f64.reinterpret", i));
  }
  /** The int32 `v | 0` of an i64 lane: sign-extends the low 32 bits. */
  wrap32(v: Expr): Expr {
    return this.shr(this.shl(v, 32), 32);
  }
  hiWord(v: Expr): Expr {
    return this.shr(this.bits(v), 32);
  }
  fromWords(hi: Expr, loOf: Expr): Expr {
    return this.float(this.or(this.shl(hi, 32), this.and(this.bits(loOf), 0xffffffffn)));
  }
  clearLo(v: Expr): Expr {
    return this.float(this.and(this.bits(v), 0xffffffff00000000n));
  }
  /** An integral f64 (|k| < 2^51) as an integer lane. */
  toInt(k: Expr): Expr {
    return this.sub(this.bits(this.f.add(k, MAGIC64)), MAGIC_BITS);
  }
  /** A small integer lane as f64. */
  toFloat(n: Expr): Expr {
    return this.f.sub(this.float(this.add(n, MAGIC_BITS)), MAGIC64);
  }
  pow2(k: Expr): Expr {
    return this.float(this.shl(this.add(k, 1023), 52));
  }
}

const and = (f: F, a: Expr, b: Expr) => f.fn.let(f.mt, x(f.vec ? "v128.and" : "i32.and", a, b));
const rne = (f: F, v: Expr) => f.sub(f.add(v, MAGIC64), MAGIC64);


/** (P1 + t*P2) + t2*((P3 + t*P4) + t2*P5) */
function expPoly(f: F, t: Expr, t2: Expr): Expr {
  return f.add(f.add(P1, f.mul(t, P2)), f.mul(t2, f.add(f.add(P3, f.mul(t, P4)), f.mul(t2, P5))));
}

/** (y * 2^(k>>1)) * 2^(k - (k>>1)) for an integral f64 k. */
function scale(f: F, y: Expr, k: Expr): Expr {
  const i = new I64(f);
  const ki = i.toInt(k);
  const k1 = i.shr(ki, 1);
  return f.mul(f.mul(y, i.pow2(k1)), i.pow2(i.sub(ki, k1)));
}

export function exp64(f: F, v: Expr): Expr {
  const xc = f.min(f.max(v, -746), 710);
  const k = rne(f, f.mul(xc, INV_LN2));
  const hi = f.sub(xc, f.mul(k, LN2_HI));
  const lo = f.mul(k, LN2_LO);
  const r = f.sub(hi, lo);
  const t = f.mul(r, r);
  const t2 = f.mul(t, t);
  const c = f.sub(r, f.mul(t, expPoly(f, t, t2)));
  const y = f.sub(1, f.sub(f.sub(lo, f.div(f.mul(r, c), f.sub(2, c))), hi));
  return scale(f, y, k);
}


export function log64(f: F, v: Expr): Expr {
  const i = new I64(f);
  const sub = f.cmp("lt", v, F64_MIN_NORMAL);
  const xs = f.sel(sub, f.mul(v, 18014398509481984), v);
  const hx = i.wrap32(i.add(i.hiWord(xs), 0x3ff00000 - 0x3fe6a09e));
  const k = i.sub(i.sub(i.shr(hx, 20), 0x3ff), i.sel(sub, 54, 0));
  const m = i.fromWords(i.add(i.and(hx, 0x000fffff), 0x3fe6a09e), xs);
  const fm = f.sub(m, 1);
  const hfsq = f.mul(f.mul(0.5, fm), fm);
  const s = f.div(fm, f.add(2, fm));
  const z = f.mul(s, s);
  const w = f.mul(z, z);
  const t1 = f.mul(w, f.add(LG2, f.mul(w, f.add(LG4, f.mul(w, LG6)))));
  const t2 = f.mul(z, f.add(LG1, f.mul(w, f.add(LG3, f.mul(w, f.add(LG5, f.mul(w, LG7)))))));
  const R = f.add(t2, t1);
  const dk = i.toFloat(k);
  const y = f.add(f.add(f.sub(f.add(f.mul(s, f.add(hfsq, R)), f.mul(dk, LOG_LN2_LO)), hfsq), fm), f.mul(dk, LOG_LN2_HI));
  const pos = f.sel(f.cmp("lt", v, Infinity), y, v);
  return f.sel(f.cmp("gt", v, 0), pos, f.sel(f.cmp("eq", v, 0), -Infinity, NaN));
}


export function tanh64(f: F, v: Expr): Expr {
  const ax = f.abs(v);
  const s = f.mul(v, v);
  const s2 = f.mul(s, s);
  const p = f.add(f.add(TP2, f.mul(s, TP1)), f.mul(s2, TP0));
  const q = f.add(f.add(TQ2, f.mul(s, TQ1)), f.mul(s2, f.add(TQ0, s)));
  const small = f.add(v, f.mul(f.mul(v, s), f.div(p, q)));
  const e = exp64(f, f.add(ax, ax));
  const big = f.sub(1, f.div(2, f.add(e, 1)));
  const signed = f.sel(f.cmp("lt", v, 0), f.neg(big), big);
  return f.sel(f.cmp("lt", ax, 0.625), f.sel(f.cmp("eq", v, 0), v, small), signed);
}


export function sigmoid64(f: F, v: Expr): Expr {
  const e = exp64(f, f.neg(f.abs(v)));
  const num = f.sel(f.cmp("ge", v, 0), 1, e);
  const d = f.add(1, e);
  const dLo = f.add(f.sub(1, d), e);
  const q = f.div(num, d);
  const qs = f.mul(q, SPLIT);
  const qH = f.sub(qs, f.sub(qs, q));
  const qL = f.sub(q, qH);
  const ds = f.mul(d, SPLIT);
  const dH = f.sub(ds, f.sub(ds, d));
  const dL = f.sub(d, dH);
  const p = f.mul(q, d);
  const pErr = f.add(f.add(f.add(f.sub(f.mul(qH, dH), p), f.mul(qH, dL)), f.mul(qL, dH)), f.mul(qL, dL));
  const res = f.sub(f.sub(f.sub(num, p), pErr), f.mul(q, dLo));
  return f.add(q, f.div(res, d));
}


function sinCos64(f: F, v: Expr, phase: 0 | 1): Expr {
  const k = rne(f, f.mul(v, INV_PIO2));
  const r0 = f.sub(v, f.mul(k, PIO2_1));
  const a = f.mul(k, PIO2_2);
  const r1 = f.sub(r0, a);
  const e1 = f.sub(f.sub(r0, r1), a);
  const b = f.mul(k, PIO2_3);
  const r2 = f.sub(r1, b);
  const e2 = f.sub(f.sub(r1, r2), b);
  const tail = f.sub(f.add(e1, e2), f.mul(k, PIO2_3T));
  const hi0 = f.add(r2, tail);
  const lo = f.add(f.sub(r2, hi0), tail);
  const hi = f.sel(f.cmp("eq", k, 0), v, f.min(f.max(hi0, -R_MAX), R_MAX));
  const q0 = f.sub(k, f.mul(4, f.floor(f.mul(k, 0.25))));
  const q = phase ? f.add(q0, 1) : q0;
  // sinKernel(hi, lo)
  const z = f.mul(hi, hi);
  const w = f.mul(z, z);
  const rs = f.add(f.add(KS2, f.mul(z, f.add(KS3, f.mul(z, KS4)))), f.mul(f.mul(z, w), f.add(KS5, f.mul(z, KS6))));
  const vz = f.mul(z, hi);
  const s = f.sub(hi, f.sub(f.sub(f.mul(z, f.sub(f.mul(0.5, lo), f.mul(vz, rs))), lo), f.mul(vz, KS1)));
  // cosKernel(hi, lo)
  const rc = f.add(f.mul(z, f.add(KC1, f.mul(z, f.add(KC2, f.mul(z, KC3))))), f.mul(f.mul(w, w), f.add(KC4, f.mul(z, f.add(KC5, f.mul(z, KC6))))));
  const hz = f.mul(0.5, z);
  const u = f.sub(1, hz);
  const c = f.add(u, f.add(f.sub(f.sub(1, u), hz), f.sub(f.mul(z, rc), f.mul(hi, lo))));
  const val = f.sel(f.or(f.cmp("eq", q, 1), f.cmp("eq", q, 3)), c, s);
  return f.min(f.max(f.sel(f.or(f.cmp("eq", q, 2), f.cmp("eq", q, 3)), f.neg(val), val), -1), 1);
}

export const sin64 = (f: F, v: Expr) => sinCos64(f, v, 0);
export const cos64 = (f: F, v: Expr) => sinCos64(f, v, 1);


/** log2|x| as t1 + t2 in extra precision (fdlibm's general path). */
function log2Split(f: F, ax: Expr): [Expr, Expr] {
  const i = new I64(f);
  const sub = f.cmp("lt", ax, F64_MIN_NORMAL);
  const axs = f.sel(sub, f.mul(ax, 9007199254740992), ax);
  const ix0 = i.hiWord(axs);
  const n0 = i.sub(i.sub(i.shr(ix0, 20), 0x3ff), i.sel(sub, 53, 0));
  const j = i.and(ix0, 0x000fffff);
  const kk = and(f, i.cmp("gt_s", j, 0x3988e), i.cmp("lt_s", j, 0xbb67a));
  const wrap = i.cmp("ge_s", j, 0xbb67a);
  const n = i.sel(wrap, i.add(n0, 1), n0);
  const jo = i.or(j, 0x3ff00000);
  const ix = i.sel(wrap, i.sub(jo, 0x00100000), jo);
  const m = i.fromWords(ix, axs);
  const bp = f.sel(kk, 1.5, 1);
  const dpH = f.sel(kk, DP_H, 0);
  const dpL = f.sel(kk, DP_L, 0);
  const u = f.sub(m, bp);
  const v = f.div(1, f.add(m, bp));
  const ss = f.mul(u, v);
  const sH = i.clearLo(ss);
  const tH0 = i.float(i.shl(i.add(i.add(i.or(i.shr(ix, 1), 0x20000000), 0x00080000), i.sel(kk, 1 << 18, 0)), 32));
  const tL0 = f.sub(m, f.sub(tH0, bp));
  const sL = f.mul(v, f.sub(f.sub(u, f.mul(sH, tH0)), f.mul(sH, tL0)));
  const s2 = f.mul(ss, ss);
  const s4 = f.mul(s2, s2);
  const s8 = f.mul(s4, s4);
  const r0 = f.mul(s4, f.add(f.add(f.add(L1, f.mul(s2, L2)), f.mul(s4, f.add(L3, f.mul(s2, L4)))), f.mul(s8, f.add(L5, f.mul(s2, L6)))));
  const r = f.add(r0, f.mul(sL, f.add(sH, ss)));
  const sH2 = f.mul(sH, sH);
  const tH = i.clearLo(f.add(f.add(3, sH2), r));
  const tL = f.sub(r, f.sub(f.sub(tH, 3), sH2));
  const u2 = f.mul(sH, tH);
  const v2 = f.add(f.mul(sL, tH), f.mul(tL, ss));
  const pH = i.clearLo(f.add(u2, v2));
  const pL = f.sub(v2, f.sub(pH, u2));
  const zH = f.mul(CP_H, pH);
  const zL = f.add(f.add(f.mul(CP_L, pH), f.mul(pL, CP)), dpL);
  const tn = i.toFloat(n);
  const t1 = i.clearLo(f.add(f.add(f.add(zH, zL), dpH), tn));
  const t2 = f.sub(zL, f.sub(f.sub(f.sub(t1, tn), dpH), zH));
  return [t1, t2];
}

export function pow64(f: F, xv: Expr, y: Expr): Expr {
  const i = new I64(f);
  const ax = f.abs(xv);
  const [t1a, t2a] = log2Split(f, ax);
  const tt = f.sub(ax, 1);
  const ww = f.mul(f.mul(tt, tt), f.sub(0.5, f.mul(tt, f.sub(0.3333333333333333333333, f.mul(tt, 0.25)))));
  const uu = f.mul(IVLN2_H, tt);
  const vv = f.sub(f.mul(tt, IVLN2_L), f.mul(ww, IVLN2));
  const t1b = i.clearLo(f.add(uu, vv));
  const t2b = f.sub(vv, f.sub(t1b, uu));
  const series = and(f, f.cmp("ge", f.abs(y), 2147485696), and(f, f.cmp("ge", ax, 0.99999904632568359375), f.cmp("lt", ax, 1.00000095367431640625)));
  const t1 = f.sel(series, t1b, t1a);
  const t2 = f.sel(series, t2b, t2a);
  const y1 = i.clearLo(y);
  const pl = f.add(f.mul(f.sub(y, y1), t1), f.mul(y, t2));
  const ph0 = f.mul(y1, t1);
  const zz = f.add(pl, ph0);
  const nn = rne(f, f.min(f.max(zz, -1100), 1100));
  const ph = f.sub(ph0, nn);
  const t = i.clearLo(f.add(pl, ph));
  const u3 = f.mul(t, LG2_H);
  const v3 = f.add(f.mul(f.sub(pl, f.sub(t, ph)), LN2), f.mul(t, LG2_L));
  const z = f.add(u3, v3);
  const w3 = f.sub(v3, f.sub(z, u3));
  const tz = f.mul(z, z);
  const tz2 = f.mul(tz, tz);
  const tp = f.sub(z, f.mul(tz, expPoly(f, tz, tz2)));
  const rr = f.sub(f.div(f.mul(z, tp), f.sub(tp, 2)), f.add(w3, f.mul(z, w3)));
  const e = f.sub(1, f.sub(rr, z));
  let mag = scale(f, e, nn);
  mag = f.sel(f.cmp("gt", zz, 1100), Infinity, f.sel(f.cmp("lt", zz, -1100), 0, mag));
  return powSpecial(f, xv, y, ax, mag);
}

/** pow32 on promoted f32 operands: the f64 core and special cases; the caller demotes once. */
export function pow32in64(f: F, xv: Expr, y: Expr): Expr {
  const ax = f.abs(xv);
  return powSpecial(f, xv, y, ax, exp64(f, f.mul(y, log64(f, ax))));
}

/** Math.pow's special cases over a magnitude, lowest priority first (ir/math pow32/pow64). */
function powSpecial(f: F, xv: Expr, y: Expr, ax: Expr, m0: Expr): Expr {
  const yInt = f.cmp("eq", f.floor(y), y);
  const yOdd = and(f, yInt, f.cmp("ne", f.floor(f.mul(y, 0.5)), f.mul(y, 0.5)));
  const yPos = f.cmp("gt", y, 0);
  const yNeg = f.cmp("lt", y, 0);
  let m = f.sel(yInt, m0, f.sel(f.cmp("lt", xv, 0), NaN, m0));
  const byAx = f.sel(f.cmp("gt", ax, 1), f.sel(yPos, Infinity, 0), f.sel(yPos, 0, Infinity));
  m = f.sel(f.cmp("eq", f.abs(y), Infinity), f.sel(f.cmp("eq", ax, 1), NaN, byAx), m);
  const zeroOrInf = f.sel(f.cmp("eq", ax, 0), f.sel(yNeg, Infinity, 0), f.sel(yNeg, 0, Infinity));
  m = f.sel(f.or(f.cmp("eq", ax, 0), f.cmp("eq", ax, Infinity)), zeroOrInf, m);
  const xNeg = f.or(f.cmp("lt", xv, 0), f.cmp("lt", f.div(1, xv), 0));
  let r = f.sel(and(f, xNeg, yOdd), f.neg(m), m);
  r = f.sel(f.or(f.cmp("ne", xv, xv), f.cmp("ne", y, y)), NaN, r);
  r = f.sel(f.cmp("eq", y, 2), f.mul(xv, xv), r);
  r = f.sel(f.cmp("eq", y, -1), f.div(1, xv), r);
  r = f.sel(and(f, f.cmp("eq", y, 0.5), f.cmp("gt", xv, 0)), f.un("sqrt", xv), r);
  r = f.sel(f.cmp("eq", y, 1), xv, r);
  return f.sel(f.cmp("eq", y, 0), 1, r);
}
