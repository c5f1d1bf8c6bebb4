// Lane arithmetic for the lowering and the math transcriptions: one interface over a
// wasm scalar (the tail of a loop) and a 128-bit vector (the SIMD main loop), so every
// algorithm is written once and emitted both ways. `F` works on one "part": an f32
// or f32x4, an f64 or f64x2. Masks are what comparisons give: an i32 0/1 in scalar
// code, all-ones/all-zero lanes in SIMD code; `sel(m, a, b)` picks a where m is set.
// `I` is the integer lane type of the same width as F's lanes (i32/i32x4 for f32).

import type { Arith } from "../../ir/math/arith.js";
import type { Fn } from "./fn.js";
import { splatBytes, x, type Expr, type Ty } from "./recipe.js";

export type FElem = "f32" | "f64";

/** For f32 lanes this is ir/math/arith.ts's interface: the one definition of each float32 algorithm emits through it. */
export class F implements Arith<Expr, Expr, Expr> {
  /** binaryen namespace of the float ops: f32, f64, f32x4 or f64x2. */
  readonly ns: string;
  /** Local type of a float part. */
  readonly t: Ty;
  /** Local type of a mask. */
  readonly mt: Ty;

  constructor(readonly fn: Fn, readonly elem: FElem, readonly vec: boolean) {
    this.ns = vec ? (elem === "f32" ? "f32x4" : "f64x2") : elem;
    this.t = vec ? "v128" : elem;
    this.mt = vec ? "v128" : "i32";
  }

  c(v: number): Expr {
    return this.vec ? x("v128.const", splatBytes(this.elem, v)) : x(`${this.elem}.const`, v);
  }
  private k(a: Expr | number): Expr {
    return typeof a === "number" ? this.c(a) : a;
  }
  bin(op: string, a: Expr | number, b: Expr | number): Expr {
    return this.fn.let(this.t, x(`${this.ns}.${op}`, this.k(a), this.k(b)));
  }
  un(op: string, a: Expr): Expr {
    return this.fn.let(this.t, x(`${this.ns}.${op}`, a));
  }
  add(a: Expr | number, b: Expr | number): Expr { return this.bin("add", a, b); }
  sub(a: Expr | number, b: Expr | number): Expr { return this.bin("sub", a, b); }
  mul(a: Expr | number, b: Expr | number): Expr { return this.bin("mul", a, b); }
  div(a: Expr | number, b: Expr | number): Expr { return this.bin("div", a, b); }
  min(a: Expr | number, b: Expr | number): Expr { return this.bin("min", a, b); }
  max(a: Expr | number, b: Expr | number): Expr { return this.bin("max", a, b); }
  abs(a: Expr): Expr { return this.un("abs", a); }
  neg(a: Expr): Expr { return this.un("neg", a); }
  floor(a: Expr): Expr { return this.un("floor", a); }
  sqrt(a: Expr): Expr { return this.un("sqrt", a); }

  cmp(op: "lt" | "gt" | "le" | "ge" | "eq" | "ne", a: Expr | number, b: Expr | number): Expr {
    return this.fn.let(this.mt, x(`${this.ns}.${op}`, this.k(a), this.k(b)));
  }
  sel(m: Expr, a: Expr | number, b: Expr | number): Expr {
    const e = this.vec ? x("v128.bitselect", this.k(a), this.k(b), m) : x("select", m, this.k(a), this.k(b));
    return this.fn.let(this.t, e);
  }
  or(m1: Expr, m2: Expr): Expr {
    return this.fn.let(this.mt, x(this.vec ? "v128.or" : "i32.or", m1, m2));
  }
  and(m1: Expr, m2: Expr): Expr {
    return this.fn.let(this.mt, x(this.vec ? "v128.and" : "i32.and", m1, m2));
  }

