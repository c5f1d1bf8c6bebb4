// Reference kernels for elementwise ops: one loop per arity, reading each operand
// either densely (same size as the output), as a single repeated value (size 1), or
// through broadcast strides. These loops, with the scalar functions of the op table,
// are the definition of every elementwise op; eager mode and tier 0 run them directly.

import type { DType, TypedArray } from "../dtype.js";
import { castScalar } from "../dtype.js";
import { ELEMENTWISE, type ElementwiseOp, type ScalarFn } from "../ops.js";
import { broadcastStrides, sizeOf, type Shape } from "../shape.js";
import { InternalError } from "../errors.js";

export interface Operand {
  readonly data: TypedArray;
  readonly shape: Shape;
}

/** Computes `op` over `ins` (already cast to the op's operand dtype `dt`) into `out`. */
export function elementwise(op: ElementwiseOp, dt: DType, outDType: DType, ins: readonly Operand[], outShape: Shape, out: TypedArray): void {
  if (op === "cast") {
    const fn: ScalarFn = (a) => castScalar(a, outDType);
    return map(fn, ins, outShape, out);
  }
  const fn = ELEMENTWISE[op].scalar[dt];
  if (!fn) throw new InternalError(`${op} has no ${dt} semantics`);
  map(fn, ins, outShape, out);
}

function map(fn: ScalarFn, ins: readonly Operand[], outShape: Shape, out: TypedArray): void {
  const n = sizeOf(outShape);
  if (n === 0) return;
  if (ins.every((x) => x.data.length === n || x.data.length === 1)) {
    dense(fn, ins, n, out);
    return;
  }
  strided(fn, ins, outShape, out);
}

function dense(fn: ScalarFn, ins: readonly Operand[], n: number, out: TypedArray): void {
  const a = ins[0]!.data;
  if (ins.length === 1) {
    for (let i = 0; i < n; i++) out[i] = fn(a[i]!, 0, 0);
    return;
  }
  const b = ins[1]!.data;
  if (ins.length === 2) {
    if (a.length === n && b.length === n) for (let i = 0; i < n; i++) out[i] = fn(a[i]!, b[i]!, 0);
    else if (a.length === n) {
      const y = b[0]!;
      for (let i = 0; i < n; i++) out[i] = fn(a[i]!, y, 0);
    } else if (b.length === n) {
      const x = a[0]!;
      for (let i = 0; i < n; i++) out[i] = fn(x, b[i]!, 0);
    } else out.fill(fn(a[0]!, b[0]!, 0));
    return;
  }
  const c = ins[2]!.data;
  const sa = a.length === n ? 1 : 0;
  const sb = b.length === n ? 1 : 0;
  const sc = c.length === n ? 1 : 0;
  for (let i = 0; i < n; i++) out[i] = fn(a[i * sa]!, b[i * sb]!, c[i * sc]!);
}

/** General broadcasting: an odometer over the output index keeps one offset per operand. */
function strided(fn: ScalarFn, ins: readonly Operand[], outShape: Shape, out: TypedArray): void {
  const rank = outShape.length;
  const k = ins.length;
  const strides = ins.map((x) => broadcastStrides(x.shape, outShape));
  const datas = ins.map((x) => x.data);
  const offs = new Array<number>(k).fill(0);
  const idx = new Array<number>(rank).fill(0);
  const n = out.length;
  const a = datas[0]!;
  const b = datas[1] ?? a;
  const c = datas[2] ?? a;
  for (let i = 0; i < n; i++) {
    out[i] = fn(a[offs[0]!]!, b[offs[1] ?? 0]!, c[offs[2] ?? 0]!);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) offs[j]! += strides[j]![d]!;
      if (idx[d]! < outShape[d]!) break;
      for (let j = 0; j < k; j++) offs[j]! -= strides[j]![d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}
