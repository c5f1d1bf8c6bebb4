// ir/math/fast32.ts transcribed to f32 lanes (f32x4, or f32 in loop tails): the
// `exact: false` exp, tanh and sigmoid of tier 2. Every `f(a op b)` there is one
// instruction here, in the same order; 2^k is built from exponent bits; tanh copies
// the sign back by or-ing the input's sign bit into a non-negative result (what
// unary minus does to it in JS). fast32.test.ts checks the bits against ir/math.

import { EXPM1_COEFFICIENTS, LN2_HI, LN2_LO, LOG2E, MAGIC32 } from "../../ir/math/fast32.js";
import type { F } from "./lanes.js";
import type { Expr } from "./recipe.js";

/** 2^k for int lanes k in the normal exponent range. */
function pow2(f: F, k: Expr): Expr {
  return f.fromBits(f.ishl(f.iadd(k, 127), 23));
}

function reduce(f: F, y: Expr): { k: Expr; r: Expr } {
  const k = f.sub(f.add(f.mul(y, LOG2E), MAGIC32), MAGIC32);
  const r = f.sub(f.sub(y, f.mul(k, LN2_HI)), f.mul(k, LN2_LO));
  return { k, r };
}

function expm1Reduced(f: F, r: Expr): Expr {
  const c = EXPM1_COEFFICIENTS;
  let q: Expr | number = c[c.length - 1]!;
  for (let i = c.length - 2; i >= 0; i--) q = f.add(c[i]!, f.mul(r, q));
  return f.add(r, f.mul(f.mul(r, r), q));
}

export function exp32f(f: F, x: Expr): Expr {
  const y = f.min(f.max(x, -104), 89);
  const { k, r } = reduce(f, y);
  const ki = f.truncSat(k);
  const k1 = f.ishr(ki, 1);
  return f.mul(f.mul(f.add(1, expm1Reduced(f, r)), pow2(f, k1)), pow2(f, f.isub(ki, k1)));
}

export function tanh32f(f: F, x: Expr): Expr {
  const y = f.mul(2, f.min(f.abs(x), 9));
  const { k, r } = reduce(f, y);
  const p = expm1Reduced(f, r);
  const s = pow2(f, f.truncSat(k));
  const t = f.add(f.mul(s, p), f.sub(s, 1));
  const m = f.div(t, f.add(t, 2));
  return f.fromBits(f.or(f.bits(m), f.iand(f.bits(x), 0x80000000 | 0)));
}

export function sigmoid32f(f: F, x: Expr): Expr {
  const e = exp32f(f, f.neg(f.abs(x)));
  const d = f.add(1, e);
  return f.sel(f.cmp("ge", x, 0), f.div(1, d), f.sel(f.cmp("lt", x, 0), f.div(e, d), x));
}
