// Array elements as wasm values, per dtype, in the two loop forms of every kernel:
// `vec` (4 consecutive elements: one v128 for float32/int32/bool, two f64x2 "parts"
// for float64) and scalar (one element, for loop tails). Bool elements are bytes in
// memory and 0/1 int32 lanes in registers. Loads and stores address elements by an
// i32 element index plus the static byte offset of the array's region.

import type { DType } from "../../ir/dtype.js";
import type { Fn } from "./fn.js";
import { F } from "./lanes.js";
import { splatBytes, x, type Expr, type Ty } from "./recipe.js";

export interface V {
  readonly dt: DType;
  readonly p: readonly Expr[];
}

export interface Region {
  /** Byte offset in the executable's memory (16-byte aligned). */
  readonly off: number;
  readonly dt: DType;
  readonly n: number;
}

export const ELEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const SHIFT: Record<DType, number> = { float32: 2, float64: 3, int32: 2, bool: 0 };

export class Lanes {
  readonly f32: F;
  readonly f64: F;
  /** binaryen namespace of int32 lanes. */
  readonly ins: string;

  constructor(readonly fn: Fn, readonly vec: boolean) {
    this.f32 = new F(fn, "f32", vec);
    this.f64 = new F(fn, "f64", vec);
    this.ins = vec ? "i32x4" : "i32";
  }

  /** Local type of one part of a dtype's value. */
  t(dt: DType): Ty {
    return this.vec ? "v128" : dt === "float32" ? "f32" : dt === "float64" ? "f64" : "i32";
  }
  parts(dt: DType): number {
    return this.vec && dt === "float64" ? 2 : 1;
  }
  let(dt: DType, parts: readonly Expr[]): V {
    return { dt, p: parts.map((e) => this.fn.let(this.t(dt), e)) };
  }

  private ptr(dt: DType, idx: Expr | number): Expr {
    if (typeof idx === "number") return x("i32.const", idx * ELEM_BYTES[dt]);
    return SHIFT[dt] === 0 ? idx : x("i32.shl", idx, x("i32.const", SHIFT[dt]));
  }

  load(r: Region, idx: Expr | number): V {
    const dt = r.dt;
    const ptr = this.fn.let("i32", this.ptr(dt, idx));
    const sz = ELEM_BYTES[dt];
    if (!this.vec) {
      const op = dt === "float32" ? "f32.load" : dt === "float64" ? "f64.load" : dt === "int32" ? "i32.load" : "i32.load8_u";
      return this.let(dt, [x(op, r.off, sz, ptr)]);
    }
    if (dt === "float64") return this.let(dt, [x("v128.load", r.off, 8, ptr), x("v128.load", r.off + 16, 8, ptr)]);
    if (dt === "bool") {
      const bytes = x("v128.load32_zero", r.off, 1, ptr);
      return this.let(dt, [x("i32x4.extend_low_i16x8_u", x("i16x8.extend_low_i8x16_u", bytes))]);
    }
    return this.let(dt, [x("v128.load", r.off, 4, ptr)]);
  }

  store(r: Region, idx: Expr | number, v: V): void {
    const dt = r.dt;
    const ptr = this.fn.let("i32", this.ptr(dt, idx));
    const sz = ELEM_BYTES[dt];
    if (!this.vec) {
      const op = dt === "float32" ? "f32.store" : dt === "float64" ? "f64.store" : dt === "int32" ? "i32.store" : "i32.store8";
      this.fn.emit(x(op, r.off, sz, ptr, v.p[0]!));
    } else if (dt === "float64") {
      this.fn.emit(x("v128.store", r.off, 8, ptr, v.p[0]!));
      this.fn.emit(x("v128.store", r.off + 16, 8, ptr, v.p[1]!));
    } else if (dt === "bool") {
      const w = x("i16x8.narrow_i32x4_u", v.p[0]!, v.p[0]!);
      this.fn.emit(x("i32.store", r.off, 1, ptr, x("i32x4.extract_lane", x("i8x16.narrow_i16x8_u", w, w), 0)));
    } else this.fn.emit(x("v128.store", r.off, 4, ptr, v.p[0]!));
  }

  /** Element 0 of `r` in every lane (a size-1 read). */
  splatLoad(r: Region): V {
    const s = new Lanes(this.fn, false).load(r, 0);
    if (!this.vec) return s;
    return this.splat(s);
  }

  /** A scalar V (from a scalar Lanes) broadcast into vector lanes. */
  splat(s: V): V {
    const e = s.p[0]!;
    if (s.dt === "float64") {
      const v = this.fn.let("v128", x("f64x2.splat", e));
      return { dt: s.dt, p: [v, v] };
    }
    const op = s.dt === "float32" ? "f32x4.splat" : "i32x4.splat";
    return this.let(s.dt, [x(op, e)]);
  }

  /** Every lane holding `c`. */
  const(dt: DType, c: number): V {
    if (!this.vec) return { dt, p: [x(dt === "float32" ? "f32.const" : dt === "float64" ? "f64.const" : "i32.const", c)] };
    const bytes = splatBytes(dt === "float32" ? "f32" : dt === "float64" ? "f64" : "i32", c);
    return { dt, p: Array.from({ length: this.parts(dt) }, () => x("v128.const", bytes)) };
  }

  /** Float ops on one part of dtype dt. */
  f(dt: DType): F {
    return dt === "float64" ? this.f64 : this.f32;
  }

  /** A mutable local holding a V (accumulators). */
  mutable(dt: DType, init: V): { get(): V; set(v: V): void } {
    const t = this.t(dt);
    const idx = init.p.map(() => this.fn.local(t));
    idx.forEach((i, k) => this.fn.emit(x("local.set", i, init.p[k]!)));
    return {
      get: () => ({ dt, p: idx.map((i) => this.fn.get(i, t)) }),
      set: (v: V) => idx.forEach((i, k) => this.fn.emit(x("local.set", i, v.p[k]!))),
    };
  }

  /** Lane `l` (0..3) of a vector V as a scalar expression. */
  lane(v: V, l: number): Expr {
    if (v.dt === "float64") return x("f64x2.extract_lane", v.p[l >> 1]!, l & 1);
    return x(v.dt === "float32" ? "f32x4.extract_lane" : "i32x4.extract_lane", v.p[0]!, l);
  }

  /** Lanes >= t (of 4) replaced by `fill` (masked loop tails). */
  keepLanes(v: V, t: number, fill: number): V {
    const f = this.const(v.dt, fill);
    if (v.dt === "float64") {
      const m = (lo: number) => {
        const b = new Array<number>(16).fill(0);
        for (let l = 0; l < 2; l++) if (lo + l < t) b.fill(255, l * 8, l * 8 + 8);
        return x("v128.const", b);
      };
      return this.let(v.dt, [x("v128.bitselect", v.p[0]!, f.p[0]!, m(0)), x("v128.bitselect", v.p[1]!, f.p[1]!, m(2))]);
    }
    const b = new Array<number>(16).fill(0);
    for (let l = 0; l < 4; l++) if (l < t) b.fill(255, l * 4, l * 4 + 4);
    return this.let(v.dt, [x("v128.bitselect", v.p[0]!, f.p[0]!, x("v128.const", b))]);
  }
}
