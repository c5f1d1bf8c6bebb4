// np.sparse.csr: a constant sparse matrix in compressed-row form (scipy's csr_matrix
// arguments), with A.matvec(x) = A·x and A.rmatvec(x) = Aᵀ·x for float x and for bool
// x (spikes). Semantics, summation order and why both directions agree: ir/sparse.ts.
//
// The arrays are checked once here (named errors), each row sorted by column, and the
// transposed layout built on first need and kept; each layout is a pair of concrete
// NDArrays owned by the matrix, so a jitted function sees them as program constants
// (deduplicated by identity) and eager calls run the reference kernel on them.
// Which layout an op uses: float x reads each output's own row (A for matvec, Aᵀ for
// rmatvec); bool x runs events (the true x's rows: Aᵀ for matvec, A for rmatvec).

import { dtypeOfTypedArray, isFloat, promoteTypes, toFloat, type DType, type TypedArray } from "../ir/dtype.js";
import { ArgumentError, DTypeError, IndexError, ShapeError, fmtShape, show } from "../ir/errors.js";
import { canonicalRows, packLayout, transposeCsr, type Csr } from "../ir/sparse.js";
import { checkSize } from "../ir/shape.js";
import { NDArray, type ArrayLike } from "./ndarray.js";
import { asArray, castTo, emit } from "./ops.js";

export interface CsrOptions {
  /** Row pointers: row i's entries are indptr[i] .. indptr[i+1]-1 (length rows + 1, from 0, non-decreasing, ending at nnz). */
  readonly indptr: ArrayLike;
  /** The column of each entry, in [0, cols); duplicates add. */
  readonly indices: ArrayLike;
  /** Each entry's weight (a Float32Array, Float64Array, float NDArray or number list), or one number for every entry. */
  readonly data: ArrayLike;
  readonly shape: readonly [number, number] | readonly number[];
  /** The dtype of number data (default float32; a typed array's own dtype otherwise). */
  readonly dtype?: "float32" | "float64";
}

/** One compressed-row layout as program constants: [ptr ++ cols] and the weights (0-d when homogeneous). */
interface Layout {
  readonly layout: NDArray;
  readonly data: NDArray;
  readonly rows: number;
  readonly cols: number;
}

const WHERE = "np.sparse.csr";

function intArray(name: string, a: unknown): Int32Array {
  let src: { readonly length: number; readonly [i: number]: unknown };
  if (a instanceof NDArray) {
    if (a.dtype !== "int32") throw new DTypeError(`${WHERE}: ${name} must be int32, got a ${a.dtype} array`);
    if (a.ndim !== 1) throw new ShapeError(`${WHERE}: ${name} must be 1-D, got shape ${fmtShape(a.shape)}`);
    src = a._concrete(`${WHERE} ${name}`);
  } else if (ArrayBuffer.isView(a)) {
    const dt = dtypeOfTypedArray(a);
    if (!(a instanceof Int32Array || a instanceof Uint32Array || a instanceof Uint16Array || a instanceof Int16Array || a instanceof Uint8Array || a instanceof Int8Array)) {
      throw new DTypeError(`${WHERE}: ${name} must hold integers (an Int32Array or a list of integers), got a ${a.constructor.name}${dt ? ` (${dt})` : ""}`);
    }
    src = a as unknown as Int32Array;
  } else if (Array.isArray(a)) src = a as number[];
  else throw new ArgumentError(`${WHERE}: ${name} must be an Int32Array or a list of integers, got ${show(a)}`);
  // Always a copy: the caller may change their array later, and the matrix is a constant.
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new DTypeError(`${WHERE}: ${name}[${i}] must be an int32 integer, got ${show(v)}`);
    }
    out[i] = v;
  }
  return out;
}

