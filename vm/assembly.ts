// numpy's array-assembly functions, composed from two IR primitives
// (ir/kernels/assembly.ts): `remap`, a static separable index map (each output axis
// contributes an input offset per position), and `concat`. Slices of split, repeat,
// tile, roll and edge/reflect padding are one remap each; constant padding and stack
// are concatenations; ravel, moveaxis and swapaxes are reshapes and transposes. Every
// argument here is static (shapes, widths, shifts, repeats), so every tier runs the
// same copy and the results agree bit for bit.

import { castScalar, resultType, type DType } from "../ir/dtype.js";
import { ArgumentError, ShapeError, fmtShape, requireStatic, show } from "../ir/errors.js";
import { checkSize, normalizeAxes, normalizeAxis, stridesOf } from "../ir/shape.js";
import { full } from "./construct.js";
import { NDArray, type ArrayLike } from "./ndarray.js";
import { asArray, castTo, emit, reshape, transpose } from "./ops.js";

type Offsets = number[][];

function range(n: number): number[];
function range<T>(n: number, f: (j: number) => T): T[];
function range(n: number, f: (j: number) => unknown = (j) => j): unknown[] {
  return Array.from({ length: n }, (_, j) => f(j));
}

/** The remap reading input index idx[d][j] along axis d at output position j (null: the whole axis). */
function remapIndices(x: NDArray, idx: readonly (readonly number[] | null)[]): NDArray {
  const st = stridesOf(x.shape);
  const lists = idx.map((l, d) => l ?? range(x.shape[d]!));
  if (lists.every((l, d) => l.length === x.shape[d] && l.every((v, j) => v === j))) return x;
  const offsets: Offsets = lists.map((l, d) => l.map((v) => v * st[d]!));
  return emit("remap", [x], { shape: lists.map((l) => l.length), dtype: x.dtype }, { offsets });
}

/** x along `axis` reading input positions `idx`. */
function alongAxis(x: NDArray, axis: number, idx: readonly number[]): NDArray {
  return remapIndices(x, x.shape.map((_, d) => (d === axis ? idx : null)));
}

function staticInt(op: string, what: string, v: unknown, min = 0): number {
  requireStatic(`${op}: ${what}`, v);
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(`${op}: ${what} must be an integer${min === 0 ? " >= 0" : min === 1 ? " >= 1" : ""}, got ${show(v)}`);
  }
  return v;
}

function staticInts(op: string, what: string, v: unknown, min?: number): number[] {
  if (v instanceof NDArray) {
    requireStatic(`${op}: ${what}`, v);
    if (v._trace !== null) throw new ArgumentError(`${op}: ${what} must be static (a JS number or array), not a traced array`);
    return Array.from(v._concrete(op), (x) => staticInt(op, what, x, min));
  }
  if (typeof v === "number") return [staticInt(op, what, v, min)];
  if (!Array.isArray(v)) throw new ArgumentError(`${op}: ${what} must be an integer or an array of integers, got ${show(v)}`);
  return v.map((x) => staticInt(op, what, x, min));
}

function arrayList(op: string, arrays: unknown): NDArray[] {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new ArgumentError(`${op}: expected a non-empty array of arrays, got ${show(arrays)}`);
  return arrays.map((a, i) => asArray(op, a, i));
}

function cast(xs: NDArray[]): NDArray[] {
  const dt: DType = resultType(xs.map((x) => x.dtype), []);
  return xs.map((x) => castTo(x, dt));
}

