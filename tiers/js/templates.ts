// Tier-1 expression templates: for every elementwise op, the JS expression that
// computes it on scalar operands of one dtype, exactly as the op table's scalar
// function does (ir/ops.ts). Keyed by a mapped type over ElementwiseOp, so a new op
// fails `tsc` until tier 1 handles it.
//
// Operands are always identifiers or numeric literals made by the generator, so an
// operand may appear twice in a template. Identifiers the templates use are bound by
// the kernel factory (see MATH_NAMES): `F` is Math.fround, `exp32` etc. are the very
// ir/math functions tier 0 calls (identical code, identical bits).

import type { DType } from "../../ir/dtype.js";
import { InternalError } from "../../ir/errors.js";
import { pow32 } from "../../ir/math/pow32.js";
import { cos32, sin32 } from "../../ir/math/trig32.js";
import { exp32, log32, sigmoid32, tanh32 } from "../../ir/math/float32.js";
import { cos64, exp64, log64, pow64, sigmoid64, sin64, tanh64 } from "../../ir/math/f64.js";
import * as E from "../../ir/math/elementary.js";
import { EXP2, EXPM1, LOG10, LOG1P, LOG2 } from "../../ir/math/logexp.js";
import { KIT } from "../../ir/math/transcendentals.js";
import { REDUCE, type ElementwiseOp, type ReduceOp } from "../../ir/ops.js";

/** Names the generated code may use, with the values the factory binds them to. */
export const MATH = {
  F: Math.fround,
  exp32, log32, tanh32, sin32, cos32, pow32, sigmoid32,
  exp64, log64, tanh64, sin64, cos64, pow64, sigmoid64,
  log1p32: LOG1P.js32, log1p64: LOG1P.js64, expm132: EXPM1.js32, expm164: EXPM1.js64,
  sinh32: KIT.sinh.js32, sinh64: KIT.sinh.js64,
  cosh32: KIT.cosh.js32, cosh64: KIT.cosh.js64,
  asinh32: KIT.asinh.js32, asinh64: KIT.asinh.js64,
  acosh32: KIT.acosh.js32, acosh64: KIT.acosh.js64,
  atanh32: KIT.atanh.js32, atanh64: KIT.atanh.js64,
  cbrt32: KIT.cbrt.js32, cbrt64: KIT.cbrt.js64,
  atan32: KIT.atan.js32, atan64: KIT.atan.js64,
  asin32: KIT.asin.js32, asin64: KIT.asin.js64,
  acos32: KIT.acos.js32, acos64: KIT.acos.js64,
  tan32: KIT.tan.js32, tan64: KIT.tan.js64,
  erf32: KIT.erf.js32, erf64: KIT.erf.js64,
  atan232: KIT.atan2.js32, atan264: KIT.atan2.js64,
  hypot32: KIT.hypot.js32, hypot64: KIT.hypot.js64,
  log232: LOG2.js32, log264: LOG2.js64, log1032: LOG10.js32, log1064: LOG10.js64, exp232: EXP2.js32, exp264: EXP2.js64,
  rint: E.rint, copysign: E.copysign, negative: E.negative,
  mod32: E.mod32, mod64: E.mod64, floorDivide32: E.floorDivide32, floorDivide64: E.floorDivide64,
  modI32: E.modI32, fmodI32: E.fmodI32, floorDivideI32: E.floorDivideI32, leftShiftI32: E.leftShiftI32, rightShiftI32: E.rightShiftI32,
} as const;
type MathName = keyof typeof MATH;
export const MATH_NAMES = Object.keys(MATH) as MathName[];
export const MATH_VALUES = MATH_NAMES.map((k) => MATH[k]);
/** Functions bound both as `${name}32` and `${name}64`: a template naming anything else fails `tsc`. */
type MathFamily = { [K in MathName]: K extends `${infer B}32` ? (`${B}64` extends MathName ? B : never) : never }[MathName];

/**
 * `dt` is the operands' dtype (for `where`, that of the value operands; for `cast`,
 * the target dtype, which alone decides the cast semantics, see castScalar).
 */
export type Template = (dt: DType, ...x: string[]) => string;

const f32 = (dt: DType, e: string) => (dt === "float32" ? `F(${e})` : `(${e})`);
/** float32 rounds the result, int32 wraps it, float64 is exact JS arithmetic. */
const arith = (op: string): Template => (dt, a, b) =>
  dt === "int32" ? `((${a} ${op} ${b}) | 0)` : f32(dt, `${a} ${op} ${b}`);
/** A transcendental: the ir/math function of the dtype. */
const math = (name: MathFamily): Template => (dt, a, b) => {
  if (dt !== "float32" && dt !== "float64") throw new InternalError(`${name} has no ${dt} semantics`);
  const fn = `${name}${dt === "float32" ? "32" : "64"}`;
  return b === undefined ? `${fn}(${a})` : `${fn}(${a}, ${b})`;
};
const cmp = (op: string): Template => (_dt, a, b) => `(${a} ${op} ${b} ? 1 : 0)`;
const isF = (dt: DType) => dt === "float32" || dt === "float64";
/** A call of the elementary function named by dtype: `mod32`, `mod64`, `modI32`. */
const byDType = (name: string): Template => (dt, a, b) =>
  `${name}${dt === "float32" ? "32" : dt === "float64" ? "64" : "I32"}(${a}${b === undefined ? "" : `, ${b}`})`;
const bitop = (op: string): Template => (_dt, a, b) => `(${a} ${op} ${b})`;

