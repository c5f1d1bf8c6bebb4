// Elementwise ops on wasm lane values (values.ts), one entry per op of the op table:
// the mapped type makes a new op fail `tsc` here until tier 2 handles it. Each entry
// reproduces the op's scalar semantics in ir/ops.ts exactly (wasm min/max propagate
// NaN and order -0 < +0 like Math.min/max; i32 arithmetic wraps like `| 0` and
// Math.imul; float→int casts are trunc_sat, castScalar's rule). The transcendentals
// and pow are emitted from ir/math: the float32 algorithms from their one definition
// (arith.ts), the float64 ones (and pow32's float64 core) from math64.ts or their kit
// definition: nothing calls back into JS.

import type { DType } from "../../ir/dtype.js";
import type { ElementwiseOp } from "../../ir/ops.js";
import { F, joinLow64 } from "./lanes.js";
import * as M64 from "./math64.js";
import type { Algorithm } from "../../ir/math/arith.js";
import { EXP32, LOG32, SIGMOID32, TANH32 } from "../../ir/math/float32.js";
import { COS32, SIN32 } from "../../ir/math/trig32.js";
import { POW32 } from "../../ir/math/pow32.js";
import { copysignBits, division } from "./division.js";
import { alg64, emit32 } from "./lanes64.js";
import { EXP2, EXPM1, LOG10, LOG1P, LOG2 } from "../../ir/math/logexp.js";
import type { Op2 } from "../../ir/math/kit.js";
import { KIT } from "../../ir/math/transcendentals.js";
import { x, type Expr } from "./recipe.js";
import type { Lanes, V } from "./values.js";

type Rule = (L: Lanes, dt: DType, a: readonly V[]) => V;

const isF = (dt: DType) => dt === "float32" || dt === "float64";

/** Applies `g` part by part (float64 vectors have two parts). */
function parts(L: Lanes, dt: DType, a: readonly V[], g: (i: number) => Expr): V {
  return L.let(dt, Array.from({ length: L.parts(a[0]!.dt) }, (_, i) => g(i)));
}
function fl(L: Lanes, dt: DType, a: readonly V[], g: (f: F, ...p: Expr[]) => Expr): V {
  const f = L.f(dt);
  return { dt, p: a[0]!.p.map((_, i) => g(f, ...a.map((v) => v.p[i]!))) };
}
const int2 = (op: string): Rule => (L, dt, a) => parts(L, dt, a, () => x(`${L.ins}.${op}`, a[0]!.p[0]!, a[1]!.p[0]!));

/** Float `fop` or int `iop` (a binaryen i32/i32x4 op name suffix). */
function arith(fop: string, iop: string): Rule {
  return (L, dt, a) => (isF(dt) ? fl(L, dt, a, (f, p, q) => f.bin(fop, p!, q!)) : int2(iop)(L, dt, a));
}

/** A transcendental: float64 by its transcription (math64.ts); float32 by `g`. */
function transcendental(g: (f: F, v: Expr) => Expr, g64: (f: F, v: Expr) => Expr): Rule {
  return (L, dt, a) => fl(L, dt, a, (f, p) => (dt === "float32" ? g : g64)(f, p!));
}
/** A float32 algorithm of ir/math/float32.ts, emitted from its one definition at full f32x4 width. */
const alg = (A: Algorithm) => (f: F, v: Expr): Expr => A.define(f, v, v);

/** A transcendental of ir/math/kit.ts, emitted from its one definition in both precisions. */
const both = (op: Op2): Rule => (L, dt, a) => fl(L, dt, a, (f, p, q) => (dt === "float32" ? emit32(op, f, p!, q) : alg64(op.f64)(f, p!, q)));

/** pow: float64 by its transcription (math64.ts); float32 by ir/math/pow32.ts at full f32x4 width. */
const pow: Rule = (L, dt, a) => fl(L, dt, a, (f, p, q) => (dt === "float64" ? M64.pow64(f, p!, q!) : POW32.define(f, p!, q!)));

/** Bool 0/1 lanes from the masks of float comparisons, one per part (f64 masks are 64-bit lanes). */
function boolOfMasks(L: Lanes, ms: readonly Expr[]): V {
  if (!L.vec) return { dt: "bool", p: ms };
  const m32 = ms.length === 2 ? x("i8x16.shuffle", ms[0]!, ms[1]!, [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27]) : ms[0]!;
  return L.let("bool", [x("v128.and", m32, x("v128.const", ONES))]);
}
/** Bool 0/1 lanes from an int comparison (i32 0/1, or all-ones i32x4 lanes). */
function boolOfIntMask(L: Lanes, m: Expr): V {
  return L.let("bool", [L.vec ? x("v128.and", m, x("v128.const", ONES)) : m]);
}