/** numpy's concatenate: the arrays joined along `axis` (null: each flattened first). */
export function concatenate(arrays: readonly ArrayLike[], axis: number | null = 0): NDArray {
  let xs = arrayList("concatenate", arrays);
  if (axis === null) {
    xs = xs.map(ravel);
    axis = 0;
  }
  const r = xs[0]!.ndim;
  if (xs.some((x) => x.ndim === 0)) throw new ShapeError(`concatenate: zero-dimensional arrays cannot be concatenated (shapes ${xs.map((x) => fmtShape(x.shape)).join(", ")})`);
  const bad = xs.findIndex((x) => x.ndim !== r);
  if (bad >= 0) throw new ShapeError(`concatenate: every array must have the same number of dimensions; array 0 has shape ${fmtShape(xs[0]!.shape)}, array ${bad} has ${fmtShape(xs[bad]!.shape)}`);
  const a = normalizeAxis("concatenate", axis, r);
  xs.forEach((x, i) => {
    if (x.shape.some((d, k) => k !== a && d !== xs[0]!.shape[k])) {
      throw new ShapeError(`concatenate: along axis ${a}, the other dimensions must match; array 0 has shape ${fmtShape(xs[0]!.shape)}, array ${i} has ${fmtShape(x.shape)}`);
    }
  });
  xs = cast(xs);
  const shape = [...xs[0]!.shape];
  shape[a] = xs.reduce((s, x) => s + x.shape[a]!, 0);
  const parts = xs.filter((x) => x.shape[a]! > 0);
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 0) return xs[0]!;
  return emit("concat", parts, { shape, dtype: xs[0]!.dtype }, { axis: a });
}

/** numpy's stack: arrays of one shape joined along a new axis. */
export function stack(arrays: readonly ArrayLike[], axis = 0): NDArray {
  const xs = arrayList("stack", arrays);
  const s = xs[0]!.shape;
  xs.forEach((x, i) => {
    if (x.ndim !== s.length || x.shape.some((d, k) => d !== s[k])) {
      throw new ShapeError(`stack: every array must have the same shape; array 0 has shape ${fmtShape(s)}, array ${i} has ${fmtShape(x.shape)}`);
    }
  });
  const a = normalizeAxis("stack", axis, s.length + 1);
  const shape = [...s];
  shape.splice(a, 0, 1);
  return concatenate(xs.map((x) => reshape(x, shape)), a);
}

/** Python's slice bounds x[lo:hi] on an axis of size n (negatives from the end, clamped). */
function clampIndex(i: number, n: number): number {
  return i < 0 ? Math.max(0, i + n) : Math.min(i, n);
}

/** numpy's split: `sections` equal pieces (it must divide the axis) or pieces between the given indices. */
export function split(x: ArrayLike, sectionsOrIndices: number | readonly number[], axis = 0): NDArray[] {
  const arr = asArray("split", x);
  if (arr.ndim === 0) throw new ShapeError("split: cannot split a zero-dimensional array");
  const a = normalizeAxis("split", axis, arr.ndim);
  const n = arr.shape[a]!;
  let bounds: number[];
  if (typeof sectionsOrIndices === "number" || sectionsOrIndices instanceof NDArray && sectionsOrIndices.ndim === 0) {
    const k = staticInt("split", "the number of sections", typeof sectionsOrIndices === "number" ? sectionsOrIndices : staticInts("split", "sections", sectionsOrIndices)[0], 1);
    if (n % k !== 0) throw new ShapeError(`split: array split does not result in an equal division: axis ${a} of shape ${fmtShape(arr.shape)} has size ${n}, not divisible into ${k} sections`);
    bounds = range(k + 1, (i) => (i * n) / k);
  } else {
    const idx = staticInts("split", "a split index", sectionsOrIndices, -Infinity);
    bounds = [0, ...idx.map((i) => clampIndex(i, n)), n];
  }
  return range(bounds.length - 1, (i) => i).map((i) => {
    const lo = bounds[i]!;
    const hi = Math.max(lo, bounds[i + 1]!);
    return alongAxis(arr, a, range(hi - lo, (j) => lo + j));
  });
}

export type PadMode = "constant" | "edge" | "reflect";
export interface PadOptions {
  mode?: PadMode;
  constantValues?: number | readonly number[] | readonly (readonly number[])[];
}