function weights(a: unknown, nnz: number, dtype: DType | undefined): TypedArray | number {
  if (typeof a === "number") return a;
  let arr: TypedArray;
  if (a instanceof NDArray) {
    if (!isFloat(a.dtype)) throw new DTypeError(`${WHERE}: data must be float32 or float64, got a ${a.dtype} array`);
    if (a.ndim !== 1) throw new ShapeError(`${WHERE}: data must be 1-D (one weight per entry) or one number, got shape ${fmtShape(a.shape)}`);
    arr = a._concrete(`${WHERE} data`);
  } else if (a instanceof Float32Array || a instanceof Float64Array) arr = a.slice(); // a constant: the caller's array may change
  else if (ArrayBuffer.isView(a)) throw new DTypeError(`${WHERE}: data must be a Float32Array, a Float64Array, a list of numbers or one number, got a ${a.constructor.name}`);
  else if (Array.isArray(a)) {
    if (!a.every((v) => typeof v === "number")) throw new DTypeError(`${WHERE}: data must be a list of numbers, got ${show(a.find((v) => typeof v !== "number"))} in it`);
    arr = (dtype === "float64" ? Float64Array : Float32Array).from(a as number[]);
  } else throw new ArgumentError(`${WHERE}: data must be a Float32Array, a Float64Array, a list of numbers or one number, got ${show(a)}`);
  if (arr.length !== nnz) throw new ShapeError(`${WHERE}: data has ${arr.length} weights for ${nnz} entries (indices.length)`);
  const own = dtypeOfTypedArray(arr)!;
  if (dtype !== undefined && dtype !== own) return dtype === "float64" ? Float64Array.from(arr) : Float32Array.from(arr);
  return arr;
}

export class CsrMatrix {
  readonly shape: readonly [number, number];
  readonly dtype: DType;
  /** The number of stored entries (duplicates counted). */
  readonly nnz: number;
  private readonly csr: Csr;
  private readonly layouts = new Map<string, Layout>();

  /** @internal Use np.sparse.csr. */
  constructor(csr: Csr, dtype: DType) {
    this.csr = csr;
    this.dtype = dtype;
    this.shape = Object.freeze([csr.rows, csr.cols]) as readonly [number, number];
    this.nnz = csr.indices.length;
  }

  /** A·x: out[i] sums A[i, j] * x[j] over row i's entries (bool x: A[i, j] where x[j]); see ir/sparse.ts for the order. */
  matvec(x: ArrayLike): NDArray {
    return this.product("matvec", false, x);
  }

  /** Aᵀ·x: out[j] sums A[i, j] * x[i] over column j's entries (bool x: A[i, j] where x[i]). */
  rmatvec(x: ArrayLike): NDArray {
    return this.product("rmatvec", true, x);
  }

