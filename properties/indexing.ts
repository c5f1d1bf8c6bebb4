// Indexing steps of generated programs (vm/indexing.ts over the ops of ir/indexing.ts):
// static slices with random starts, stops and steps (negative ones, clamping, nulls,
// numbers dropping axes), gathers by index arrays with duplicates and negative
// indices (one array, two adjacent or separated ones), np.take and takeAlongAxis,
// scatters in every mode of SCATTER_MODES (duplicates included), segment reductions
// with dropped ids, and dynamic slices and updates whose starts are traced values of
// the program (a forLoop index inside bodies), clamped in every tier alike; sparse
// products (np.sparse.csr matvec / rmatvec) of random CSR matrices with empty rows,
// unsorted rows and duplicate entries, weights per entry (with signed zeros) or one
// weight, over x flattened: bool x runs the event-driven form, int32 and float x the
// plain one.
//
// Every choice depends on the step's parameter bits and on shapes only. Index values
// that come from the program's own data are first reduced into [-n, n) (np.mod), so
// an eager run never raises an IndexError where a traced run would clamp.

import type { ScatterMode } from "../ir/indexing.js";
import type { IndexKind } from "./indexsteps.js";
import type { DType } from "../ir/dtype.js";
import { sizeOf, type Shape } from "../ir/shape.js";
import type { IndexEntry } from "../vm/indexing.js";
import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";
import { fitTo, show } from "./fit.js";

/** A small deterministic generator over the step's bits. */
function chooser(seed: number): (k: number) => number {
  let s = (seed * 2654435761 + 12345) >>> 0;
  return (k: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return k <= 1 ? 0 : (s >>> 8) % k;
  };
}

/** A random valid static index of x (one entry per leading axis) and its source. */
function staticIndex(shape: Shape, r: (k: number) => number): [IndexEntry[], string] {
  const k = shape.length === 0 ? 0 : 1 + r(shape.length);
  const bound = (n: number) => (r(5) === 0 ? null : r(2 * n + 5) - n - 2);
  const entries: IndexEntry[] = [];
  for (let d = 0; d < k; d++) {
    const n = shape[d]!;
    const c = r(7);
    if (c === 0 && n > 0) entries.push(r(2 * n) - n);
    else if (c === 1) entries.push(null);
    else if (c === 2) entries.push([bound(n)]);
    else if (c === 3) entries.push([bound(n), bound(n)]);
    else if (c === 4) entries.push([null, null, -1]);
    else entries.push([bound(n), bound(n), [-3, -2, -1, 1, 2, 3][r(6)]!]);
  }
  return [entries, entries.map(show).join(", ")];
}

/** A constant int32 index array of values in [-n, n) (duplicates likely), of 1 or 2 dims. */
function constIndex(n: number, r: (k: number) => number, shape?: Shape): NDArray {
  const sh = shape ?? (r(3) === 0 ? [1 + r(3), 1 + r(2)] : [r(6)]);
  const vals = Array.from({ length: sizeOf(sh) }, () => r(2 * n) - n);
  return np.array(vals, { dtype: "int32", shape: sh });
}

/** An int32 scalar of the program's own data (a traced value under jit), or undefined. */
function dataScalar(pool: readonly NDArray[], from: number): NDArray | undefined {
  for (let j = 0; j < pool.length; j++) {
    const c = pool[(from + j) % pool.length]!;
    if (c.size >= 1 && (c.dtype === "int32" || c.dtype === "bool")) return np.astype(c.ndim === 0 ? c : np.reshape(c, [c.size]).slice(0), "int32");
  }
  return undefined;
}

/** A data-dependent index in [-n, n). */
function inRange(v: NDArray, n: number): NDArray {
  return np.sub(np.mod(v, 2 * n), n);
}