/** numpy's per-axis (before, after) pairs from a width or value spec: n, [n], [b, a], [[b, a]] or one pair per axis. */
function perAxisPairs(op: string, what: string, spec: unknown, rank: number, check: (v: unknown) => number): [number, number][] {
  const bad = () => new ArgumentError(`${op}: ${what} must be a number, [before, after] or one [before, after] per axis (${rank} axes), got ${show(spec)}`);
  if (typeof spec === "number" || spec instanceof NDArray) {
    const v = check(spec instanceof NDArray ? staticScalar(op, what, spec) : spec);
    return range(rank, () => 0).map(() => [v, v]);
  }
  if (!Array.isArray(spec)) throw bad();
  if (rank === 0) return []; // numpy: a 0-d array has nothing to pad
  if (spec.every((s) => !Array.isArray(s))) {
    if (spec.length === 1) return perAxisPairs(op, what, spec[0], rank, check);
    if (spec.length !== 2) throw bad();
    const [b, a] = spec.map(check) as [number, number];
    return range(rank, () => 0).map(() => [b, a]);
  }
  const pairs = spec.map((p) => {
    if (!Array.isArray(p) || p.length < 1 || p.length > 2) throw bad();
    const v = p.map(check);
    return [v[0]!, v[v.length - 1]!] as [number, number];
  });
  if (pairs.length === 1) return range(rank, () => pairs[0]!);
  if (pairs.length !== rank) throw bad();
  return pairs;
}

function staticScalar(op: string, what: string, v: NDArray): number {
  requireStatic(`${op}: ${what}`, v);
  if (v._trace !== null || v.size !== 1) throw new ArgumentError(`${op}: ${what} must be a static number`);
  return v._concrete(op)[0]!;
}

/** numpy's pad with mode "constant" (default, value 0), "edge" or "reflect". */
export function pad(x: ArrayLike, widths: number | readonly number[] | readonly (readonly number[])[], options: PadOptions = {}): NDArray {
  const arr = asArray("pad", x);
  if (options === null || typeof options !== "object") throw new ArgumentError(`pad: options must be an object { mode, constantValues }, got ${show(options)}`);
  const mode = options.mode ?? "constant";
  if (mode !== "constant" && mode !== "edge" && mode !== "reflect") throw new ArgumentError(`pad: mode must be "constant", "edge" or "reflect", got ${show(mode)}`);
  const w = perAxisPairs("pad", "widths", widths, arr.ndim, (v) => staticInt("pad", "a width", v));
  if (mode === "constant") {
    const values = perAxisPairs("pad", "constantValues", options.constantValues ?? 0, arr.ndim, (v) => {
      requireStatic("pad: a constant value", v);
      if (typeof v !== "number") throw new ArgumentError(`pad: constant values must be numbers, got ${show(v)}`);
      return v;
    });
    // Axis by axis, each pad spanning the axes already padded: later axes own the corners, as in numpy.
    let cur = arr;
    w.forEach(([b, a], d) => {
      if (b === 0 && a === 0) return;
      const block = (k: number, v: number) => {
        const s = [...cur.shape];
        s[d] = k;
        return full(s, castScalar(v, cur.dtype), cur.dtype, "pad");
      };
      cur = concatenate([block(b, values[d]![0]), cur, block(a, values[d]![1])], d);
    });
    return cur;
  }
  checkSize("pad", arr.shape.map((n, d) => n + w[d]![0] + w[d]![1]), arr.dtype);
  const idx = w.map(([b, a], d) => {
    const n = arr.shape[d]!;
    if (n === 0 && b + a > 0) throw new ShapeError(`pad: mode "${mode}" cannot extend axis ${d} of shape ${fmtShape(arr.shape)}, which is empty`);
    return range(n + b + a, (j) => (mode === "edge" ? Math.min(n - 1, Math.max(0, j - b)) : reflectIndex(j - b, n)));
  });
  return remapIndices(arr, idx);
}

/** numpy's "reflect" (no edge repeat), periodic with period 2(n - 1) for any width. */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const p = 2 * (n - 1);
  const m = ((i % p) + p) % p;
  return m < n ? m : p - m;
}

/** numpy's tile: x repeated `reps` times along each axis (reps and x.ndim padded with leading 1s). */
export function tile(x: ArrayLike, reps: number | readonly number[]): NDArray {
  const arr = asArray("tile", x);
  const r = staticInts("tile", "reps", reps);
  const d = Math.max(arr.ndim, r.length);
  const shape = [...range(d - arr.ndim, () => 1), ...arr.shape];
  const reps1 = [...range(d - r.length, () => 1), ...r];
  checkSize("tile", shape.map((n, k) => n * reps1[k]!), arr.dtype);
  const src = shape.length === arr.ndim ? arr : reshape(arr, shape);
  return remapIndices(src, shape.map((n, k) => range(n * reps1[k]!, (j) => j % n)));
}

