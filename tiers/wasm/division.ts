// numpy's division family in wasm: mod, fmod and floorDivide of ir/math/elementary.ts.
//
// int32: wasm SIMD has no integer division, and i32.div_s traps on 0 and INT_MIN / -1.
// Both tiers' definitions divide in float64 instead (exact enough: see elementary.ts),
// so here the lanes convert to f64x2, divide, floor or truncate, and come back by the
// 1.5 * 2^52 magic add, whose low word is the quotient modulo 2^32 (INT_MIN // -1 wraps
// to INT_MIN as `| 0` does); a zero divisor selects 0.
//
// float: JS's `%` is the exact IEEE remainder, which wasm lacks. `fmodLanes` computes it
// exactly by shift-and-subtract on float64 lanes: while r >= |b|, subtract
// t = |b| * 2^k, the largest such multiple not above r (t <= r < 2t, so r - t is exact by
// Sterbenz). It runs at most (exponent of a) - (exponent of b) + 1 rounds (up to 2100 in
// float64, 280 for float32 operands; a few for everyday operands), looping while any
// lane is still active. Float32 operands run it in float64 (the result is a float32
// value, so the demotion is exact); the rest of numpy's formula then runs in the
// operands' own arithmetic, as in elementary.ts.

import type { DType } from "../../ir/dtype.js";
import { F, demote, promote } from "./lanes.js";
import { I64 } from "./math64.js";
import { splatBytes, x, ty, type Expr } from "./recipe.js";
import type { Lanes, V } from "./values.js";

const MIN_NORMAL = 2 ** -1022;
const TWO64 = 2 ** 64;
const MAGIC = 6755399441055744;

const mand = (f: F, a: Expr, b: Expr) => f.fn.let(f.mt, x(f.vec ? "v128.and" : "i32.and", a, b));
const mxor = (f: F, a: Expr, b: Expr) => f.fn.let(f.mt, x(f.vec ? "v128.xor" : "i32.xor", a, b));

/** The unbiased exponent of a positive finite f64 (subnormals included), as an i64 lane. */
function exponent(f: F, i: I64, v: Expr): Expr {
  const sub = f.cmp("lt", v, MIN_NORMAL);
  const n = f.sel(sub, f.mul(v, TWO64), v);
  return i.sub(i.shr(i.bits(n), 52), i.sel(sub, 1023 + 64, 1023));
}

/** copysign by bits (f32x4/f64x2 have no copysign instruction). */
export function copysignBits(f: F, a: Expr, b: Expr): Expr {
  if (!f.vec) return f.bin("copysign", a, b);
  const sign = f.elem === "f32" ? splatBytes("i32", -0x80000000) : splatBytes("i64", -(2n ** 63n));
  return f.fn.let("v128", x("v128.bitselect", b, a, x("v128.const", sign)));
}

/** The exact IEEE remainder a % b (sign of a) of float64 lanes `f`. */
export function fmodLanes(f: F, a: Expr, b: Expr): Expr {
  const fn = f.fn;
  const i = new I64(f);
  const A = f.abs(a);
  const B = f.abs(b);
  const bn = f.sel(f.cmp("lt", B, MIN_NORMAL), f.mul(B, TWO64), B);
  // b = 0, a = ±Inf, or a NaN operand: NaN. |a| < |b| (incl. b = ±Inf): a itself.
  const bad = f.or(f.or(f.cmp("eq", b, 0), f.cmp("eq", A, Infinity)), f.or(f.cmp("ne", a, a), f.cmp("ne", b, b)));
  const bLoop = f.sel(bad, Infinity, B); // bad lanes never enter the loop
  const mB = i.float(i.or(i.and(i.bits(bn), 0x000fffffffffffffn), 0x3ff0000000000000n));
  const r = fn.local(f.t);
  const get = () => fn.get(r, f.t);
  fn.emit(x("local.set", r, f.sel(bad, 0, A)));
  const exit = fn.label("fmodx");
  const again = fn.label("fmodl");
  const body = fn.block(() => {
    const act = f.cmp("ge", get(), bLoop);
    fn.emit(x("br_if", exit, x("i32.eqz", f.vec ? x("v128.any_true", act) : act)));
    const er = exponent(f, i, get());
    const big = i.cmp("gt_s", er, -1000);
    const e1 = i.sel(big, er, -1000);
    const e2 = i.sub(er, e1);
    let t = f.mul(f.mul(mB, i.pow2(e1)), i.pow2(e2));
    t = f.sel(f.cmp("gt", t, get()), f.mul(t, 0.5), t);
    fn.emit(x("local.set", r, f.sel(act, f.sub(get(), t), get())));
    fn.emit(x("br", again));
  });
  fn.emit(x("block", exit, [x("loop", again, body)], ty("none")));
  const res = copysignBits(f, get(), a);
  const small = f.cmp("lt", A, B);
  return f.sel(bad, NaN, f.sel(small, a, res));
}

