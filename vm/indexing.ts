// Indexing as users call it: `x.slice(...)`, `x.at(...).set/add/mul/min/max`,
// np.take, np.takeAlongAxis, np.dynamicSlice, np.dynamicUpdateSlice and the segment
// reductions. Everything is built from the indexing ops of ir/indexing.ts plus
// elementwise ops, reshapes and transposes, through `emit`, so eager mode and every
// tier run the same instructions.
//
// Index rules (numpy, with JAX's choices for traced indices):
// - a static number picks one element and drops the axis; out of range is an IndexError;
// - null or [] is the whole axis; [start], [start, stop], [start, stop, step] a range
//   with Python's slice rules (a static view: the `slice` op);
// - an int32 NDArray is an advanced index (a gather); several broadcast together, and
//   their broadcast shape goes where the first of them stood if they are adjacent,
//   else first (numpy's rule; a static number counts as an advanced index then);
// - a traced int32 scalar (a forLoop index, a jit argument) is a 0-d advanced index;
// - a bool mask is replaced by its nonzero positions, eagerly only.
// A traced index is wrapped once when negative, then clamped for reads (gathers) and
// dropped when out of range for updates (scatters), as JAX does.

import { IndexError, ArgumentError, DTypeError, ShapeError, TracerError, fmtShape, requireStatic, show } from "../ir/errors.js";
import type { DType } from "../ir/dtype.js";
import { SCATTER_MODES, windowStart, type ScatterMode } from "../ir/indexing.js";
import { broadcastShapes, normalizeAxis, sizeOf, stridesOf, type Shape } from "../ir/shape.js";
import { fromData } from "./construct.js";
import { NDArray, type ArrayLike } from "./ndarray.js";
import { asArray, broadcastTo, castTo, elementwiseFns as E, emit, reshape, transpose, where } from "./ops.js";
import { currentTrace } from "./trace.js";

/** One entry of an index: see the file header. */
export type IndexEntry = number | null | undefined | readonly [] | readonly [start: number | null | undefined, stop?: number | null, step?: number | null] | NDArray;

/** `x.at(...)`: functional updates of the indexed elements, each returning a new array. */
export interface AtUpdater {
  set(v: ArrayLike): NDArray;
  add(v: ArrayLike): NDArray;
  mul(v: ArrayLike): NDArray;
  min(v: ArrayLike): NDArray;
  max(v: ArrayLike): NDArray;
}

declare module "./ndarray.js" {
  interface NDArray {
    /** numpy-style indexing, one entry per leading axis (vm/indexing.ts). */
    slice(...index: IndexEntry[]): NDArray;
    /** JAX's `.at[]`: `x.at(i).set(v)`, `.add(v)`, `.mul(v)`, `.min(v)`, `.max(v)`. */
    at(...index: IndexEntry[]): AtUpdater;
  }
}

type Basic = { kind: "int"; i: number } | { kind: "range"; start: number; len: number; step: number };
type Adv = { kind: "adv"; idx: NDArray; concrete: boolean };
type Entry = Basic | Adv;

const int32 = (v: number) => fromData(v, "int32", "index");

function isConcrete(a: NDArray): boolean {
  return a._trace === null && !a._isVar && a._data !== null;
}

function outOfRange(op: string, axis: number, i: number, n: number): IndexError {
  return new IndexError(`${op}: index ${i} is out of bounds for axis ${axis} with size ${n}`);
}

/** Python's slice.indices(n): start, length and step of a range entry. */
function range(op: string, axis: number, n: number, e: readonly (number | null | undefined)[]): Basic {
  if (e.length > 3) throw new ArgumentError(`${op}: a range for axis ${axis} is [start], [start, stop] or [start, stop, step], got ${e.length} entries`);
  e.forEach((v) => requireStatic(`${op}: a range bound (use np.dynamicSlice for a traced start)`, v));
  for (const v of e) {
    if ((v as unknown) instanceof NDArray) throw new ArgumentError(`${op}: range bounds for axis ${axis} are static numbers; for a traced start use np.dynamicSlice or an index array`);
    if (v !== null && v !== undefined && (typeof v !== "number" || !Number.isInteger(v))) {
      throw new ArgumentError(`${op}: range bounds for axis ${axis} must be integers or null, got ${show(v)}`);
    }
  }
  const step = e[2] ?? 1;
  if (step === 0) throw new ArgumentError(`${op}: a range step must not be 0 (axis ${axis})`);
  const norm = (v: number | null | undefined, dflt: number, lo: number, hi: number) => {
    if (v === null || v === undefined) return dflt;
    const w = v < 0 ? v + n : v;
    return w < lo ? lo : w > hi ? hi : w;
  };
  const start = step > 0 ? norm(e[0], 0, 0, n) : norm(e[0], n - 1, -1, n - 1);
  const stop = step > 0 ? norm(e[1], n, 0, n) : norm(e[1], -1, -1, n - 1);
  const len = Math.max(0, Math.ceil((stop - start) / step));
  return len === 0 ? { kind: "range", start: 0, len: 0, step: 1 } : { kind: "range", start, len, step };
}

