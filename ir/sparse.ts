// Sparse matrix-vector products (the `spmv` op), defined once here and in
// ir/kernels/sparse.ts; np.sparse.csr (vm/sparse.ts) builds its operands.
//
// spmv [layout, data, x] {rows, cols, transpose}: B is a rows x cols matrix in
// compressed-row form: `layout` is one int32 array, the row pointers ptr[0..rows]
// followed by the column of every stored entry (ptr[i]..ptr[i+1]-1 are row i's
// entries, at positions k), so that the instruction has three operands (tier 0's
// width). `data` holds each entry's weight, or is a 0-d array: one weight w for
// every entry (homogeneous connectivity). x is float (the dtype of data) or bool.
// - transpose false: out[i] = sum over k in row i, increasing k, of term(k, x[col(k)]);
// - transpose true:  out[c] = sum over rows r increasing, k in row r increasing with
//   col(k) = c, of term(k, x[r]).
// term(k, v) is w_k * v for float x; for bool x it is w_k where v is true and no term
// where it is false (an event: a spike adds its weight, a silent neuron nothing).
// Every sum starts at +0 and adds its terms one by one in that order, rounding each
// addition to the dtype (float32: every product and every sum rounded once). An
// empty sum is +0, and no sum is ever -0: +0 + -0 is +0, and x + y is -0 only when
// both are -0. So a zero term (w * 0) never changes a sum, which is why a tier may
// skip float x entries equal to 0 when every weight is finite (Inf * 0 is NaN).
//
// Both directions have the same order by construction, in terms of the user's
// matrix A: entries of an output are added in increasing index of the other axis,
// entries at the same (row, column) (duplicates) in the order they were given. The
// front end first sorts each row of A by column, stably (`canonicalRows`), and builds
// A's transpose stably (`transposeCsr`: entries by column, then by row, then by
// position), so that A·x is spmv(A) or spmv(Aᵀ, transpose) with the same bits, and
// Aᵀ·x is spmv(Aᵀ) or spmv(A, transpose). Tiers pick the form that runs the events:
// with bool x the transposed form visits only the entries of the true x's
// (cost ~ nonzeros of the active rows), the plain form visits every entry.

import type { TypedArray } from "./dtype.js";

export interface SpmvParams {
  readonly rows: number;
  readonly cols: number;
  readonly transpose: boolean;
}

/** A compressed-row matrix as plain arrays: row pointers, column of each entry, weights (or one weight). */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** One weight per entry, or a single number for every entry. */
  readonly data: TypedArray | number;
}

/** One int32 array: the row pointers, then the column of each entry (spmv's layout operand). */
export function packLayout(indptr: Int32Array, indices: Int32Array): Int32Array {
  const out = new Int32Array(indptr.length + indices.length);
  out.set(indptr);
  out.set(indices, indptr.length);
  return out;
}

/** The same matrix with every row's entries stably sorted by column (the input itself when already sorted). */
export function canonicalRows(m: Csr): Csr {
  const { indptr, indices, data } = m;
  let sorted = true;
  for (let i = 0; i < m.rows && sorted; i++) for (let k = indptr[i]! + 1; k < indptr[i + 1]!; k++) if (indices[k - 1]! > indices[k]!) sorted = false;
  if (sorted) return m;
  const perm = new Int32Array(indices.length);
  for (let i = 0; i < m.rows; i++) {
    const lo = indptr[i]!;
    const hi = indptr[i + 1]!;
    const row = Array.from({ length: hi - lo }, (_, j) => lo + j);
    row.sort((a, b) => indices[a]! - indices[b]! || a - b);
    perm.set(row, lo);
  }
  return { ...m, indices: indices.map((_, k) => indices[perm[k]!]!), data: typeof data === "number" ? data : data.map((_, k) => data[perm[k]!]!) };
}

/** Aᵀ in compressed-row form, built stably: the entries of column c in increasing row, then position. */
export function transposeCsr(m: Csr): Csr {
  const { indptr, indices, data } = m;
  const nnz = indices.length;
  const ptr = new Int32Array(m.cols + 1);
  for (let k = 0; k < nnz; k++) ptr[indices[k]! + 1]!++;
  for (let c = 0; c < m.cols; c++) ptr[c + 1]! += ptr[c]!;
  const next = ptr.slice(0, m.cols);
  const rowOf = new Int32Array(nnz);
  const perm = new Int32Array(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let k = indptr[r]!; k < indptr[r + 1]!; k++) {
      const at = next[indices[k]!]!++;
      rowOf[at] = r;
      perm[at] = k;
    }
  }
  const d = typeof data === "number" ? data : data.map((_, j) => data[perm[j]!]!);
  return { rows: m.cols, cols: m.rows, indptr: ptr, indices: rowOf, data: d };
}
