// The float32 transcendentals of ir/math/f32.ts, transcribed operation for operation
// into wasm (scalar or SIMD, through lanes.ts). Same constants, same order, same
// roundings; ties-to-even by the magic-number add/sub (never `nearest`), 2^k by
// exponent bits, selects for the branches. math32.test.ts checks every function bit
// for bit against ir/math.
//
// All of them compute in float64, as ir/math does: an f32x4 becomes two f64x2 halves
// (promote), the core runs on each, and one demote per half rounds once (the JS
// `fround`). Steps that are exact in float32 as well (the clamps, x + x, the special-
// value selects) run on the f32x4 before promoting or after demoting: half
// the instructions, the same values. pow32 computes in float64 with exp64/log64: it
// lives in math64.ts with them.

import { F, demote, promote } from "./lanes.js";
import { I64 } from "./math64.js";
import type { Expr } from "./recipe.js";
import { INV_LN2, LN2, Q0, Q1, Q2, Q3, Q4, Q5, Q6, Q7, T0, T1, T2, T3, T4, INV_PIO2, PIO2_1, PIO2_1T, R_MAX, S1, S2, S3, S4, C0, C1, C2, C3 } from "../../ir/math/f32.js"; // the algorithm's constants, from its one definition

const MAGIC64 = 6755399441055744;
const MAGIC_BITS = 0x4338000000000000n;

const f64 = (f: F) => new F(f.fn, "f64", f.vec);

/** Runs `core` on the float64 halves of f32 lanes and rounds the results back once. */
function in64(f: F, v: Expr, core: (d: F, h: Expr) => Expr): Expr {
  const d = f64(f);
  return demote(f.fn, f.vec, promote(f.fn, f.vec, v).map((h) => core(d, h)));
}


/** e^r - 1 for |r| <= ln2/2 (ir/math expm1Poly, Estrin). */
function expm1Poly(d: F, r: Expr): Expr {
  const r2 = d.mul(r, r);
  const r4 = d.mul(r2, r2);
  const lo = d.add(d.add(Q0, d.mul(Q1, r)), d.mul(r2, d.add(Q2, d.mul(Q3, r))));
  const hi = d.add(d.add(Q4, d.mul(Q5, r)), d.mul(r2, d.add(Q6, d.mul(Q7, r))));
  return d.add(r, d.mul(r2, d.add(lo, d.mul(r4, hi))));
}

/**
 * y = k ln2 + r with k = rne(y/ln2): r, and 2^k built from the bits of the magic sum
 * (they are MAGIC_BITS + k), which is the exact double of ir/math's POW2 table.
 */
function reduce(d: F, y: Expr): { r: Expr; s: Expr } {
  const i = new I64(d);
  const t = d.add(d.mul(y, INV_LN2), MAGIC64);
  const r = d.sub(y, d.mul(d.sub(t, MAGIC64), LN2));
  const s = i.float(i.shl(i.add(i.bits(t), 1023n - MAGIC_BITS), 52));
  return { r, s };
}

/** e^y for y in [-150 ln2, 128 ln2] (ir/math exp32's core). */
function exp64core(d: F, y: Expr): Expr {
  const { r, s } = reduce(d, y);
  return d.mul(d.add(1, expm1Poly(d, r)), s);
}

export function exp32(f: F, v: Expr): Expr {
  return in64(f, f.min(f.max(v, -104), 89), exp64core);
}

export function tanh32(f: F, v: Expr): Expr {
  const m = in64(f, f.min(f.max(f.add(v, v), -40), 40), (d, h) => {
    const { r, s } = reduce(d, h);
    const t = d.add(d.mul(s, expm1Poly(d, r)), d.sub(s, 1));
    return d.div(t, d.add(t, 2));
  });
  return f.sel(f.cmp("eq", v, 0), v, m);
}

export function sigmoid32(f: F, v: Expr): Expr {
  return in64(f, f.min(f.max(f.neg(v), -104), 104), (d, h) => d.div(1, d.add(1, exp64core(d, h))));
}

// The float32-bit reduction of ir/math log32, on the promoted double's 64 bits: every
// constant is its float32 counterpart shifted left by 29 with the exponent rebiased
// (0x3f3504f3 -> 0x3fe6a09e60000000), so k and m are the same for normal inputs,
// and float32 subnormals, normal as doubles, need no scaling.
const LOG_BIAS = 0x3ff0000000000000n - 0x3fe6a09e60000000n;

export function log32(f: F, v: Expr): Expr {
  const y = in64(f, v, (d, h) => {
    const i = new I64(d);
    const ix = i.add(i.bits(h), LOG_BIAS);
    const k = d.sub(i.float(i.add(i.shr(ix, 52), MAGIC_BITS)), MAGIC64 + 1023);
    const m = i.float(i.add(i.and(ix, 0x000fffffffffffffn), 0x3fe6a09e60000000n));
    const fm = d.sub(m, 1);
    const s = d.div(fm, d.add(2, fm));
    const z = d.mul(s, s);
    const w = d.mul(z, z);
    const t = d.add(d.add(T0, d.mul(T1, z)), d.mul(w, d.add(d.add(T2, d.mul(T3, z)), d.mul(w, T4))));
    return d.add(d.mul(k, LN2), d.add(d.add(s, s), d.mul(d.mul(s, z), t)));
  });
  const pos = f.sel(f.cmp("lt", v, Infinity), y, v);
  return f.sel(f.cmp("gt", v, 0), pos, f.sel(f.cmp("eq", v, 0), -Infinity, NaN));
}


/** sin(x + phase*pi/2) in float64 lanes: phase 0 is sin, 1 is cos (ir/math/f32.ts sinCos32). */
function sinCos64(d: F, x: Expr, cos: boolean): Expr {
  const k = d.sub(d.add(d.mul(x, INV_PIO2), MAGIC64), MAGIC64);
  const r = d.min(d.max(d.sub(d.sub(x, d.mul(k, PIO2_1)), d.mul(k, PIO2_1T)), -R_MAX), R_MAX);
  const q0 = d.sub(k, d.mul(4, d.floor(d.mul(k, 0.25))));
  // Beyond |x| ~ 2^51 k may be a half-integer: then q matches no quadrant and the rule below keeps +s.
  const q = cos ? d.add(q0, 1) : q0;
  const z = d.mul(r, r);
  const w = d.mul(z, z);
  const s = d.mul(r, d.add(d.add(1, d.mul(z, d.add(S1, d.mul(z, S2)))), d.mul(d.mul(z, w), d.add(S3, d.mul(z, S4)))));
  const c = d.add(d.add(d.add(1, d.mul(z, C0)), d.mul(w, C1)), d.mul(d.mul(w, z), d.add(C2, d.mul(z, C3))));
  const v = d.sel(d.or(d.cmp("eq", q, 1), d.cmp("eq", q, 3)), c, s);
  return d.sel(d.or(d.cmp("eq", q, 2), d.cmp("eq", q, 3)), d.neg(v), v);
}

export function sin32(f: F, x: Expr): Expr {
  const d = new F(f.fn, "f64", f.vec);
  return demote(f.fn, f.vec, promote(f.fn, f.vec, x).map((h) => sinCos64(d, h, false)));
}

export function cos32(f: F, x: Expr): Expr {
  const d = new F(f.fn, "f64", f.vec);
  return demote(f.fn, f.vec, promote(f.fn, f.vec, x).map((h) => sinCos64(d, h, true)));
}
