// The float32 transcendentals of ir/math/f32.ts, transcribed operation for operation
// into wasm (scalar or SIMD, through lanes.ts). Same constants, same order, one
// rounding per JS `fround`; ties-to-even by the magic-number add/sub (never
// `nearest`), 2^k by exponent bits, selects for the branches. A JS `fround(a op b)`
// of float32 operands is exactly the f32 instruction (the double result is exact for
// * and rounds innocuously for + - / sqrt), which is why the transcription is exact.
// math32.test.ts checks every function bit for bit against ir/math.
//
// sin32, cos32 and sigmoid32 compute in float64 in ir/math; here too (f64x2 halves).
// pow32 computes in float64 with exp64/log64: it lives in math64.ts with them.

import { fround } from "../../ir/math/bits.js";
import { F, demote, promote } from "./lanes.js";
import type { Expr } from "./recipe.js";

const MAGIC32 = 12582912;
const MAGIC64 = 6755399441055744;

const LOG2E = fround(1.4426950408889634);
const LN2_HI = 0.693359375;
const LN2_LO = fround(-2.1219444005469057e-4);
const E2 = fround(0.4999999403953552);
const E3 = fround(0.1666652113199234);
const E4 = fround(0.04166838899254799);
const E5 = fround(0.00836874544620514);
const E6 = fround(0.0013814540579915047);

export function exp32(f: F, x: Expr): Expr {
  const xc = f.min(f.max(x, -104), 89);
  const k = f.sub(f.add(f.mul(xc, LOG2E), MAGIC32), MAGIC32);
  const r = f.sub(f.sub(xc, f.mul(k, LN2_HI)), f.mul(k, LN2_LO));
  const r2 = f.mul(r, r);
  const r4 = f.mul(r2, r2);
  const p = f.add(f.add(f.add(E2, f.mul(E3, r)), f.mul(f.add(E4, f.mul(E5, r)), r2)), f.mul(E6, r4));
  const y = f.add(1, f.add(r, f.mul(r2, p)));
  const ki = f.truncSat(k);
  const k1 = f.ishr(ki, 1);
  const pow2 = (e: Expr) => f.fromBits(f.ishl(f.iadd(e, 127), 23));
  return f.mul(f.mul(y, pow2(k1)), pow2(f.isub(ki, k1)));
}

const LG_LN2_HI = fround(6.9313812256e-1);
const LG_LN2_LO = fround(9.0580006145e-6);
const LG1 = 0.6666666269302368;
const LG2 = 0.40000972151756287;
const LG3 = 0.2849878668785095;
const LG4 = 0.24279078841209412;
const F32_MIN_NORMAL = 1.1754943508222875e-38;

export function log32(f: F, x: Expr): Expr {
  const sub = f.cmp("lt", x, F32_MIN_NORMAL);
  const xs = f.sel(sub, f.mul(x, 33554432), x);
  const ix = f.iadd(f.bits(xs), 0x3f800000 - 0x3f3504f3);
  const k = f.isub(f.isub(f.ishr(ix, 23), 0x7f), f.isel(sub, 25, 0));
  const m = f.fromBits(f.iadd(f.iand(ix, 0x007fffff), 0x3f3504f3));
  const fm = f.sub(m, 1);
  const s = f.div(fm, f.add(2, fm));
  const z = f.mul(s, s);
  const w = f.mul(z, z);
  const t1 = f.mul(w, f.add(LG2, f.mul(w, LG4)));
  const t2 = f.mul(z, f.add(LG1, f.mul(w, LG3)));
  const R = f.add(t2, t1);
  const hfsq = f.mul(f.mul(0.5, fm), fm);
  const dk = f.convert(k);
  const y = f.add(f.add(f.sub(f.add(f.mul(s, f.add(hfsq, R)), f.mul(dk, LG_LN2_LO)), hfsq), fm), f.mul(dk, LG_LN2_HI));
  const pos = f.sel(f.cmp("lt", x, Infinity), y, x);
  return f.sel(f.cmp("gt", x, 0), pos, f.sel(f.cmp("eq", x, 0), -Infinity, NaN));
}

const TANH_SWITCH = fround(0.55);
const T0 = fround(-0.3333294689655304);
const T1 = fround(0.13320724666118622);
const T2 = fround(-0.05267181247472763);
const T3 = fround(0.016437580808997154);

export function tanh32(f: F, x: Expr): Expr {
  const ax = f.abs(x);
  const z = f.mul(x, x);
  const z2 = f.mul(z, z);
  const p = f.add(f.add(T0, f.mul(T1, z)), f.mul(z2, f.add(T2, f.mul(T3, z))));
  const small = f.add(x, f.mul(f.mul(x, z), p));
  const e = exp32(f, f.add(ax, ax));
  const big = f.sub(1, f.div(2, f.add(e, 1)));
  const signed = f.sel(f.cmp("lt", x, 0), f.neg(big), big);
  return f.sel(f.cmp("lt", ax, TANH_SWITCH), f.sel(f.cmp("eq", x, 0), x, small), signed);
}

export function sigmoid32(f: F, x: Expr): Expr {
  const e = exp32(f, f.neg(f.abs(x)));
  const num = f.sel(f.cmp("ge", x, 0), 1, e); // exact in f32; the division runs in f64 as in ir/math
  const d = new F(f.fn, "f64", f.vec);
  const ns = promote(f.fn, f.vec, num);
  const es = promote(f.fn, f.vec, e);
  return demote(f.fn, f.vec, ns.map((n, i) => d.div(n, d.add(1, es[i]!))));
}

const INV_PIO2 = 0.6366197723675814;
const PIO2_1 = 1.5707963109016418;
const PIO2_1T = 1.5893254773528196e-8;
const R_MAX = 0.786;
const S1 = -0.16666666641626524;
const S2 = 0.008333329385889463;
const S3 = -0.00019839334836096632;
const S4 = 2.718311493989822e-6;
const C0 = -0.499999997251031;
const C1 = 0.04166662332373906;
const C2 = -0.001388676377460993;
const C3 = 2.439044879627741e-5;

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