/** An advanced index array: int32 (a traced weak int becomes int32); bounds checked now when concrete. */
function advanced(op: string, a: NDArray, axis: number, n: number): Adv {
  const idx = a._weak === "int" ? castTo(a, "int32") : a;
  if (idx.dtype !== "int32") {
    throw new DTypeError(`${op}: an index array must be int32 (or a bool mask), got ${idx.dtype}${a._weak === "float" ? " (a traced fractional number)" : ""} for axis ${axis}`);
  }
  const concrete = isConcrete(idx);
  if (concrete) {
    for (const j of idx._data!) if (j < -n || j >= n) throw outOfRange(op, axis, j, n);
  } else if (n === 0) throw new IndexError(`${op}: cannot index axis ${axis} of size 0 with a traced index`);
  return { kind: "adv", idx, concrete };
}

/** Parses an index into one entry per axis of `shape` (bool masks expanded, missing entries whole axes). */
function parse(op: string, x: NDArray, index: readonly IndexEntry[]): Entry[] {
  const shape = x.shape;
  const out: Entry[] = [];
  for (const e of index) {
    const axis = out.length;
    if (e instanceof NDArray && e.dtype === "bool") {
      const k = e.ndim;
      if (axis + k > shape.length || e.shape.some((d, i) => d !== shape[axis + i])) {
        throw new IndexError(`${op}: a bool mask of shape ${fmtShape(e.shape)} does not match axes ${axis}..${axis + k - 1} of shape ${fmtShape(shape)}`);
      }
      if (!isConcrete(e) || x._trace !== null || (currentTrace()?.active ?? false)) {
        throw new TracerError(`${op}: a bool mask index selects a data-dependent number of elements, which jit cannot compile (shapes are static); use np.where(mask, x, fill) to keep the shape, or index eagerly`);
      }
      const strides = stridesOf(e.shape);
      const hits: number[] = [];
      e._data!.forEach((v, i) => v !== 0 && hits.push(i));
      for (let d = 0; d < k; d++) {
        const coord = Int32Array.from(hits, (i) => Math.floor(i / strides[d]!) % e.shape[d]!);
        out.push({ kind: "adv", idx: new NDArray([hits.length], "int32", coord), concrete: true });
      }
      continue;
    }
    if (axis >= shape.length) throw new IndexError(`${op}: too many indices for an array of shape ${fmtShape(shape)} (${shape.length}-dimensional)`);
    const n = shape[axis]!;
    if (e === null || e === undefined) out.push({ kind: "range", start: 0, len: n, step: 1 });
    else if (typeof e === "number") {
      if (!Number.isInteger(e)) throw new ArgumentError(`${op}: an index must be an integer, got ${show(e)} for axis ${axis}`);
      if (e < -n || e >= n) throw outOfRange(op, axis, e, n);
      out.push({ kind: "int", i: e < 0 ? e + n : e });
    } else if (e instanceof NDArray) {
      if (e._staticHint !== undefined && e._weak !== "int") throw new DTypeError(`${op}: an index must be an integer, but ${e._staticHint}`);
      out.push(advanced(op, e, axis, n));
    } else if (Array.isArray(e)) out.push(range(op, axis, n, e as (number | null)[]));
    else throw new ArgumentError(`${op}: index entry ${axis} must be a number, null, a range array [start, stop, step], an int32 NDArray or a bool mask, got ${show(e)}`);
  }
  while (out.length < shape.length) out.push({ kind: "range", start: 0, len: shape[out.length]!, step: 1 });
  // numpy: with an advanced index of rank > 0, static numbers are advanced indices too (their placement).
  if (out.some((e) => e.kind === "adv" && e.idx.ndim > 0)) {
    return out.map((e) => (e.kind === "int" ? { kind: "adv", idx: int32(e.i), concrete: true } : e));
  }
  return out;
}

