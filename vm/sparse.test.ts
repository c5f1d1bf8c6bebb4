// np.sparse.csr: hand-checked products, products against a dense float64 computation
// in the documented order (ir/sparse.ts), every case eagerly and pinned to every tier
// (bit for bit), the event-driven forms, and the named errors.

import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, IndexError, ShapeError, grad, jit, jvp, np, vmap, type NDArray } from "../index.js";
import { everywhere } from "../testing/tiers.js";
import { packLayout } from "../ir/sparse.js";
import { NDArray as Arr } from "./ndarray.js";
import { emit } from "./ops.js";

// [[1, 0, 2], [0, 0, 0], [3, 4, 0] + duplicate (2,1) += 0.5, (0,2) given before (0,0)]
const small = () =>
  np.sparse.csr({
    indptr: [0, 2, 2, 5],
    indices: [2, 0, 1, 0, 1],
    data: Float32Array.of(2, 1, 4, 3, 0.5),
    shape: [3, 3],
  });

/** Each product in the documented order: from +0, terms in increasing index of the other axis, duplicates in given order. */
function reference(indptr: number[], indices: number[], data: number[] | number, rows: number, cols: number, x: ArrayLike<number | boolean>, transposed: boolean, round: (v: number) => number): number[] {
  const entries: { r: number; c: number; w: number; k: number }[] = [];
  for (let r = 0; r < rows; r++) for (let k = indptr[r]!; k < indptr[r + 1]!; k++) entries.push({ r, c: indices[k]!, w: typeof data === "number" ? data : data[k]!, k });
  const n = transposed ? cols : rows;
  const out: number[] = [];
  for (let o = 0; o < n; o++) {
    const mine = entries.filter((e) => (transposed ? e.c : e.r) === o).sort((a, b) => (transposed ? a.r - b.r : a.c - b.c) || a.k - b.k);
    let acc = 0;
    for (const e of mine) {
      const v = x[transposed ? e.r : e.c]!;
      if (typeof v === "boolean") {
        if (v) acc = round(acc + e.w);
      } else acc = round(acc + round(e.w * v));
    }
    out.push(acc);
  }
  return out;
}