  /** The dense matrix (duplicates summed in the products' order). */
  toDense(): NDArray {
    const [m, n] = this.shape;
    const out = this.dtype === "float64" ? new Float64Array(m * n) : new Float32Array(m * n);
    const { indptr, indices, data } = this.csr;
    for (let i = 0; i < m; i++) {
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
        const at = i * n + indices[k]!;
        const w = typeof data === "number" ? data : data[k]!;
        out[at] = out[at]! + w; // +0 start: as the products sum
      }
    }
    return new NDArray([m, n], this.dtype, out);
  }

  private product(name: "matvec" | "rmatvec", transposed: boolean, x: ArrayLike): NDArray {
    const op = `A.${name}`;
    const v = asArray(op, x);
    const [m, n] = this.shape;
    const len = transposed ? m : n;
    if (v.ndim !== 1 || v.shape[0] !== len) {
      throw new ShapeError(`${op}: x must be 1-D of length ${len} for a ${m}x${n} matrix, got shape ${fmtShape(v.shape)}`);
    }
    const events = v.dtype === "bool";
    const dt = events ? this.dtype : toFloat(promoteTypes(this.dtype, v.dtype));
    // Events run the rows of the true x's: the layout of the other direction, transposed.
    const L = this.layout(events ? !transposed : transposed, dt);
    return emit("spmv", [L.layout, L.data, events ? v : castTo(v, dt)], { shape: [events ? L.cols : L.rows], dtype: dt }, { rows: L.rows, cols: L.cols, transpose: events });
  }

  /** A (false) or Aᵀ (true) as a layout of dtype dt, built once. */
  private layout(transposed: boolean, dt: DType): Layout {
    const key = `${transposed}|${dt}`;
    let L = this.layouts.get(key);
    if (L) return L;
    const c = transposed ? transposeCsr(this.csr) : this.csr;
    const packed = packLayout(c.indptr, c.indices);
    checkSize(WHERE, [packed.length], "int32");
    const same = this.layouts.get(`${transposed}|${this.dtype}`);
    const layout = same?.layout ?? new NDArray([packed.length], "int32", packed);
    const d = c.data;
    const data =
      typeof d === "number"
        ? new NDArray([], dt, dt === "float64" ? Float64Array.of(d) : Float32Array.of(d))
        : new NDArray([d.length], dt, dt === dtypeOfTypedArray(d) ? d : dt === "float64" ? Float64Array.from(d) : Float32Array.from(d));
    L = { layout, data, rows: c.rows, cols: c.cols };
    this.layouts.set(key, L);
    return L;
  }
}

/** np.sparse.csr({ indptr, indices, data, shape }): checks the arrays (named errors) and builds the matrix. */
export function csr(options: CsrOptions): CsrMatrix {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ArgumentError(`${WHERE}: expects { indptr, indices, data, shape }, got ${show(options)}`);
  }
  const { indptr: ip, indices: ix, data: d, shape, dtype } = options;
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => typeof s === "number" && Number.isInteger(s) && s >= 0 && s <= 0x7fffffff)) {
    throw new ShapeError(`${WHERE}: shape must be [rows, cols] of non-negative integers, got ${show(shape)}`);
  }
  if (dtype !== undefined && dtype !== "float32" && dtype !== "float64") throw new DTypeError(`${WHERE}: dtype must be "float32" or "float64", got ${show(dtype)}`);
  const [rows, cols] = shape as [number, number];
  const indptr = intArray("indptr", ip);
  const indices = intArray("indices", ix);
  const nnz = indices.length;
  if (indptr.length !== rows + 1) throw new ShapeError(`${WHERE}: indptr must have rows + 1 = ${rows + 1} entries for shape ${fmtShape(shape)}, got ${indptr.length}`);
  if (indptr[0] !== 0) throw new ArgumentError(`${WHERE}: indptr[0] must be 0, got ${indptr[0]}`);
  for (let i = 0; i < rows; i++) {
    if (indptr[i + 1]! < indptr[i]!) throw new ArgumentError(`${WHERE}: indptr must be non-decreasing, but indptr[${i + 1}] = ${indptr[i + 1]} < indptr[${i}] = ${indptr[i]}`);
  }
  if (indptr[rows] !== nnz) throw new ArgumentError(`${WHERE}: indptr[${rows}] (the last) must equal the number of entries, indices.length = ${nnz}, got ${indptr[rows]}`);
  for (let i = 0; i < rows; i++) {
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      if (indices[k]! < 0 || indices[k]! >= cols) throw new IndexError(`${WHERE}: indices[${k}] = ${indices[k]} (row ${i}) is out of bounds for ${cols} columns (shape ${fmtShape(shape)})`);
    }
  }
  const w = weights(d, nnz, dtype);
  const dt: DType = typeof w === "number" ? (dtype ?? "float32") : dtypeOfTypedArray(w)!;
  const weight = typeof w === "number" ? (dt === "float32" ? Math.fround(w) : w) : w;
  return new CsrMatrix(canonicalRows({ rows, cols, indptr, indices, data: weight }), dt);
}

export const sparse = { csr } as const;
