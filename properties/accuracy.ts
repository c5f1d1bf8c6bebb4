// Accuracy of every float op against an independent float64 reference (JS Math.*,
// not tierjit's own ir/math), with the bound each op promises.
//
// Bounds, in ulps of the result dtype at the reference value:
// - + - * / sqrt (and the other exact ops below) are correctly rounded: the float32
//   result must EQUAL the float64 result rounded to float32 (no double-rounding issue:
//   53 >= 2*24 + 2 bits), and the float64 result must equal the JS operator.
// - Transcendentals: at most 2 ulp in float32 (ir/math/f32.ts documents 0.5 to 1.43
//   measured exhaustively). In float64 the reference itself (V8's fdlibm) may be 1 ulp
//   off, so the bound there is 2 plus the reference's own error where known.
// - float32 sin/cos are accurate for every finite x (ir/math/trig32.ts: a Payne-Hanek
//   path beyond 8192); float64 sin/cos only on the range their reduction is exact for,
//   |x| <= 2^19*pi/2. Beyond it the suite checks the documented guarantee: a result
//   in [-1, 1].
// - An op added to the table without an entry here is checked against the table's own
//   float64 semantics with the transcendental bound, so it is never unchecked.
// Reductions are checked separately (reductions.ts) from their summation order.

import { ELEMENTWISE } from "../ir/ops.js";
import { erfRef } from "../ir/math/ulps.js";

export type Ref = (a: number, b: number) => number;

export interface AccuracySpec {
  readonly ref: Ref;
  /** Max ulps in float32; 0 means the result must be the correctly rounded reference. */
  readonly ulps32: number;
  readonly ulps64: number;
  /** Inputs outside this domain are only checked to give a result in [-1, 1] (sin/cos). */
  readonly accurate?: { f32: number; f64: number };
  /** Outside `accurate` the result need not be in [-1, 1] (tan): only checked to be computed. */
  readonly unbounded?: boolean;
}

const exact = (ref: Ref): AccuracySpec => ({ ref, ulps32: 0, ulps64: 0 });
const approx = (ref: Ref, ulps64 = 2): AccuracySpec => ({ ref, ulps32: 2, ulps64 });
const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : x);
const signed = (x: number) => x < 0 || Object.is(x, -0);
/** Half to even from Math.round (which rounds halves up). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
/** numpy's remainder from the C remainder: the divisor's sign, a zero result signed like it. */
function remainder(a: number, b: number): number {
  const r = a % b;
  if (b === 0 || r !== r) return r;
  if (r === 0) return signed(b) ? -0 : 0;
  return signed(r) !== signed(b) ? r + b : r;
}

const REFERENCES: Readonly<Record<string, AccuracySpec>> = {
  neg: exact((a) => -a),
  abs: exact(Math.abs),
  sign: exact(sign),
  floor: exact(Math.floor),
  ceil: exact(Math.ceil),
  sqrt: exact(Math.sqrt),
  add: exact((a, b) => a + b),
  sub: exact((a, b) => a - b),
  mul: exact((a, b) => a * b),
  div: exact((a, b) => a / b),
  maximum: exact((a, b) => Math.max(a, b)),
  minimum: exact((a, b) => Math.min(a, b)),
  exp: approx(Math.exp),
  log: approx(Math.log),
  // V8's Math.tanh is up to ~2 ulp off in float64; expm1 gives a better reference.
  tanh: approx((x) => {
    if (Math.abs(x) > 20 || x === 0) return Math.abs(x) > 20 ? Math.sign(x) : x;
    const e = Math.expm1(2 * x);
    return e / (e + 2);
  }, 3),
  // Written so exp never overflows (the reference must not lose tiny results).
  sigmoid: approx((x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))), 4),
  sin: { ...approx(Math.sin), accurate: { f32: Infinity, f64: 2 ** 19 * (Math.PI / 2) } },
  cos: { ...approx(Math.cos), accurate: { f32: Infinity, f64: 2 ** 19 * (Math.PI / 2) } },
  pow: approx(Math.pow),
  // ir/math/transcendentals.ts: <= 1-2 ulp in both precisions; V8's Math.* may be ~1 ulp off in float64.
  log1p: approx(Math.log1p, 3),
  expm1: approx(Math.expm1, 3),
  log2: approx(Math.log2, 3),
  log10: approx(Math.log10, 3),
  exp2: approx((x) => 2 ** x, 3),
  sinh: approx(Math.sinh, 3),
  cosh: approx(Math.cosh, 3),
  asinh: approx(Math.asinh, 3),
  acosh: approx(Math.acosh, 3),
  atanh: approx(Math.atanh, 3),
  cbrt: approx(Math.cbrt, 3),
  hypot: approx(Math.hypot, 3),
  atan: approx(Math.atan, 3),
  atan2: approx(Math.atan2, 3),
  asin: approx(Math.asin, 3),
  acos: approx(Math.acos, 3),
  // erfRef itself is up to ~8 float64 ulps off (ulps.ts); against mpmath erf64 is within 1 (CONTRIBUTING.md).
  erf: approx(erfRef, 10),
  tan: { ...approx(Math.tan, 3), accurate: { f32: Infinity, f64: 2 ** 19 * (Math.PI / 2) }, unbounded: true },
  round: exact(roundHalfEven),
  trunc: exact(Math.trunc),
  reciprocal: exact((a) => 1 / a),
  fmod: exact((a, b) => a % b),
  mod: exact(remainder),
  copysign: exact((a, b) => (signed(b) && b === b ? -Math.abs(a) : Math.abs(a))),
};

/** The accuracy spec of every float-valued elementwise op of arity 1 or 2 in the op table. */
export function accuracySpecs(): { op: string; arity: 1 | 2; spec: AccuracySpec }[] {
  const out: { op: string; arity: 1 | 2; spec: AccuracySpec }[] = [];
  for (const [op, def] of Object.entries(ELEMENTWISE)) {
    if (def.arity === 3 || def.result !== "same" || !def.scalar.float32 || !def.scalar.float64) continue;
    const f64 = def.scalar.float64;
    out.push({ op, arity: def.arity, spec: REFERENCES[op] ?? approx((a, b) => f64(a, b, 0)) });
  }
  return out;
}
