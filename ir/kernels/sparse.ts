// The reference kernel of spmv (semantics: ir/sparse.ts): each sum starts at +0 and
// adds its terms in order with the op table's own add and mul, so every rounding is
// the dtype's.

import type { DType, TypedArray } from "../dtype.js";
import { ELEMENTWISE } from "../ops.js";
import type { SpmvParams } from "../sparse.js";

export function spmv(dt: DType, p: SpmvParams, layout: TypedArray, data: TypedArray, uniform: boolean, x: TypedArray, xBool: boolean, out: TypedArray): void {
  const add = ELEMENTWISE.add.scalar[dt]!;
  const mul = ELEMENTWISE.mul.scalar[dt]!;
  const base = p.rows + 1;
  const w0 = data[0]!;
  if (!p.transpose) {
    for (let i = 0; i < p.rows; i++) {
      let acc = 0;
      for (let k = layout[i]!; k < layout[i + 1]!; k++) {
        const v = x[layout[base + k]!]!;
        const w = uniform ? w0 : data[k]!;
        if (xBool) {
          if (v !== 0) acc = add(acc, w, 0);
        } else acc = add(acc, mul(w, v, 0), 0);
      }
      out[i] = acc;
    }
    return;
  }
  out.fill(0);
  for (let r = 0; r < p.rows; r++) {
    const v = x[r]!;
    if (xBool && v === 0) continue;
    for (let k = layout[r]!; k < layout[r + 1]!; k++) {
      const c = layout[base + k]!;
      const w = uniform ? w0 : data[k]!;
      out[c] = add(out[c]!, xBool ? w : mul(w, v, 0), 0);
    }
  }
}