export const ELEMENTWISE_JS: { readonly [K in ElementwiseOp]: Template } = {
  neg: (dt, a) => (dt === "int32" ? `(-${a} | 0)` : `(-${a})`),
  abs: (dt, a) => (dt === "int32" ? `(${a} < 0 ? -${a} | 0 : ${a})` : `Math.abs(${a})`),
  sign: (_dt, a) => `(${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a})`,
  floor: (dt, a) => (dt === "int32" ? a : `Math.floor(${a})`),
  ceil: (dt, a) => (dt === "int32" ? a : `Math.ceil(${a})`),
  sqrt: (dt, a) => f32(dt, `Math.sqrt(${a})`),
  exp: math("exp"),
  log: math("log"),
  tanh: math("tanh"),
  sin: math("sin"),
  cos: math("cos"),
  sigmoid: math("sigmoid"),
  round: (dt, a) => (isF(dt) ? `rint(${a})` : a),
  trunc: (dt, a) => (isF(dt) ? `Math.trunc(${a})` : a),
  reciprocal: (dt, a) => f32(dt, `1 / ${a}`),
  isnan: (dt, a) => (isF(dt) ? `(${a} !== ${a} ? 1 : 0)` : "0"),
  isinf: (dt, a) => (isF(dt) ? `(${a} === (1 / 0) || ${a} === (-1 / 0) ? 1 : 0)` : "0"),
  isfinite: (dt, a) => (isF(dt) ? `(${a} - ${a} === 0 ? 1 : 0)` : "1"),
  signbit: (dt, a) => (isF(dt) ? `(negative(${a}) ? 1 : 0)` : `(${a} < 0 ? 1 : 0)`),
  logicalNot: (_dt, a) => `(${a} === 0 ? 1 : 0)`,
  bitwiseNot: (dt, a) => (dt === "bool" ? `(${a} ^ 1)` : `(~${a})`),
  log1p: math("log1p"),
  expm1: math("expm1"),
  log2: math("log2"),
  log10: math("log10"),
  exp2: math("exp2"),
  sinh: math("sinh"),
  cosh: math("cosh"),
  asinh: math("asinh"),
  acosh: math("acosh"),
  atanh: math("atanh"),
  cbrt: math("cbrt"),
  atan: math("atan"),
  asin: math("asin"),
  acos: math("acos"),
  tan: math("tan"),
  erf: math("erf"),
  atan2: math("atan2"),
  hypot: math("hypot"),
  stopGradient: (_dt, a) => a,
  add: arith("+"),
  sub: arith("-"),
  mul: (dt, a, b) => (dt === "int32" ? `Math.imul(${a}, ${b})` : f32(dt, `${a} * ${b}`)),
  div: (dt, a, b) => f32(dt, `${a} / ${b}`),
  pow: math("pow"),
  maximum: (_dt, a, b) => `Math.max(${a}, ${b})`,
  minimum: (_dt, a, b) => `Math.min(${a}, ${b})`,
  less: cmp("<"),
  greater: cmp(">"),
  lessEqual: cmp("<="),
  greaterEqual: cmp(">="),
  equal: cmp("==="),
  notEqual: cmp("!=="),
  mod: byDType("mod"),
  fmod: (dt, a, b) => (isF(dt) ? `(${a} % ${b})` : `fmodI32(${a}, ${b})`),
  floorDivide: byDType("floorDivide"),
  copysign: (_dt, a, b) => `copysign(${a}, ${b})`,
  logicalAnd: (_dt, a, b) => `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`,
  logicalOr: (_dt, a, b) => `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`,
  logicalXor: (_dt, a, b) => `((${a} !== 0) !== (${b} !== 0) ? 1 : 0)`,
  bitwiseAnd: bitop("&"),
  bitwiseOr: bitop("|"),
  bitwiseXor: bitop("^"),
  leftShift: (_dt, a, b) => `leftShiftI32(${a}, ${b})`,
  rightShift: (_dt, a, b) => `rightShiftI32(${a}, ${b})`,
  where: (_dt, c, a, b) => `(${c} ? ${a} : ${b})`,
  cast: (to, a) => {
    switch (to) {
      case "float32": return `F(${a})`;
      case "float64": return a;
      case "bool": return `(${a} !== 0 ? 1 : 0)`;
      case "int32": return `(${a} !== ${a} ? 0 : ${a} <= -2147483648 ? -2147483648 : ${a} >= 2147483647 ? 2147483647 : Math.trunc(${a}) | 0)`;
    }
  },
};

/** The combine step of a reduction: the template of its elementwise combine op (ir/ops.ts REDUCE). */
export function combineJs(op: ReduceOp, dt: DType, acc: string, x: string): string {
  return ELEMENTWISE_JS[REDUCE[op].combine](dt, acc, x);
}

/** A number as a JS literal that evaluates to exactly the same double (incl. -0, NaN, ±Infinity). */
export function lit(x: number): string {
  if (Object.is(x, -0)) return "(-0)";
  // Arithmetic rather than the globals NaN/Infinity, which code outside tierjit could shadow.
  if (x !== x) return "(0 / 0)";
  if (x === Infinity) return "(1 / 0)";
  if (x === -Infinity) return "(-1 / 0)";
  const s = String(x);
  if (typeof x !== "number" || Number(s) !== x) throw new InternalError(`cannot write ${s} as a literal`);
  return x < 0 ? `(${s})` : s;
}
