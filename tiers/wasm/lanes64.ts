// ir/math/arith64.ts's interface over float64 wasm lanes (f64x2 or scalar f64): the one
// definition of each float64 algorithm emits through it. Float ops are lanes.ts's F;
// integer lanes are i64 (i64x2) holding sign-extended int32 values, re-wrapped after
// add/sub/shl/shr_u so they wrap as JS's `| 0` does.

import type { Arith64, Algorithm64 } from "../../ir/math/arith64.js";
import type { Cmp } from "../../ir/math/arith.js";
import { F, demote, promote } from "./lanes.js";
import type { Op2 } from "../../ir/math/kit.js";
import { I64 } from "./math64.js";
import { splatBytes, x, type Expr } from "./recipe.js";

const I64_CMP: Record<Cmp, string> = { lt: "lt_s", gt: "gt_s", le: "le_s", ge: "ge_s", eq: "eq", ne: "ne" };

export class A64 implements Arith64<Expr, Expr, Expr> {
  private readonly i: I64;
  constructor(readonly f: F) {
    this.i = new I64(f);
  }
  add(a: Expr | number, b: Expr | number) { return this.f.add(a, b); }
  sub(a: Expr | number, b: Expr | number) { return this.f.sub(a, b); }
  mul(a: Expr | number, b: Expr | number) { return this.f.mul(a, b); }
  div(a: Expr | number, b: Expr | number) { return this.f.div(a, b); }
  min(a: Expr | number, b: Expr | number) { return this.f.min(a, b); }
  max(a: Expr | number, b: Expr | number) { return this.f.max(a, b); }
  abs(a: Expr) { return this.f.abs(a); }
  neg(a: Expr) { return this.f.neg(a); }
  floor(a: Expr) { return this.f.floor(a); }
  sqrt(a: Expr) { return this.f.sqrt(a); }
  cmp(op: Cmp, a: Expr | number, b: Expr | number) { return this.f.cmp(op, a, b); }
  or(a: Expr, b: Expr) { return this.f.or(a, b); }
  and(a: Expr, b: Expr) { return this.f.and(a, b); }
  sel(m: Expr, a: Expr | number, b: Expr | number) { return this.f.sel(m, a, b); }

  private ik(a: Expr | number): Expr {
    return typeof a === "number" ? this.i.c(a) : a;
  }
  private w(v: Expr): Expr {
    return this.i.wrap32(v);
  }
  iadd(a: Expr, b: Expr | number) { return this.w(this.i.add(a, this.ik(b))); }
  isub(a: Expr, b: Expr | number) { return this.w(this.i.sub(a, this.ik(b))); }
  iand(a: Expr, b: Expr | number) { return this.i.and(a, this.ik(b)); }
  ior(a: Expr, b: Expr | number) { return this.i.or(a, this.ik(b)); }
  ixor(a: Expr, b: Expr | number) {
    return this.f.fn.let(this.f.vec ? "v128" : "i64", x(this.f.vec ? "v128.xor" : "i64.xor", a, this.ik(b)));
  }
  ishl(a: Expr, n: number) { return this.w(this.i.shl(a, n)); }
  ishr(a: Expr, n: number) { return this.i.shr(a, n); }
  ishrU(a: Expr, n: number) {
    const u = this.i.and(a, 0xffffffffn);
    const s = this.f.fn.let(this.f.vec ? "v128" : "i64", this.f.vec ? x("i64x2.shr_u", u, x("i32.const", n)) : x("i64.shr_u", u, this.i.c(n)));
    return this.w(s);
  }
  icmp(op: Cmp, a: Expr, b: Expr | number) {
    return this.f.fn.let(this.f.mt, x(`${this.f.vec ? "i64x2" : "i64"}.${I64_CMP[op]}`, a, this.ik(b)));
  }
  isel(m: Expr, a: Expr | number, b: Expr | number) { return this.i.sel(m, this.ik(a), this.ik(b)); }
  /** trunc_sat, as arith.ts's toInt on its domain (integral, |a| < 2^31, or NaN -> 0 as JS's `| 0`). */
  toInt(a: Expr) {
    if (!this.f.vec) return this.f.fn.let("i64", x("i64.trunc_s_sat.f64", a));
    return this.f.fn.let("v128", x("i64x2.extend_low_i32x4_s", x("i32x4.trunc_sat_f64x2_s_zero", a)));
  }
  convert(a: Expr) { return this.i.toFloat(a); }
  pow2(k: Expr) { return this.i.pow2(k); }
  copysign(a: Expr, b: Expr) {
    if (!this.f.vec) return this.f.fn.let("f64", x("f64.copysign", a, b));
    return this.f.fn.let("v128", x("v128.bitselect", b, a, x("v128.const", splatBytes("i64", -(2n ** 63n)))));
  }
  hiWord(a: Expr) { return this.i.hiWord(a); }
  loWord(a: Expr) { return this.w(this.i.bits(a)); }
  fromWords(hi: Expr, lo: Expr) { return this.i.fromWords(hi, lo); }
  clearLo(a: Expr) { return this.i.clearLo(a); }
}

/** Emits a float64 algorithm of ir/math from its one definition (f is an f64 F). */
export const alg64 = (A: Algorithm64) => (f: F, a: Expr, b?: Expr): Expr => A.define(new A64(f), a, b ?? a);

/** A kit transcendental on float32 lanes: its float32 algorithm, or its float64 one on the promoted halves, rounded once. */
export function emit32(op: Op2, f: F, a: Expr, b?: Expr): Expr {
  if (op.f32) return op.f32.define(f, a, b ?? a);
  const d = new F(f.fn, "f64", f.vec);
  const as = promote(f.fn, f.vec, a);
  const bs = b === undefined ? as : promote(f.fn, f.vec, b);
  return demote(f.fn, f.vec, as.map((h, i) => alg64(op.f32in64!)(d, h, bs[i])));
}
