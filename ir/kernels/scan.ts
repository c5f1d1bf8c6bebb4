// Reference kernels of arg-reductions and scans (ir/ops.ts ARG_REDUCE and SCAN): the
// definition every tier reproduces. Both walk the elements of each output in a fixed
// order (row-major over the reduced axes; along the scanned axis), one at a time.

import type { DType, TypedArray } from "../dtype.js";
import { InternalError } from "../errors.js";
import { ARG_REDUCE, ELEMENTWISE, SCAN, sortsBefore, type ArgReduceOp, type ScanOp, type SortOp } from "../ops.js";
import { offsetTable, sizeOf, stridesOf, type Shape } from "../shape.js";

/** Position (row-major over sorted `axes`) of the first extreme of each output into the int32 `out`. */
export function argReduce(op: ArgReduceOp, dt: DType, data: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void {
  const better = ELEMENTWISE[ARG_REDUCE[op].better].scalar[dt];
  if (!better) throw new InternalError(`${op} has no ${dt} semantics`);
  const strides = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outer = offsetTable(kept.map((i) => shape[i]!), kept.map((i) => strides[i]!));
  const inner = offsetTable(axes.map((i) => shape[i]!), axes.map((i) => strides[i]!));
  const m = inner.length;
  if (m === 0) throw new InternalError(`${op} of an empty axis`); // vm/ops.ts rejects it first
  for (let o = 0; o < outer.length; o++) {
    const base = outer[o]!;
    let best = data[base + inner[0]!]!;
    let at = 0;
    for (let j = 1; j < m; j++) {
      const v = data[base + inner[j]!]!;
      if (best === best && (v !== v || better(v, best, 0))) {
        best = v;
        at = j;
      }
    }
    out[o] = at;
  }
}

/** Running combine of `data` along `axis` into `out` (same shape). */
export function scan(op: ScanOp, dt: DType, data: TypedArray, shape: Shape, axis: number, out: TypedArray): void {
  const def = SCAN[op];
  const comb = ELEMENTWISE[def.combine].scalar[dt];
  if (!comb) throw new InternalError(`${op} has no ${dt} semantics`);
  const strides = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => i !== axis);
  const outer = offsetTable(kept.map((i) => shape[i]!), kept.map((i) => strides[i]!));
  const m = shape[axis]!;
  const step = strides[axis]!;
  const start = def.start(dt);
  if (sizeOf(shape) === 0) return;
  for (let o = 0; o < outer.length; o++) {
    let acc = start;
    for (let j = 0, at = outer[o]!; j < m; j++, at += step) {
      acc = comb(acc, data[at]!, 0);
      out[at] = acc;
    }
  }
}

/** Sorts each line of `data` along `axis` (ir/ops.ts SORT): the values, or their positions for argsort. */
export function sortAlong(op: SortOp, data: TypedArray, shape: Shape, axis: number, out: TypedArray): void {
  const strides = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => i !== axis);
  const outer = offsetTable(kept.map((i) => shape[i]!), kept.map((i) => strides[i]!));
  const m = shape[axis]!;
  const step = strides[axis]!;
  if (sizeOf(shape) === 0) return;
  const order = (a: number, b: number) => (sortsBefore(a, b) ? -1 : sortsBefore(b, a) ? 1 : 0);
  for (let o = 0; o < outer.length; o++) {
    const base = outer[o]!;
    const at = (k: number) => data[base + k * step]!;
    // Array.prototype.sort is stable (ECMAScript 2019), so ties keep their positions.
    const idx = Array.from({ length: m }, (_, k) => k).sort((p, q) => order(at(p), at(q)));
    for (let k = 0; k < m; k++) out[base + k * step] = op === "argsort" ? idx[k]! : at(idx[k]!);
  }
}
