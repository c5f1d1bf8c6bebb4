// The memory plan of one tier-2 module (Layout: regions, reuse, constant tables, the
// module's functions) and the regions of one program's values (Scope). Shared by the
// lowering (lower.ts) and the control-flow lowering (control.ts), which lowers
// sub-programs through the LowerInline function lower.ts hands it, so neither of the
// two imports the other.

import type { DType, TypedArray } from "../../ir/dtype.js";
import type { Program } from "../../ir/program.js";
import { offsetTable, sizeOf } from "../../ir/shape.js";
import type { Fn } from "./fn.js";
import type { FuncRecipe } from "./recipe.js";
import { ELEM_BYTES, type Region } from "./values.js";

/**
 * Lowers a sub-program inline into `fn`, its inputs bound to `inputs`; returns its
 * scope (for its output regions). `inPlace` maps an output to the input whose region
 * it may take over (a loop carry's new and old value), where that is safe.
 */
export type LowerInline = (sub: Program, layout: Layout, inputs: readonly Region[], fn: Fn, inPlace?: ReadonlyMap<number, number>) => Scope;

/**
 * The memory of one executable: a bump allocator with reuse (a kernel-written value's
 * region returns to a free list after the last kernel reading it, see lowerKernels)
 * and the constant data placed at instantiation.
 */
export class Layout {
  /** The module's math mode, given to every function of it (Fn.fastMath). */
  constructor(readonly fastMath = false) {}
  top = 0;
  /** Released regions by their allocated byte size. */
  private readonly free = new Map<number, number[]>();
  readonly tables: [Region, TypedArray][] = [];
  /** Every function of the module: kernels, and the per-iteration functions of loops (control.ts). */
  readonly funcs: FuncRecipe[] = [];
  /** Counter for unique function names. */
  names = 0;
  alloc(dt: DType, n: number, fresh = false): Region {
    // 16-byte aligned, with a vector's worth of slack: masked loop tails load, and copies store, a whole v128.
    const bytes = Math.ceil((n * ELEM_BYTES[dt] + 16) / 16) * 16 + 16;
    const reuse = fresh ? undefined : this.free.get(bytes)?.pop();
    if (reuse !== undefined) return { off: reuse, dt, n };
    const r = { off: this.top, dt, n };
    this.top += bytes;
    return r;
  }
  release(r: Region): void {
    const bytes = Math.ceil((r.n * ELEM_BYTES[r.dt] + 16) / 16) * 16 + 16;
    const list = this.free.get(bytes);
    if (list) list.push(r.off);
    else this.free.set(bytes, [r.off]);
  }
  /** The offset table of a (shape, strides) view (movement.ts offsets), placed once per module. */
  offsets(shape: readonly number[], strides: readonly number[]): Region {
    const key = `${shape.join(",")}|${strides.join(",")}`;
    let r = this.offsetTables.get(key);
    if (!r) this.offsetTables.set(key, (r = this.table("int32", offsetTable(shape, strides))));
    return r;
  }
  private readonly offsetTables = new Map<string, Region>();
  /** Constant data: never a reused region, which a kernel running earlier in a call would overwrite. */
  table(dt: DType, data: TypedArray): Region {
    const r = this.alloc(dt, data.length, true);
    this.tables.push([r, data]);
    return r;
  }
}

/** The regions of one program's values. */
export class Scope {
  readonly regionOf = new Map<number, Region>();
  constructor(readonly p: Program, readonly layout: Layout, inputs?: readonly Region[]) {
    inputs?.forEach((r, k) => this.regionOf.set(p.inputs[k]!, r));
    for (const [id, data] of p.consts) this.regionOf.set(id, layout.table(p.values[id]!.dtype, data));
  }
  of(id: number): Region {
    let r = this.regionOf.get(id);
    if (!r) {
      const v = this.p.values[id]!;
      this.regionOf.set(id, (r = this.layout.alloc(v.dtype, sizeOf(v.shape))));
    }
    return r;
  }
}