/** A static strided slice (a view in the IR); the identity emits nothing. */
export function staticSlice(x: NDArray, starts: readonly number[], sizes: readonly number[], steps: readonly number[]): NDArray {
  if (sizes.every((s, d) => s === x.shape[d] && starts[d] === 0 && steps[d] === 1)) return x;
  const z = sizeOf(sizes) === 0;
  return emit("slice", [x], { shape: [...sizes], dtype: x.dtype }, { starts: z ? sizes.map(() => 0) : [...starts], steps: z ? sizes.map(() => 1) : [...steps] });
}

/** A traced index wrapped once when negative: where(j < 0, j + n, j). */
function wrapped(j: NDArray, n: number): NDArray {
  return where(E.less(j, 0), E.add(j, n), j);
}

/** Where the advanced indices' broadcast dims go: at the first one if they are adjacent (among kept axes), else first. */
function advPlacement(kept: readonly Entry[]): { positions: number[]; at: number; adjacent: boolean } {
  const positions = kept.flatMap((e, i) => (e.kind === "adv" ? [i] : []));
  const adjacent = positions.every((p, k) => k === 0 || p === positions[k - 1]! + 1);
  return { positions, at: adjacent ? positions[0]! : 0, adjacent };
}

export function slice(x: NDArray, ...index: IndexEntry[]): NDArray {
  const op = "slice";
  const entries = parse(op, x, index);
  // 1. The basic entries as one static slice; advanced axes stay whole.
  const basic = staticSlice(
    x,
    entries.map((e) => (e.kind === "int" ? e.i : e.kind === "range" ? e.start : 0)),
    entries.map((e, d) => (e.kind === "int" ? 1 : e.kind === "range" ? e.len : x.shape[d]!)),
    entries.map((e) => (e.kind === "range" ? e.step : 1)),
  );
  const kept = entries.filter((e) => e.kind !== "int");
  let y = reshape(basic, basic.shape.filter((_, d) => entries[d]!.kind !== "int"));
  if (!kept.some((e) => e.kind === "adv")) return y;
  // 2. Advanced axes together (moved first unless adjacent), merged into one, one gather.
  const { positions, at, adjacent } = advPlacement(kept);
  if (!adjacent) {
    const rest = kept.map((_, i) => i).filter((i) => !positions.includes(i));
    y = transpose(y, [...positions, ...rest]);
  }
  const lead = y.shape.slice(0, at);
  const sizes = positions.map((p) => x.shape[entries.indexOf(kept[p]!)]!);
  const trail = y.shape.slice(at + positions.length);
  const advs = positions.map((p) => kept[p] as Adv);
  const bshape = broadcastShapes(op, advs.map((a) => a.idx.shape));
  const n = sizeOf(sizes);
  if (n === 0 && sizeOf(bshape) > 0) throw new IndexError(`${op}: cannot take elements of an empty axis (size 0)`);
  let idx: NDArray;
  if (advs.length === 1) idx = advs[0]!.idx;
  else {
    // Each index wrapped and clamped into its own axis, then combined into the merged axis.
    const st = stridesOf(sizes);
    idx = advs
      .map((a, k) => E.mul(E.minimum(E.maximum(wrapped(a.idx, sizes[k]!), 0), sizes[k]! - 1), st[k]!))
      .reduce((s, t) => E.add(s, t));
    idx = castTo(broadcastTo(idx, bshape), "int32");
  }
  const merged = reshape(y, [...lead, n, ...trail]);
  return emit("gather", [merged, idx], { shape: [...lead, ...idx.shape, ...trail], dtype: x.dtype }, { axis: lead.length });
}

/**
 * The flat positions in x of the elements an index selects, in numpy's result shape
 * (int32); positions of traced indices out of range are x.size, which a scatter drops.
 */