/** A comparison giving bool 0/1 lanes. */
function compare(fop: "lt" | "gt" | "le" | "ge" | "eq" | "ne", iop: string): Rule {
  return (L, dt, a) => {
    if (!isF(dt)) return boolOfIntMask(L, x(`${L.vec ? "i32x4" : "i32"}.${iop}`, a[0]!.p[0]!, a[1]!.p[0]!));
    const f = L.f(dt);
    return boolOfMasks(L, a[0]!.p.map((p, i) => f.cmp(fop, p, a[1]!.p[i]!)));
  };
}

/** A predicate: `fm` gives a float mask per part; int32/bool lanes take `im`'s int mask, or a constant. */
function predicate(fm: (f: F, ...p: Expr[]) => Expr, im: ((L: Lanes, ...p: Expr[]) => Expr) | 0 | 1): Rule {
  return (L, dt, a) => {
    if (isF(dt)) {
      const f = L.f(dt);
      return boolOfMasks(L, a[0]!.p.map((_, i) => fm(f, ...a.map((v) => v.p[i]!))));
    }
    if (typeof im === "number") return L.const("bool", im);
    return boolOfIntMask(L, im(L, ...a.map((v) => v.p[0]!)));
  };
}
const mop = (f: F, op: "and" | "or" | "xor", a: Expr, b: Expr) => f.fn.let(f.mt, x(f.vec ? `v128.${op}` : `i32.${op}`, a, b));
const imask = (L: Lanes, op: "and" | "or" | "xor", a: Expr, b: Expr) => L.fn.let(L.t("int32"), x(L.vec ? `v128.${op}` : `i32.${op}`, a, b));
const inz = (L: Lanes, v: Expr) => icmp(L, "ne", v, izero(L));
/** A logical op on the truth of two operands (x != 0; NaN is true). */
function logical(op: "and" | "or" | "xor"): Rule {
  return predicate((f, p, q) => mop(f, op, f.cmp("ne", p!, 0), f.cmp("ne", q!, 0)), (L, p, q) => imask(L, op, inz(L, p!), inz(L, q!)));
}
/** Bitwise and/or/xor on int32 lanes and on bool 0/1 lanes alike. */
const bitwise = (op: "and" | "or" | "xor"): Rule => (L, dt, a) => L.let(dt, [imask(L, op, a[0]!.p[0]!, a[1]!.p[0]!)]);

/** numpy's shifts (elementary.ts): a count outside [0, 32) gives 0 (left) or the sign fill (right). */
function shiftScalar(left: boolean, a: Expr, b: Expr): Expr {
  const inRange = x("i32.lt_u", b, x("i32.const", 32));
  if (left) return x("select", inRange, x("i32.shl", a, b), x("i32.const", 0));
  return x("i32.shr_s", a, x("select", inRange, b, x("i32.const", 31)));
}
/** wasm SIMD shifts take one count for all lanes, so vectors shift lane by lane. */
const shift = (left: boolean): Rule => (L, dt, a) => {
  const [p, q] = [a[0]!.p[0]!, a[1]!.p[0]!];
  if (!L.vec) return L.let(dt, [shiftScalar(left, p, q)]);
  const lane = (l: number) => shiftScalar(left, x("i32x4.extract_lane", p, l), x("i32x4.extract_lane", q, l));
  let v = x("i32x4.splat", lane(0));
  for (let l = 1; l < 4; l++) v = x("i32x4.replace_lane", v, l, lane(l));
  return L.let(dt, [v]);
};
const ONES = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];

/** Int select: vec bitselect on a mask, scalar `select`. */
function isel(L: Lanes, m: Expr, a: Expr, b: Expr): Expr {
  return L.vec ? x("v128.bitselect", a, b, m) : x("select", m, a, b);
}
function icmp(L: Lanes, op: string, a: Expr, b: Expr): Expr {
  return x(`${L.vec ? "i32x4" : "i32"}.${op}`, a, b);
}
const izero = (L: Lanes) => (L.vec ? x("v128.const", new Array(16).fill(0)) : x("i32.const", 0));
const iconst = (L: Lanes, c: number) => L.const("int32", c).p[0]!;