export function indexStep(kind: IndexKind, op: string, x: NDArray, p: number, pool: readonly NDArray[], b: number, nx: string): [NDArray, string] | null {
  const r = chooser(p * 31 + b);
  switch (kind) {
    case "slice": {
      const [e, src] = staticIndex(x.shape, r);
      const y = x.slice(...e);
      if (r(2) === 0) return [y, `${nx}.slice(${src})`];
      // A slice of the slice (the views pass composes the two: ir/passes/views.ts).
      const [e2, src2] = staticIndex(y.shape, r);
      return [y.slice(...e2), `${nx}.slice(${src}).slice(${src2})`];
    }
    case "gather": {
      const ok = x.shape.flatMap((d, i) => (d > 0 ? [i] : []));
      if (ok.length === 0) return null;
      const a = ok[r(ok.length)]!;
      const form = r(4);
      const entries: IndexEntry[] = Array.from({ length: a }, () => null);
      let src = entries.map(() => "null");
      const dyn = form === 3 ? dataScalar(pool, b) : undefined;
      const first = dyn ? inRange(dyn, x.shape[a]!) : constIndex(x.shape[a]!, r);
      entries.push(first);
      src.push(dyn ? `mod(data) (${first.ndim}-d)` : show(first.toArray()));
      // A second array on a later axis: adjacent (its dims stay in place) or after a slice (they go first).
      const later = ok.filter((i) => i > a);
      if (form >= 1 && form <= 2 && later.length) {
        const a2 = form === 1 && later.includes(a + 1) ? a + 1 : later[r(later.length)]!;
        while (entries.length < a2) (entries.push([null, null, r(2) ? -1 : 1]), src.push("range"));
        const second = constIndex(x.shape[a2]!, r, r(2) ? first.shape : [1]);
        entries.push(second);
        src.push(show(second.toArray()));
      }
      return [x.slice(...entries), `${nx}.slice(${src.join(", ")})`];
    }
    case "take": {
      if (r(2) === 0 || x.ndim === 0) {
        if (x.size === 0) return null;
        const i = constIndex(x.size, r);
        return [np.take(x, i), `np.take(${nx}, ${show(i.toArray())})`];
      }
      const a = r(x.ndim);
      if (x.shape[a] === 0) return null;
      const i = constIndex(x.shape[a]!, r);
      return [np.take(x, i, a - (r(2) ? x.ndim : 0)), `np.take(${nx}, ${show(i.toArray())}, axis ${a})`];
    }
    case "takeAlongAxis": {
      if (x.ndim === 0) return null;
      const a = r(x.ndim);
      if (x.shape[a] === 0) return null;
      if (r(2)) return [np.takeAlongAxis(x, np.argsort(x, a), a), `np.takeAlongAxis(${nx}, np.argsort(${nx}, ${a}), ${a})`];
      const sh = x.shape.map((d, i) => (i === a ? 1 + r(4) : r(2) ? 1 : d));
      const i = constIndex(x.shape[a]!, r, sh);
      return [np.takeAlongAxis(x, i, a), `np.takeAlongAxis(${nx}, <int32${show(sh)}>, ${a})`];
    }
    case "scatter": {
      const mode = op as ScatterMode;
      let entries: IndexEntry[];
      let src: string;
      if (r(2) === 0 || x.ndim === 0) [entries, src] = staticIndex(x.shape, r);
      else {
        const a = r(x.ndim);
        if (x.shape[a] === 0) return null;
        const dyn = r(3) === 0 ? dataScalar(pool, b) : undefined;
        const idx = dyn ? inRange(dyn, x.shape[a]!) : constIndex(x.shape[a]!, r);
        entries = [...Array.from({ length: a }, () => null), idx];
        src = `${"null, ".repeat(a)}${dyn ? "mod(data)" : show(idx.toArray())}`;
      }
      const shape = x.slice(...entries).shape;
      // Distinct update values half the time, so the order of repeated indices shows.
      const v = r(2) ? fitTo(pool[b % pool.length]!, shape, x.dtype) : distinct(shape, x.dtype, r(7) - 3);
      return [x.at(...entries)[mode](v), `${nx}.at(${src}).${mode}(${typeLabel(v)})`];
    }
    case "segment": {
      const data = x.ndim === 0 ? np.reshape(x, [1]) : x;
      const N = data.shape[0]!;
      const k = r(5);
      const ids = np.array(Array.from({ length: N }, () => r(k + 3) - 1), "int32");
      const fn = np[op as "segmentSum" | "segmentMax" | "segmentMin"];
      return [fn(data, ids, k), `np.${op}(${nx}, ${show(ids.toArray())}, ${k})`];
    }
    case "sparse": {
      // x flattened is the vector: of length cols for matvec, rows for rmatvec.
      // Half the time events: bool x as given, or x > 0 for a numeric x.
      const flat = np.reshape(x, [x.size]);
      const events = x.dtype !== "bool" && r(2) === 0;
      const v = events ? np.greater(flat, 0) : flat;
      const vx = events ? `(${nx} > 0)` : nx;
      const transposed = op === "rmatvec";
      const other = r(7);
      const [rows, cols] = transposed ? [x.size, other] : [other, x.size];
      const indptr = [0];
      const indices: number[] = [];
      for (let i = 0; i < rows; i++) {
        if (cols > 0 && r(4) !== 0) for (let k = r(6); k > 0; k--) indices.push(r(cols));
        indptr.push(indices.length);
      }
      const weights = [0.5, -1.25, 3, -0, 0, 1e-3, -7];
      const dtype = r(3) === 0 ? "float64" : "float32";
      const data = r(4) === 0 ? weights[r(weights.length)]! : indices.map(() => weights[r(weights.length)]!);
      const A = np.sparse.csr({ indptr, indices, data, shape: [rows, cols], dtype });
      const src = `np.sparse.csr({ indptr: ${show(indptr)}, indices: ${show(indices)}, data: ${show(data)}, shape: [${rows}, ${cols}], dtype: "${dtype}" })`;
      return transposed ? [A.rmatvec(v), `${src}.rmatvec(${vx})`] : [A.matvec(v), `${src}.matvec(${vx})`];
    }
    case "dynamicSlice":
    case "dynamicUpdateSlice": {
      const sizes = x.shape.map((n) => r(n + 1));
      const dyn = dataScalar(pool, b);
      const starts = x.shape.map((n) => (dyn && r(2) ? dyn : r(2 * n + 4) - n - 2));
      const ss = starts.map((s) => (typeof s === "number" ? String(s) : "data")).join(", ");
      if (kind === "dynamicSlice") return [np.dynamicSlice(x, starts, sizes), `np.dynamicSlice(${nx}, [${ss}], ${show(sizes)})`];
      const u = fitTo(pool[(b + 1) % pool.length]!, sizes, x.dtype);
      return [np.dynamicUpdateSlice(x, u, starts), `np.dynamicUpdateSlice(${nx}, <${show(sizes)}>, [${ss}])`];
    }
  }
}

/** start, start + 1, ... in `shape` (mod 2 for bool). */
function distinct(shape: Shape, dtype: DType, start: number): NDArray {
  const n = sizeOf(shape);
  const vals = Array.from({ length: n }, (_, k) => (dtype === "bool" ? (start + k) & 1 : dtype === "int32" ? start + k : (start + k) * 0.3));
  return np.astype(np.array(vals, { dtype: "float64", shape }), dtype);
}

function typeLabel(v: NDArray): string {
  return `<${v.dtype}${show([...v.shape])}>`;
}
