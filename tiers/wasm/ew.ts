// Elementwise ops on wasm lane values (values.ts), one entry per op of the op table:
// the mapped type makes a new op fail `tsc` here until tier 2 handles it. Each entry
// reproduces the op's scalar semantics in ir/ops.ts exactly (wasm min/max propagate
// NaN and order -0 < +0 like Math.min/max; i32 arithmetic wraps like `| 0` and
// Math.imul; float→int casts are trunc_sat, castScalar's rule). The transcendentals
// and pow are the transcriptions of ir/math in math32.ts (float32) and math64.ts
// (float64, and pow32's float64 core): nothing calls back into JS.

import type { DType } from "../../ir/dtype.js";
import type { ElementwiseOp } from "../../ir/ops.js";
import { F, demote, joinLow64, promote } from "./lanes.js";
import * as M from "./math32.js";
import * as M64 from "./math64.js";
import type { Algorithm } from "../../ir/math/arith.js";
import { EXP32, LOG32, SIGMOID32, TANH32 } from "../../ir/math/float32.js";
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

/** pow: float64 lanes directly; float32 promoted to two f64 halves (pow32 computes in float64) and demoted once. */
const pow: Rule = (L, dt, a) => {
  if (dt === "float64") return fl(L, dt, a, (f, p, q) => M64.pow64(f, p!, q!));
  const d = L.f64;
  const xs = promote(L.fn, L.vec, a[0]!.p[0]!);
  const ys = promote(L.fn, L.vec, a[1]!.p[0]!);
  return { dt, p: [demote(L.fn, L.vec, xs.map((h, i) => M64.pow32in64(d, h, ys[i]!)))] };
};

/** A comparison giving bool 0/1 lanes. */
function compare(fop: "lt" | "gt" | "le" | "ge" | "eq" | "ne", iop: string): Rule {
  return (L, dt, a) => {
    if (!isF(dt)) {
      const ns = L.vec ? "i32x4" : "i32";
      const m = x(`${ns}.${iop}`, a[0]!.p[0]!, a[1]!.p[0]!);
      return L.let("bool", [L.vec ? x("v128.and", m, x("v128.const", ONES)) : m]);
    }
    const f = L.f(dt);
    const ms = a[0]!.p.map((p, i) => f.cmp(fop, p, a[1]!.p[i]!));
    if (!L.vec) return { dt: "bool", p: ms };
    const m32 = ms.length === 2 ? x("i8x16.shuffle", ms[0]!, ms[1]!, [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27]) : ms[0]!;
    return L.let("bool", [x("v128.and", m32, x("v128.const", ONES))]);
  };
}
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
  sin: transcendental(M.sin32, M64.sin64),
  cos: transcendental(M.cos32, M64.cos64),
  sigmoid: transcendental(alg(SIGMOID32), M64.sigmoid64),
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