function flatPositions(op: string, x: NDArray, index: readonly IndexEntry[]): NDArray {
  const entries = parse(op, x, index);
  const kept = entries.filter((e) => e.kind !== "int");
  const hasAdv = kept.some((e) => e.kind === "adv");
  const { positions, at } = hasAdv ? advPlacement(kept) : { positions: [] as number[], at: 0 };
  const advs = positions.map((p) => kept[p] as Adv);
  const bshape = hasAdv ? broadcastShapes(op, advs.map((a) => a.idx.shape)) : [];
  // Result dims: the kept basic ranges in order, with the advanced broadcast dims at `at`.
  const rangeDims = kept.flatMap((e) => (e.kind === "range" ? [e.len] : []));
  const shape = hasAdv ? [...rangeDims.slice(0, at), ...bshape, ...rangeDims.slice(at)] : rangeDims;
  const r = shape.length;
  const strides = stridesOf(x.shape);
  let flat: NDArray = int32(0);
  let valid: NDArray | null = null;
  let rk = 0;
  entries.forEach((e, d) => {
    const n = x.shape[d]!;
    let coord: NDArray;
    if (e.kind === "int") coord = int32(e.i);
    else if (e.kind === "range") {
      const dim = hasAdv && rk >= at ? rk + bshape.length : rk;
      rk++;
      const vals = Int32Array.from({ length: e.len }, (_, k) => e.start + k * e.step);
      coord = new NDArray(shape.map((s, i) => (i === dim ? s : 1)), "int32", vals);
    } else {
      const j = wrapped(e.idx, n);
      // The index's dims sit at `at` among the result's, for the validity mask as for the coordinate.
      const place = (v: NDArray) => reshape(broadcastTo(v, bshape), [...Array(at).fill(1), ...bshape, ...Array(r - at - bshape.length).fill(1)]);
      if (!e.concrete) {
        const ok = place(E.logicalAnd(E.greaterEqual(j, 0), E.less(j, n)));
        valid = valid === null ? ok : E.logicalAnd(valid, ok);
      }
      coord = place(j);
    }
    flat = E.add(flat, E.mul(coord, strides[d]!));
  });
  flat = broadcastTo(flat, shape);
  if (valid !== null) flat = where(broadcastTo(valid, shape), flat, x.size);
  return castTo(flat, "int32");
}

function scatterFlat(op: string, x: NDArray, pos: NDArray, v: ArrayLike, mode: ScatterMode): NDArray {
  let upd = castTo(asArray(op, v), x.dtype);
  try {
    upd = broadcastTo(upd, pos.shape);
  } catch {
    throw new ShapeError(`${op}: the update of shape ${fmtShape(upd.shape)} does not broadcast to the indexed shape ${fmtShape(pos.shape)}`);
  }
  const m = pos.size;
  // bool has no add or mul: numpy's are or and and, which max and min are on 0/1.
  const md: ScatterMode = x.dtype === "bool" ? (mode === "add" ? "max" : mode === "mul" ? "min" : mode) : mode;
  const out = emit("scatter", [reshape(x, [x.size]), reshape(pos, [m]), reshape(upd, [m])], { shape: [x.size], dtype: x.dtype }, { axis: 0, mode: md });
  return reshape(out, x.shape);
}

export function at(x: NDArray, ...index: IndexEntry[]): AtUpdater {
  const pos = () => flatPositions("at", x, index);
  const mk = (mode: ScatterMode) => (v: ArrayLike) => scatterFlat(`at(...).${mode}`, x, pos(), v, mode);
  return Object.fromEntries(SCATTER_MODES.map((m) => [m, mk(m)])) as unknown as AtUpdater;
}

/** An int32 index argument: NDArrays as they are (traced weak ints cast), JS numbers and arrays as int32. */
function indexArray(op: string, v: unknown): NDArray {
  if (v instanceof NDArray) return v._weak === "int" ? castTo(v, "int32") : v;
  if (typeof v === "number" || Array.isArray(v) || ArrayBuffer.isView(v)) return fromData(v as ArrayLike, "int32", op);
  throw new ArgumentError(`${op}: indices must be an int32 NDArray or a JS array of integers, got ${show(v)}`);
}

function staticAxis(op: string, axis: unknown, ndim: number): number {
  requireStatic(`${op}: the axis`, axis);
  if (typeof axis !== "number" || !Number.isInteger(axis)) throw new ArgumentError(`${op}: axis must be an integer, got ${show(axis)}`);
  return normalizeAxis(op, axis, ndim);
}

/** np.take: elements along `axis` (without one: of the flattened array); negative indices count from the end. */
export function take(a: ArrayLike, indices: ArrayLike, axis?: number): NDArray {
  const op = "np.take";
  const arr0 = asArray(op, a);
  const arr = axis === undefined || axis === null ? reshape(arr0, [arr0.size]) : arr0;
  const ax = axis === undefined || axis === null ? 0 : staticAxis(op, axis, arr.ndim);
  const idx = advanced(op, indexArray(op, indices), ax, arr.shape[ax]!).idx;
  if (arr.shape[ax] === 0 && idx.size > 0) throw new IndexError(`${op}: cannot take from axis ${ax} of size 0`);
  const shape = [...arr.shape.slice(0, ax), ...idx.shape, ...arr.shape.slice(ax + 1)];
  return emit("gather", [arr, idx], { shape, dtype: arr.dtype }, { axis: ax });
}

