// numpy-like text form of an array: `array([[1, 2], [3, 4]], dtype=float32)`, with
// long axes elided in the middle so printing a million elements stays readable.

import type { DType, TypedArray } from "../ir/dtype.js";
import { sizeOf, type Shape } from "../ir/shape.js";

const EDGE = 3;
const THRESHOLD = 1000;

function num(x: number, dtype: DType): string {
  if (dtype === "bool") return x ? "true" : "false";
  if (Object.is(x, -0)) return "-0";
  if (dtype === "int32" || Number.isNaN(x) || !Number.isFinite(x)) return String(x);
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.` : String(dtype === "float32" ? Number(x.toPrecision(8)) : x);
}

export function format(data: TypedArray, shape: Shape, dtype: DType): string {
  const elide = sizeOf(shape) > THRESHOLD;
  const rec = (dim: number, off: number, indent: string): string => {
    if (dim === shape.length) return num(data[off]!, dtype);
    const n = shape[dim]!;
    const step = sizeOf(shape.slice(dim + 1));
    const idx = elide && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    const parts = idx.map((i) => (i < 0 ? "..." : rec(dim + 1, off + i * step, indent + " ")));
    const sep = dim === shape.length - 1 ? ", " : ",\n" + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  return `array(${rec(0, 0, "      ")}, dtype=${dtype})`;
}