const RULES: { readonly [K in Exclude<ElementwiseOp, "cast">]: Rule } = {
  neg: (L, dt, a) => (isF(dt) ? fl(L, dt, a, (f, p) => f.neg(p!)) : L.let(dt, [L.vec ? x("i32x4.neg", a[0]!.p[0]!) : x("i32.sub", x("i32.const", 0), a[0]!.p[0]!)])),
  abs: (L, dt, a) => {
    if (isF(dt)) return fl(L, dt, a, (f, p) => f.abs(p!));
    const v = a[0]!.p[0]!;
    return L.let(dt, [L.vec ? x("i32x4.abs", v) : isel(L, icmp(L, "lt_s", v, izero(L)), x("i32.sub", x("i32.const", 0), v), v)]);
  },
  sign: (L, dt, a) => {
    if (isF(dt)) return fl(L, dt, a, (f, p) => f.sel(f.cmp("gt", p!, 0), 1, f.sel(f.cmp("lt", p!, 0), -1, p!)));
    const v = a[0]!.p[0]!;
    const s = (op: string) => icmp(L, op, v, izero(L));
    return L.let(dt, [isel(L, s("gt_s"), iconst(L, 1), isel(L, s("lt_s"), iconst(L, -1), v))]);
  },
  floor: (L, dt, a) => (isF(dt) ? fl(L, dt, a, (f, p) => f.floor(p!)) : a[0]!),
  ceil: (L, dt, a) => (isF(dt) ? fl(L, dt, a, (f, p) => f.un("ceil", p!)) : a[0]!),
  sqrt: (L, dt, a) => fl(L, dt, a, (f, p) => f.un("sqrt", p!)),
  exp: transcendental(alg(EXP32), M64.exp64),
  log: transcendental(alg(LOG32), M64.log64),
  tanh: transcendental(alg(TANH32), M64.tanh64),
  sin: transcendental(alg(SIN32), M64.sin64),
  cos: transcendental(alg(COS32), M64.cos64),
  sigmoid: transcendental(alg(SIGMOID32), M64.sigmoid64),
  round: (L, dt, a) => (isF(dt) ? fl(L, dt, a, (f, p) => f.un("nearest", p!)) : a[0]!),
  trunc: (L, dt, a) => (isF(dt) ? fl(L, dt, a, (f, p) => f.un("trunc", p!)) : a[0]!),
  reciprocal: (L, dt, a) => fl(L, dt, a, (f, p) => f.div(1, p!)),
  isnan: predicate((f, p) => f.cmp("ne", p!, p!), 0),
  isinf: predicate((f, p) => f.cmp("eq", f.abs(p!), Infinity), 0),
  isfinite: predicate((f, p) => f.cmp("lt", f.abs(p!), Infinity), 1),
  // The sign bit of copysign(1, x), except for NaN (elementary.ts).
  signbit: predicate((f, p) => mop(f, "and", f.cmp("lt", copysignBits(f, f.c(1), p!), 0), f.cmp("eq", p!, p!)), (L, p) => icmp(L, "lt_s", p!, izero(L))),
  logicalNot: predicate((f, p) => f.cmp("eq", p!, 0), (L, p) => icmp(L, "eq", p!, izero(L))),
  log1p: both(LOG1P),
  expm1: both(EXPM1),
  log2: both(LOG2),
  log10: both(LOG10),
  exp2: both(EXP2),
  sinh: both(KIT.sinh),
  cosh: both(KIT.cosh),
  asinh: both(KIT.asinh),
  acosh: both(KIT.acosh),
  atanh: both(KIT.atanh),
  cbrt: both(KIT.cbrt),
  atan: both(KIT.atan),
  asin: both(KIT.asin),
  acos: both(KIT.acos),
  tan: both(KIT.tan),
  erf: both(KIT.erf),
  atan2: both(KIT.atan2),
  hypot: both(KIT.hypot),
  bitwiseNot: (L, dt, a) => {
    const v = a[0]!.p[0]!;
    if (dt === "bool") return L.let(dt, [L.vec ? x("v128.xor", v, x("v128.const", ONES)) : x("i32.xor", v, x("i32.const", 1))]);
    return L.let(dt, [L.vec ? x("v128.not", v) : x("i32.xor", v, x("i32.const", -1))]);
  },
  stopGradient: (_L, _dt, a) => a[0]!,
  add: arith("add", "add"),
  sub: arith("sub", "sub"),
  mul: arith("mul", "mul"),
  div: (L, dt, a) => fl(L, dt, a, (f, p, q) => f.div(p!, q!)),
  pow,
  maximum: (L, dt, a) => {
    if (isF(dt)) return fl(L, dt, a, (f, p, q) => f.max(p!, q!));
    const [p, q] = [a[0]!.p[0]!, a[1]!.p[0]!];
    return L.let(dt, [L.vec ? x("i32x4.max_s", p, q) : isel(L, icmp(L, "gt_s", p, q), p, q)]);
  },
  minimum: (L, dt, a) => {
    if (isF(dt)) return fl(L, dt, a, (f, p, q) => f.min(p!, q!));
    const [p, q] = [a[0]!.p[0]!, a[1]!.p[0]!];
    return L.let(dt, [L.vec ? x("i32x4.min_s", p, q) : isel(L, icmp(L, "lt_s", p, q), p, q)]);
  },
  less: compare("lt", "lt_s"),
  greater: compare("gt", "gt_s"),
  lessEqual: compare("le", "le_s"),
  greaterEqual: compare("ge", "ge_s"),
  equal: compare("eq", "eq"),
  notEqual: compare("ne", "ne"),
  mod: division("mod"),
  fmod: division("fmod"),
  floorDivide: division("floorDivide"),
  // A NaN y counts as positive (elementary.ts): |x| there.
  copysign: (L, dt, a) => fl(L, dt, a, (f, p, q) => f.sel(f.cmp("ne", q!, q!), f.abs(p!), copysignBits(f, p!, q!))),
  logicalAnd: logical("and"),
  logicalOr: logical("or"),
  logicalXor: logical("xor"),
  bitwiseAnd: bitwise("and"),
  bitwiseOr: bitwise("or"),
  bitwiseXor: bitwise("xor"),
  leftShift: shift(true),
  rightShift: shift(false),
  where: (L, dt, a) => {
    const [c, p, q] = a as [V, V, V];
    if (!L.vec) return L.let(dt, [x("select", c.p[0]!, p.p[0]!, q.p[0]!)]);
    const m = L.fn.let("v128", x("i32x4.ne", c.p[0]!, izero(L)));
    if (dt !== "float64") return L.let(dt, [x("v128.bitselect", p.p[0]!, q.p[0]!, m)]);
    const ms = [x("i64x2.extend_low_i32x4_s", m), x("i64x2.extend_high_i32x4_s", m)];
    return L.let(dt, [0, 1].map((i) => x("v128.bitselect", p.p[i]!, q.p[i]!, ms[i]!)));
  },
};