/** np.take_along_axis: out[..., j, ...] = a[..., indices[..., j, ...], ...] along `axis`, the other axes broadcast. */
export function takeAlongAxis(a: ArrayLike, indices: ArrayLike, axis: number): NDArray {
  const op = "np.takeAlongAxis";
  const arr = asArray(op, a);
  const idx0 = indexArray(op, indices);
  const ax = staticAxis(op, axis, arr.ndim);
  if (idx0.ndim !== arr.ndim) throw new ShapeError(`${op}: indices must have as many dimensions as the array (${arr.ndim}), got shape ${fmtShape(idx0.shape)}`);
  const n = arr.shape[ax]!;
  const idx = advanced(op, idx0, ax, n).idx;
  const others = broadcastShapes(op, [arr.shape.map((d, i) => (i === ax ? 1 : d)), idx.shape.map((d, i) => (i === ax ? 1 : d))]);
  const shape = others.map((d, i) => (i === ax ? idx.shape[ax]! : d));
  if (n === 0 && sizeOf(shape) > 0) throw new IndexError(`${op}: cannot take from axis ${ax} of size 0`);
  const strides = stridesOf(arr.shape);
  let flat: NDArray = E.mul(E.minimum(E.maximum(wrapped(idx, n), 0), n - 1), strides[ax]!);
  shape.forEach((s, d) => {
    if (d === ax || arr.shape[d] === 1) return;
    const iota = new NDArray(shape.map((t, i) => (i === d ? t : 1)), "int32", Int32Array.from({ length: s }, (_, k) => k * strides[d]!));
    flat = E.add(flat, iota);
  });
  flat = castTo(broadcastTo(flat, shape), "int32");
  return emit("gather", [reshape(arr, [arr.size]), flat], { shape, dtype: arr.dtype }, { axis: 0 });
}

/** Start arguments: static numbers stay numbers; anything else becomes an int32 scalar. */
function starts(op: string, s: unknown, ndim: number): (number | NDArray)[] {
  const list: unknown[] = s instanceof NDArray && s.ndim === 1 ? Array.from({ length: s.shape[0]! }, (_, k) => slice(s, k)) : Array.isArray(s) ? s : [s];
  if (list.length !== ndim) throw new ArgumentError(`${op}: expected ${ndim} start indices (one per axis), got ${list.length}`);
  return list.map((v, d) => {
    if (typeof v === "number") {
      if (!Number.isInteger(v)) throw new ArgumentError(`${op}: start ${d} must be an integer, got ${show(v)}`);
      return v;
    }
    if (v instanceof NDArray && v.ndim === 0) {
      const a = v._weak === "int" ? castTo(v, "int32") : v;
      if (a.dtype !== "int32") throw new DTypeError(`${op}: start ${d} must be an int32 scalar, got ${a.dtype}`);
      return a;
    }
    throw new ArgumentError(`${op}: start ${d} must be an integer or an int32 scalar array, got ${show(v)}`);
  });
}

/** The starts as one int32 vector: the static ones a constant, each traced one added in at its place by a one-hot product. */
function startVector(st: readonly (number | NDArray)[]): NDArray {
  const r = st.length;
  let v: NDArray = new NDArray([r], "int32", Int32Array.from(st, (s) => (typeof s === "number" ? s : 0)));
  st.forEach((s, d) => {
    if (typeof s === "number") return;
    v = E.add(v, E.mul(s, new NDArray([r], "int32", Int32Array.from({ length: r }, (_, k) => (k === d ? 1 : 0)))));
  });
  return v;
}

function windowSizes(op: string, shape: Shape, sizes: readonly unknown[]): number[] {
  if (!Array.isArray(sizes) || sizes.length !== shape.length) throw new ArgumentError(`${op}: expected ${shape.length} sizes (one per axis), got ${show(sizes)}`);
  return sizes.map((s, d) => {
    requireStatic(`${op}: a size`, s);
    if (typeof s !== "number" || !Number.isInteger(s) || s < 0) throw new ArgumentError(`${op}: size ${d} must be a non-negative integer, got ${show(s)}`);
    if (s > shape[d]!) throw new ShapeError(`${op}: a window of size ${s} does not fit axis ${d} of size ${shape[d]} (shape ${fmtShape(shape)})`);
    return s;
  });
}

