// Shape arithmetic shared by the tracer, the kernels and every tier: sizes, row-major
// strides, numpy broadcasting and axis normalisation. All arrays are contiguous and
// row-major; a broadcast input is read with stride 0 along the broadcast axes.

import { ArgumentError, ShapeError, SizeError, fmtShape, requireStatic, show, sizeMessage } from "./errors.js";

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** numpy broadcasting of any number of shapes; `op` names the op in the error. */
export function broadcastShapes(op: string, shapes: readonly Shape[]): number[] {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      const cur = out[o]!;
      if (cur === 1) out[o] = d;
      else if (d !== 1 && d !== cur) {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(fmtShape).join(" and ")} cannot be broadcast together ` +
            `(axis ${o} of the result has sizes ${cur} and ${d})`,
        );
      }
    }
  }
  return out;
}

/**
 * Strides for reading an input of shape `inShape` as if it had the broadcast shape
 * `outShape`: 0 along axes where the input has size 1 (or is missing).
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const inStrides = stridesOf(inShape);
  const r = outShape.length;
  const out = new Array<number>(r).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const o = r - inShape.length + i;
    out[o] = inShape[i] === 1 ? 0 : inStrides[i]!;
  }
  return out;
}

/**
 * Offsets of the elements of a (shape, strides) view in row-major order: the index
 * table behind reductions over any axes, transposes and broadcasts in every tier.
 */
export function offsetTable(shape: Shape, strides: readonly number[]): Int32Array {
  const n = sizeOf(shape);
  const res = new Int32Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    res[i] = off;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return res;
}

export function normalizeAxis(op: string, axis: number, rank: number): number {
  requireStatic(`${op}: an axis`, axis);
  if (typeof axis !== "number") throw new ArgumentError(`${op}: an axis must be an integer, got ${show(axis)}`);
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ArgumentError(`${op}: axis ${axis} is out of range for an array of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises `axis` (undefined = all axes) into a sorted list of distinct axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  requireStatic(`${op}: the axis`, axis);
  if (typeof axis !== "number" && !Array.isArray(axis)) throw new ArgumentError(`${op}: axis must be a number or an array of numbers, got ${show(axis)}`);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length) throw new ArgumentError(`${op}: repeated axis in ${show(list)}`);
  return out.sort((a, b) => a - b);
}

export function checkShape(op: string, shape: unknown): number[] {
  if (Array.isArray(shape)) for (const d of shape) requireStatic(`${op}: a shape entry`, d);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError(`${op}: shape must be an array of non-negative integers, got ${show(shape)}`);
  }
  return [...(shape as number[])];
}

/** Resolves a reshape target with at most one -1. */
export function resolveReshape(op: string, from: Shape, to: readonly number[]): number[] {
  const total = sizeOf(from);
  let infer = -1;
  let known = 1;
  to.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new ArgumentError(`${op}: only one dimension can be -1, got ${fmtShape(to)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ArgumentError(`${op}: invalid dimension ${d} in ${fmtShape(to)}`);
    } else known *= d;
  });
  const out = [...to];
  if (infer >= 0) {
    if (known === 0 || total % known !== 0) {
      throw new ShapeError(`${op}: cannot reshape array of shape ${fmtShape(from)} (size ${total}) into ${fmtShape(to)}`);
    }
    out[infer] = total / known;
  } else if (known !== total) {
    throw new ShapeError(`${op}: cannot reshape array of shape ${fmtShape(from)} (size ${total}) into ${fmtShape(to)}`);
  }
  return out;
}

const ITEM: Record<string, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** Throws a SizeError when an array of `shape` and `dtype` is above tierjit's size limits (ir/dtype.ts MAX_ELEMENTS, MAX_BYTES). */
export function checkSize(op: string, shape: readonly number[], dtype: string): void {
  let n = 1;
  for (const d of shape) n *= d;
  if (n > 2 ** 31 - 1 || n * ITEM[dtype]! > 2 ** 31) throw new SizeError(sizeMessage(op, n, dtype, shape));
}