  // ---- integer lanes of the same width (used by the f32 algorithms only) ----
  private get ins(): string {
    return this.vec ? "i32x4" : "i32";
  }
  ic(v: number): Expr {
    return this.vec ? x("v128.const", splatBytes("i32", v)) : x("i32.const", v);
  }
  private ik(a: Expr | number): Expr {
    return typeof a === "number" ? this.ic(a) : a;
  }
  iadd(a: Expr, b: Expr | number): Expr { return this.fn.let(this.mt, x(`${this.ins}.add`, a, this.ik(b))); }
  isub(a: Expr, b: Expr | number): Expr { return this.fn.let(this.mt, x(`${this.ins}.sub`, a, this.ik(b))); }
  iand(a: Expr, b: Expr | number): Expr { return this.fn.let(this.mt, x(this.vec ? "v128.and" : "i32.and", a, this.ik(b))); }
  ishl(a: Expr, n: number): Expr { return this.fn.let(this.mt, x(`${this.ins}.shl`, a, x("i32.const", n))); }
  ishr(a: Expr, n: number): Expr { return this.fn.let(this.mt, x(`${this.ins}.shr_s`, a, x("i32.const", n))); }
  ishrU(a: Expr, n: number): Expr { return this.fn.let(this.mt, x(`${this.ins}.shr_u`, a, x("i32.const", n))); }
  /** Wrapping multiply (Math.imul). */
  imul(a: Expr, b: Expr | number): Expr { return this.fn.let(this.mt, x(`${this.ins}.mul`, a, this.ik(b))); }
  ior(a: Expr, b: Expr | number): Expr { return this.fn.let(this.mt, x(this.vec ? "v128.or" : "i32.or", a, this.ik(b))); }
  icmp(op: "lt" | "gt" | "le" | "ge" | "eq" | "ne", a: Expr, b: Expr | number): Expr {
    const name = op === "eq" || op === "ne" ? op : `${op}_s`;
    return this.fn.let(this.mt, x(`${this.ins}.${name}`, a, this.ik(b)));
  }
  ixor(a: Expr, b: Expr | number): Expr { return this.fn.let(this.mt, x(this.vec ? "v128.xor" : "i32.xor", a, this.ik(b))); }
  isel(m: Expr, a: Expr | number, b: Expr | number): Expr {
    const e = this.vec ? x("v128.bitselect", this.ik(a), this.ik(b), m) : x("select", m, this.ik(a), this.ik(b));
    return this.fn.let(this.mt, e);
  }
  /** f32 → i32 truncating with saturation, NaN → 0 (castScalar's rule, wasm trunc_sat). */
  truncSat(a: Expr): Expr {
    return this.fn.let(this.mt, x(this.vec ? "i32x4.trunc_sat_f32x4_s" : "i32.trunc_s_sat.f32", a));
  }
  toInt(a: Expr): Expr {
    return this.truncSat(a);
  }
  pow2(k: Expr): Expr {
    return this.fromBits(this.ishl(this.iadd(k, 127), 23));
  }
  copysign(a: Expr, b: Expr): Expr {
    if (!this.vec) return this.fn.let("f32", x("f32.copysign", a, b));
    return this.fn.let("v128", x("v128.bitselect", b, a, x("v128.const", splatBytes("i32", 0x80000000 | 0))));
  }
  rare(m: Expr, big: () => readonly Expr[], other: readonly Expr[]): Expr[] {
    const outs = other.map((o) => {
      const i = this.fn.local(this.t);
      this.fn.emit(x("local.set", i, o));
      return i;
    });
    const body = this.fn.block(() => {
      const r = big();
      r.forEach((v, i) => this.fn.emit(x("local.set", outs[i]!, this.sel(m, v, this.fn.get(outs[i]!, this.t)))));
    });
    this.fn.emit(x("if", this.vec ? x("v128.any_true", m) : m, body, this.fn.block(() => {})));
    return outs.map((i) => this.fn.get(i, this.t));
  }
  convert(a: Expr): Expr {
    return this.fn.let(this.t, x(this.vec ? "f32x4.convert_i32x4_s" : "f32.convert_s.i32", a));
  }
  bits(a: Expr): Expr {
    return this.vec ? a : this.fn.let("i32", x("i32.reinterpret", a));
  }
  fromBits(a: Expr): Expr {
    return this.vec ? a : this.fn.let("f32", x("f32.reinterpret", a));
  }
}

/** f32 lanes → f64 lanes: the two f64x2 halves of an f32x4, or one f64. */
export function promote(fn: Fn, vec: boolean, a: Expr): Expr[] {
  if (!vec) return [fn.let("f64", x("f64.promote", a))];
  const hi = x("i8x16.shuffle", a, a, [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
  return [fn.let("v128", x("f64x2.promote_low_f32x4", a)), fn.let("v128", x("f64x2.promote_low_f32x4", hi))];
}

/** f64 lanes → f32 lanes (round to nearest, as Math.fround). */
export function demote(fn: Fn, vec: boolean, parts: readonly Expr[]): Expr {
  if (!vec) return fn.let("f32", x("f32.demote", parts[0]!));
  return fn.let("v128", joinLow64(x("f32x4.demote_f64x2_zero", parts[0]!), x("f32x4.demote_f64x2_zero", parts[1]!)));
}

/** The low 8 bytes of `a` followed by the low 8 bytes of `b`. */
export function joinLow64(a: Expr, b: Expr): Expr {
  return x("i8x16.shuffle", a, b, [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
}