/** lax.dynamic_slice: the window of `sizes` at `starts`, each wrapped once when negative and clamped so the window fits. */
export function dynamicSlice(x: ArrayLike, startIndices: ArrayLike | readonly (number | NDArray)[], sizes: readonly number[]): NDArray {
  const op = "np.dynamicSlice";
  const arr = asArray(op, x);
  const sz = windowSizes(op, arr.shape, sizes);
  const st = starts(op, startIndices, arr.ndim);
  if (st.every((s) => typeof s === "number")) {
    return staticSlice(arr, st.map((s, d) => windowStart(s as number, arr.shape[d]!, sz[d]!)), sz, sz.map(() => 1));
  }
  return emit("dynamicSlice", [arr, startVector(st)], { shape: sz, dtype: arr.dtype }, { sizes: sz });
}

/** lax.dynamic_update_slice: x with the window at `starts` (as dynamicSlice's, sized as update) replaced by update. */
export function dynamicUpdateSlice(x: ArrayLike, update: ArrayLike, startIndices: ArrayLike | readonly (number | NDArray)[]): NDArray {
  const op = "np.dynamicUpdateSlice";
  const arr = asArray(op, x);
  const upd = castTo(asArray(op, update, 1), arr.dtype);
  if (upd.ndim !== arr.ndim) throw new ShapeError(`${op}: the update must have the array's rank ${arr.ndim}, got shape ${fmtShape(upd.shape)}`);
  windowSizes(op, arr.shape, upd.shape);
  const st = starts(op, startIndices, arr.ndim);
  return emit("dynamicUpdateSlice", [arr, upd, startVector(st)], { shape: arr.shape, dtype: arr.dtype });
}

type SegmentOp = "sum" | "max" | "min";

function identity(op: SegmentOp, dt: DType): number {
  if (op === "sum") return 0;
  const float = dt === "float32" || dt === "float64";
  if (op === "max") return float ? -Infinity : dt === "int32" ? -2147483648 : 0;
  return float ? Infinity : dt === "int32" ? 2147483647 : 1;
}

/** jax.ops.segment_*: out[s] combines data[k] over k with segmentIds[k] = s, in order; ids outside [0, numSegments) are dropped; an empty segment holds the identity. */
function segment(op: SegmentOp, data: ArrayLike, segmentIds: ArrayLike, numSegments: number): NDArray {
  const name = `np.segment${op[0]!.toUpperCase()}${op.slice(1)}`;
  requireStatic(`${name}: numSegments`, numSegments);
  if (typeof numSegments !== "number" || !Number.isInteger(numSegments) || numSegments < 0) {
    throw new ArgumentError(`${name}: numSegments must be a non-negative integer, got ${show(numSegments)}`);
  }
  const d0 = asArray(name, data);
  const d = op === "sum" && d0.dtype === "bool" ? castTo(d0, "int32") : d0;
  const ids = indexArray(name, segmentIds);
  if (ids.dtype !== "int32") throw new DTypeError(`${name}: segment ids must be int32, got ${ids.dtype}`);
  if (d.ndim === 0 || ids.ndim !== 1 || ids.shape[0] !== d.shape[0]) {
    throw new ShapeError(`${name}: segment ids must be 1-D with one id per row of data, got shapes ${fmtShape(ids.shape)} and ${fmtShape(d.shape)}`);
  }
  const shape = [numSegments, ...d.shape.slice(1)];
  const init = fromData(identity(op, d.dtype), d.dtype, name);
  const base = broadcastTo(init, shape);
  const mode: ScatterMode = op === "sum" ? (d.dtype === "bool" ? "max" : "add") : op;
  return emit("scatter", [base, ids, d], { shape, dtype: d.dtype }, { axis: 0, mode });
}

export const segmentSum = (data: ArrayLike, segmentIds: ArrayLike, numSegments: number) => segment("sum", data, segmentIds, numSegments);
export const segmentMax = (data: ArrayLike, segmentIds: ArrayLike, numSegments: number) => segment("max", data, segmentIds, numSegments);
export const segmentMin = (data: ArrayLike, segmentIds: ArrayLike, numSegments: number) => segment("min", data, segmentIds, numSegments);

Object.defineProperty(NDArray.prototype, "slice", { value(this: NDArray, ...index: IndexEntry[]) { return slice(this, ...index); }, writable: true, configurable: true });
Object.defineProperty(NDArray.prototype, "at", { value(this: NDArray, ...index: IndexEntry[]) { return at(this, ...index); }, writable: true, configurable: true });