/** `cast` from a's dtype to `to` with castScalar's semantics. */
function cast(L: Lanes, to: DType, a: V): V {
  const from = a.dt;
  if (from === to) return a;
  const [p0, p1] = a.p;
  const vec = L.vec;
  const intLike = (d: DType) => d === "int32" || d === "bool";
  if (to === "bool") {
    if (intLike(from)) return L.let(to, [vec ? x("v128.and", x("i32x4.ne", p0!, izero(L)), x("v128.const", ONES)) : x("i32.ne", p0!, x("i32.const", 0))]);
    return RULES.notEqual(L, from, [a, L.const(from, 0)]);
  }
  if (intLike(from) && to === "int32") return { dt: to, p: a.p };
  if (to === "int32") {
    if (from === "float32") return L.let(to, [x(vec ? "i32x4.trunc_sat_f32x4_s" : "i32.trunc_s_sat.f32", p0!)]);
    if (!vec) return L.let(to, [x("i32.trunc_s_sat.f64", p0!)]);
    return L.let(to, [joinLow64(x("i32x4.trunc_sat_f64x2_s_zero", p0!), x("i32x4.trunc_sat_f64x2_s_zero", p1!))]);
  }
  if (to === "float32") {
    if (intLike(from)) return L.let(to, [x(vec ? "f32x4.convert_i32x4_s" : "f32.convert_s.i32", p0!)]);
    if (!vec) return L.let(to, [x("f32.demote", p0!)]);
    return L.let(to, [joinLow64(x("f32x4.demote_f64x2_zero", p0!), x("f32x4.demote_f64x2_zero", p1!))]);
  }
  // to float64
  const hi = (v: Expr) => x("i8x16.shuffle", v, v, [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
  if (intLike(from)) {
    if (!vec) return L.let(to, [x("f64.convert_s.i32", p0!)]);
    return L.let(to, [x("f64x2.convert_low_i32x4_s", p0!), x("f64x2.convert_low_i32x4_s", hi(p0!))]);
  }
  if (!vec) return L.let(to, [x("f64.promote", p0!)]);
  return L.let(to, [x("f64x2.promote_low_f32x4", p0!), x("f64x2.promote_low_f32x4", hi(p0!))]);
}

/** Lowers one elementwise op; `dt` is the operand dtype (of `where`'s value operands), `out` the result dtype. */
export function lowerOp(L: Lanes, op: ElementwiseOp, dt: DType, out: DType, args: readonly V[]): V {
  if (op === "cast") return cast(L, out, args[0]!);
  return RULES[op](L, dt, args);
}