describe("np.sparse.csr products", () => {
  it("matvec and rmatvec of a small matrix with a duplicate, an empty row and an unsorted row", () => {
    const A = small();
    expect(A.shape).toEqual([3, 3]);
    expect(A.nnz).toBe(5);
    expect(Array.from(A.toDense().toTypedArray())).toEqual([1, 0, 2, 0, 0, 0, 3, 4.5, 0]);
    const x = np.array([1, 10, 100]);
    expect(everywhere((v) => A.matvec(v), x).values).toEqual([201, 0, 48]);
    expect(everywhere((v) => A.rmatvec(v), x).values).toEqual([301, 450, 2]);
    const s = np.array([true, false, true]);
    expect(everywhere((v) => A.matvec(v), s).values).toEqual([3, 0, 3]);
    expect(everywhere((v) => A.rmatvec(v), s).values).toEqual([4, 4.5, 2]);
    expect(everywhere((v) => A.matvec(v), np.zeros([3], "bool")).values).toEqual([0, 0, 0]);
  });

  it("homogeneous weights (one number), float64 data, int32 x promoted", () => {
    const A = np.sparse.csr({ indptr: [0, 1, 3], indices: [1, 0, 1], data: 0.25, shape: [2, 2] });
    expect(everywhere((v) => A.matvec(v), np.array([4, 8])).values).toEqual([2, 3]);
    expect(everywhere((v) => A.rmatvec(v), np.array([true, true])).values).toEqual([0.25, 0.5]);
    const B = np.sparse.csr({ indptr: [0, 2], indices: [0, 1], data: Float64Array.of(0.1, 0.2), shape: [1, 2] });
    const r = everywhere((v) => B.matvec(v), np.array([1, 1], "int32"));
    expect(r.dtype).toBe("float64");
    expect(r.values).toEqual([0.1 + 0.2]);
  });

  it("signed zeros and non-finite weights follow the +0-start order", () => {
    const A = np.sparse.csr({ indptr: [0, 2, 3, 4], indices: [0, 1, 0, 1], data: Float32Array.of(-0, -0, Infinity, -2), shape: [3, 2] });
    const r = everywhere((v) => A.matvec(v), np.array([1, -0]));
    expect(r.values.map((v) => (Object.is(v, -0) ? "-0" : String(v)))).toEqual(["0", "Infinity", "0"]);
    // Float rmatvec with a zero x entry: Inf * 0 is NaN, so no skipping here.
    expect(everywhere((v) => A.rmatvec(v), np.array([0, 0, 1])).values).toEqual([NaN, -2]);
  });

  it("random matrices against a dense computation, both directions, float and bool x, every tier", () => {
    let seed = 3;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const [rows, cols, density, uniform] of [[37, 53, 0.2, false], [64, 40, 0.05, true], [5, 300, 0.5, false]] as const) {
      const indptr = [0];
      const indices: number[] = [];
      for (let r = 0; r < rows; r++) {
        const k = rnd() < 0.15 ? 0 : Math.floor(rnd() * cols * density * 2);
        for (let j = 0; j < k; j++) indices.push(Math.floor(rnd() * cols)); // unsorted, duplicates likely
        indptr.push(indices.length);
      }
      const data = uniform ? Math.fround(0.7) : indices.map(() => Math.fround((rnd() - 0.3) * 3));
      const A = np.sparse.csr({ indptr, indices, data: typeof data === "number" ? data : Float32Array.from(data), shape: [rows, cols] });
      for (const transposed of [false, true]) {
        const n = transposed ? rows : cols;
        const xf = Array.from({ length: n }, () => (rnd() < 0.3 ? 0 : Math.fround(rnd() * 4 - 2)));
        const xb = Array.from({ length: n }, () => rnd() < 0.1);
        const f = (v: NDArray) => (transposed ? A.rmatvec(v) : A.matvec(v));
        for (const x of [xf, xb]) {
          const want = reference(indptr, indices, data, rows, cols, x, transposed, Math.fround);
          expect(everywhere(f, np.array(x)).values).toEqual(want);
        }
      }
    }
  });

  it("bool x in tier 2 runs events: the transposed layout, scanned 16 flags at a time", () => {
    const A = small();
    const f = jit((v: NDArray) => A.matvec(v), { tier: "wasm" });
    f(np.array([true, false, false]));
    const s = f.inspect().signatures[0]!;
    expect(s.ir).toContain("spmv");
    expect(s.ir).toContain("transpose");
    expect(s.wat).toContain("v128.any_true");
  });

  it("inside a jitted forLoop, with the matrix a constant of the body", () => {
    const A = np.sparse.csr({ indptr: [0, 1, 2, 3], indices: [1, 2, 0], data: 1, shape: [3, 3] });
    const f = (x: NDArray) => np.forLoop(0, 4, (_i, v: NDArray) => A.rmatvec(v.greater(1)).add(v), x);
    // out = [s2, s0, s1] (a permutation): v [1,2,3] -> [2,2,4] -> [3,3,5] -> [4,4,6] -> [5,5,7]
    expect(everywhere(f, np.array([1, 2, 3])).values).toEqual([5, 5, 7]);
  });
});

describe("the spmv op in all four forms (the front end emits two of them per direction)", () => {
  it("plain and transposed, float and bool x, in the order of ir/sparse.ts", () => {
    // rows 0..3: [ (1: 2), (0: -1.5) ], [], [ (2: 0.25), (2: 4) ], [ (0: 3) ] (entries in the order given: spmv takes k order)
    const indptr = Int32Array.of(0, 2, 2, 4, 5);
    const indices = Int32Array.of(1, 0, 2, 2, 0);
    const layout = new Arr([10], "int32", packLayout(indptr, indices));
    const data = new Arr([5], "float32", Float32Array.of(2, -1.5, 0.25, 4, 3));
    const spmv = (transpose: boolean) => (v: NDArray) =>
      emit("spmv", [layout, data, v], { shape: [transpose ? 3 : 4], dtype: "float32" }, { rows: 4, cols: 3, transpose });
    expect(everywhere(spmv(false), np.array([10, 100, 1000])).values).toEqual([200 - 15, 0, 250 + 4000, 30]);
    expect(everywhere(spmv(false), np.array([true, false, true])).values).toEqual([-1.5, 0, 4.25, 3]);
    expect(everywhere(spmv(true), np.array([1, 10, 100, 1000])).values).toEqual([-1.5 + 3000, 2, 425]);
    expect(everywhere(spmv(true), np.array([false, false, true, true])).values).toEqual([3, 0, 4.25]);
    expect(everywhere(spmv(true), np.array([0, 0, 0, 0])).values.map(String)).toEqual(["0", "0", "0"]);
  });
});