/** numpy's repeat: each element repeated `repeats` times (a number, or one count per element) along `axis` (none: flattened). */
export function repeat(x: ArrayLike, repeats: number | readonly number[], axis?: number | null): NDArray {
  let arr = asArray("repeat", x);
  if (axis === undefined || axis === null) {
    arr = ravel(arr);
    axis = 0;
  }
  const a = normalizeAxis("repeat", axis, arr.ndim);
  const n = arr.shape[a]!;
  let counts = staticInts("repeat", "repeats", repeats);
  const outN = counts.length === 1 ? counts[0]! * n : counts.reduce((t, c) => t + c, 0);
  checkSize("repeat", arr.shape.map((m, d) => (d === a ? outN : m)), arr.dtype);
  if (counts.length === 1) counts = range(n, () => counts[0]!);
  if (counts.length !== n) throw new ShapeError(`repeat: ${counts.length} repeat counts for axis ${a} of shape ${fmtShape(arr.shape)} (size ${n})`);
  return alongAxis(arr, a, counts.flatMap((c, i) => range(c, () => i)));
}

/** numpy's roll: elements shifted by `shift` along `axis` (tuples broadcast together; none: the flattened array). */
export function roll(x: ArrayLike, shift: number | readonly number[], axis?: number | readonly number[] | null): NDArray {
  const arr = asArray("roll", x);
  if (axis === undefined || axis === null) {
    const s = staticInts("roll", "shift", shift, -Infinity);
    if (s.length !== 1) throw new ArgumentError(`roll: without an axis the shift must be one number, got ${show(shift)}`);
    return reshape(roll(ravel(arr), s[0]!, 0), arr.shape);
  }
  let s = staticInts("roll", "shift", shift, -Infinity);
  let ax = staticInts("roll", "axis", axis, -Infinity).map((v) => normalizeAxis("roll", v, arr.ndim));
  if (s.length === 1) s = range(ax.length, () => s[0]!);
  if (ax.length === 1) ax = range(s.length, () => ax[0]!);
  if (s.length !== ax.length) throw new ShapeError(`roll: shift ${show(shift)} and axis ${show(axis)} do not broadcast together`);
  const total = arr.shape.map(() => 0);
  ax.forEach((a, i) => (total[a]! += s[i]!));
  return remapIndices(arr, arr.shape.map((n, d) => (total[d] === 0 || n === 0 ? null : range(n, (j) => (((j - total[d]!) % n) + n) % n))));
}

/** numpy's ravel: the flattened array (a reshape). */
export function ravel(x: ArrayLike): NDArray {
  const arr = asArray("ravel", x);
  return reshape(arr, [arr.size]);
}

/** numpy's moveaxis: axes `source` moved to positions `destination`, the others keeping their order. */
export function moveaxis(x: ArrayLike, source: number | readonly number[], destination: number | readonly number[]): NDArray {
  const arr = asArray("moveaxis", x);
  const r = arr.ndim;
  const src = normalizeAxesKeepOrder("moveaxis", source, r);
  const dst = normalizeAxesKeepOrder("moveaxis", destination, r);
  if (src.length !== dst.length) throw new ArgumentError(`moveaxis: source ${show(source)} and destination ${show(destination)} must have the same number of elements`);
  const order = range(r).filter((d) => !src.includes(d));
  [...dst.map((d, i) => [d, src[i]!] as const)].sort((p, q) => p[0] - q[0]).forEach(([d, s]) => order.splice(d, 0, s));
  return transpose(arr, order);
}

function normalizeAxesKeepOrder(op: string, axis: number | readonly number[], rank: number): number[] {
  const list = typeof axis === "number" ? [axis] : staticInts(op, "an axis", axis, -Infinity);
  normalizeAxes(op, list, rank); // range and repeats
  return list.map((a) => normalizeAxis(op, a, rank));
}

/** numpy's swapaxes: axes a1 and a2 exchanged. */
export function swapaxes(x: ArrayLike, axis1: number, axis2: number): NDArray {
  const arr = asArray("swapaxes", x);
  const a = normalizeAxis("swapaxes", axis1, arr.ndim);
  const b = normalizeAxis("swapaxes", axis2, arr.ndim);
  const perm = range(arr.ndim);
  perm[a] = b;
  perm[b] = a;
  return transpose(arr, perm);
}