/** a % b on one part of `dt` lanes (float32 runs in float64 and demotes exactly). */
function fmodPart(L: Lanes, dt: DType, a: Expr, b: Expr): Expr {
  if (dt === "float64") return fmodLanes(L.f64, a, b);
  const as = promote(L.fn, L.vec, a);
  const bs = promote(L.fn, L.vec, b);
  return demote(L.fn, L.vec, as.map((h, k) => fmodLanes(L.f64, h, bs[k]!)));
}

type Kind = "mod" | "fmod" | "floorDivide";

function floatRule(L: Lanes, kind: Kind, dt: DType, a: V, b: V): V {
  const f = L.f(dt);
  const parts = a.p.map((p, k) => {
    const q = b.p[k]!;
    const m = fmodPart(L, dt, p, q);
    if (kind === "fmod") return m;
    const bneg = f.cmp("lt", q, 0);
    const flip = mand(f, f.cmp("ne", m, 0), mxor(f, bneg, f.cmp("lt", m, 0)));
    if (kind === "mod") {
      const r = f.sel(f.cmp("ne", m, 0), f.sel(flip, f.add(m, q), m), copysignBits(f, f.c(0), q));
      return f.sel(f.cmp("eq", q, 0), m, r);
    }
    let div = f.div(f.sub(p, m), q);
    div = f.sel(flip, f.sub(div, 1), div);
    let fl = f.floor(div);
    fl = f.sel(f.cmp("gt", f.sub(div, fl), 0.5), f.add(fl, 1), fl);
    const quo = f.div(p, q);
    const r = f.sel(f.cmp("eq", div, 0), copysignBits(f, f.c(0), quo), fl);
    return f.sel(f.cmp("eq", q, 0), quo, r);
  });
  return L.let(dt, parts);
}

/** i32 lanes → the two f64x2 halves (or one f64). */
function toF64(L: Lanes, v: Expr): Expr[] {
  if (!L.vec) return [L.fn.let("f64", x("f64.convert_s.i32", v))];
  const hi = x("i8x16.shuffle", v, v, [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
  return [L.fn.let("v128", x("f64x2.convert_low_i32x4_s", v)), L.fn.let("v128", x("f64x2.convert_low_i32x4_s", hi))];
}

/** Integral f64 halves → their values modulo 2^32 as i32 lanes. */
function wrapI32(L: Lanes, qs: readonly Expr[]): Expr {
  const d = L.f64;
  const m = qs.map((q) => d.add(q, MAGIC));
  if (!L.vec) return L.fn.let("i32", x("i32.wrap", x("i64.reinterpret", m[0]!)));
  return L.fn.let("v128", x("i8x16.shuffle", m[0]!, m[1]!, [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27]));
}

function intRule(L: Lanes, kind: Kind, a: V, b: V): V {
  const p = a.p[0]!;
  const q = b.p[0]!;
  const d = L.f64;
  const as = toF64(L, p);
  const bs = toF64(L, q);
  const quo = as.map((h, k) => {
    const r = d.div(h, bs[k]!);
    return kind === "fmod" ? d.un("trunc", r) : d.floor(r);
  });
  const qi = wrapI32(L, quo);
  const ns = L.vec ? "i32x4" : "i32";
  const res = kind === "floorDivide" ? qi : L.fn.let(L.t("int32"), x(`${ns}.sub`, p, x(`${ns}.mul`, qi, q)));
  const zero = L.vec ? x("v128.const", new Array(16).fill(0)) : x("i32.const", 0);
  const isZero = L.fn.let(L.vec ? "v128" : "i32", L.vec ? x("i32x4.eq", q, zero) : x("i32.eqz", q));
  return L.let("int32", [L.vec ? x("v128.bitselect", zero, res, isZero) : x("select", isZero, zero, res)]);
}

export const division = (kind: Kind) => (L: Lanes, dt: DType, a: readonly V[]): V =>
  dt === "int32" ? intRule(L, kind, a[0]!, a[1]!) : floatRule(L, kind, dt, a[0]!, a[1]!);