describe("np.sparse.csr derivatives", () => {
  it("grad of c·(A·x) is Aᵀ·c, and jvp of A·x is A·dx", () => {
    const A = small();
    const c = np.array([1, 2, 3]);
    const g = grad((x: NDArray) => A.matvec(x).mul(c).sum())(np.array([0.5, 1, 2]));
    expect(Array.from(g.toTypedArray())).toEqual(Array.from(A.rmatvec(c).toTypedArray()));
    const [, t] = jvp((x: NDArray) => A.rmatvec(x), [np.array([1, 1, 1])], [np.array([1, 0, 2])]);
    expect(Array.from((t as NDArray).toTypedArray())).toEqual([7, 9, 2]);
  });
});

describe("np.sparse.csr under vmap", () => {
  it("a batch of vectors gives each lane's product, float and bool, in every tier", () => {
    const A = small();
    const xs = np.array([[1, 10, 100], [0, 1, -2], [3, 0, 0]]);
    const want = [0, 1, 2].map((b) => Array.from(A.rmatvec(xs.slice(b)).toTypedArray())).flat();
    expect(everywhere((v) => vmap((r: NDArray) => A.rmatvec(r))(v), xs).values).toEqual(want);
    const s = xs.greater(0);
    const wantS = [0, 1, 2].map((b) => Array.from(A.matvec(s.slice(b)).toTypedArray())).flat();
    expect(everywhere((v) => vmap((r: NDArray) => A.matvec(r))(v), s).values).toEqual(wantS);
  });
});

describe("np.sparse.csr errors", () => {
  const base = { indptr: [0, 1, 2], indices: [0, 1], data: [1, 2], shape: [2, 2] } as const;
  it("names what is wrong", () => {
    expect(() => np.sparse.csr({ ...base, shape: [2] })).toThrow(ShapeError);
    expect(() => np.sparse.csr({ ...base, shape: [2, -1] })).toThrow(ShapeError);
    expect(() => np.sparse.csr({ ...base, indptr: [0, 1] })).toThrow(/rows \+ 1 = 3/);
    expect(() => np.sparse.csr({ ...base, indptr: [1, 1, 2] })).toThrow(ArgumentError);
    expect(() => np.sparse.csr({ ...base, indptr: [0, 2, 1] })).toThrow(/non-decreasing/);
    expect(() => np.sparse.csr({ ...base, indptr: [0, 1, 1] })).toThrow(/indices.length = 2/);
    expect(() => np.sparse.csr({ ...base, indices: [0, 2] })).toThrow(IndexError);
    expect(() => np.sparse.csr({ ...base, indices: [-1, 0] })).toThrow(/indices\[0\] = -1/);
    expect(() => np.sparse.csr({ ...base, indices: Float32Array.of(0, 1) })).toThrow(DTypeError);
    expect(() => np.sparse.csr({ ...base, indices: [0, 0.5] })).toThrow(DTypeError);
    expect(() => np.sparse.csr({ ...base, data: Int32Array.of(1, 2) })).toThrow(DTypeError);
    expect(() => np.sparse.csr({ ...base, data: [1, 2, 3] })).toThrow(ShapeError);
    expect(() => np.sparse.csr({ ...base, dtype: "int32" as never })).toThrow(DTypeError);
    expect(() => np.sparse.csr(null as never)).toThrow(ArgumentError);
    const A = np.sparse.csr({ ...base, shape: [2, 3], indptr: [0, 1, 2] });
    expect(() => A.matvec(np.zeros([2]))).toThrow(/length 3 for a 2x3 matrix/);
    expect(() => A.rmatvec(np.zeros([3]))).toThrow(ShapeError);
  });
  it("copies the caller's arrays", () => {
    const indices = Int32Array.of(0, 1);
    const data = Float32Array.of(1, 2);
    const A = np.sparse.csr({ ...base, indices, data });
    indices[0] = 1;
    data[0] = 100;
    expect(Array.from(A.matvec(np.array([1, 1])).toTypedArray())).toEqual([1, 2]);
  });
});
