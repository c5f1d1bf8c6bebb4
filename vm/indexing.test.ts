// Hand-checked indexing cases (numpy / JAX results worked out by hand), each run
// eagerly and pinned to every tier, which must agree bit for bit (testing/tiers.ts).

import { describe, expect, it } from "vitest";
import { IndexError, jit, np, TracerError, Variable, type NDArray } from "../index.js";
import { fuse } from "../ir/fusion.js";
import { optimize } from "../ir/passes/index.js";
import { traceProgram } from "../testing/programs.js";
import { everywhere } from "../testing/tiers.js";

const A = np.arange(24, "float32").reshape(2, 3, 4);
const I = (v: number[] | number[][]) => np.array(v, "int32");

function check(f: (...a: NDArray[]) => NDArray, args: NDArray[], shape: number[], values: number[]): void {
  const r = everywhere(f, ...args);
  expect(r.shape).toEqual(shape);
  expect(r.values).toEqual(values);
}

describe("x.slice: static ranges and numbers", () => {
  it("a number drops the axis, negative counts from the end", () => {
    check((x) => x.slice(1), [A], [3, 4], Array.from({ length: 12 }, (_, k) => 12 + k));
    check((x) => x.slice(-1, 0), [A], [4], [12, 13, 14, 15]);
    check((x) => x.slice(0, -1, -1), [A], [], [11]);
  });
  it("ranges with numpy's rules: negatives, clamping, null defaults, negative steps", () => {
    const v = np.arange(10, "int32");
    check((x) => x.slice([2, 8, 3]), [v], [2], [2, 5]);
    check((x) => x.slice([-3]), [v], [3], [7, 8, 9]);
    check((x) => x.slice([null, null, -1]), [v], [10], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    check((x) => x.slice([8, 2, -2]), [v], [3], [8, 6, 4]);
    check((x) => x.slice([-100, 100]), [v], [10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    check((x) => x.slice([5, 2]), [v], [0], []);
    check((x) => x.slice([null, -11, -1]), [v], [10], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    check((x) => x.slice([]), [v], [10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it("mixed entries on a 3-D array, with the steps folded into one view", () => {
    check((x) => x.slice(null, [null, null, -2], [1, 4, 2]), [A], [2, 2, 2], [9, 11, 1, 3, 21, 23, 13, 15]);
    check((x) => x.slice(null, 1).add(1), [A], [2, 4], [5, 6, 7, 8, 17, 18, 19, 20]);
  });
  it("an out-of-range number is an IndexError naming the axis, the index and the size", () => {
    expect(() => A.slice(0, 3)).toThrow(IndexError);
    expect(() => A.slice(0, 3)).toThrow(/index 3 is out of bounds for axis 1 with size 3/);
    expect(() => A.slice(0, 0, 0, 0)).toThrow(/too many indices/);
    expect(() => jit((x: NDArray) => x.slice(-5))(A)).toThrow(IndexError);
  });
});

describe("x.slice: index arrays (numpy advanced indexing)", () => {
  it("one array: gathers with duplicates and negative indices", () => {
    const v = np.array([10, 20, 30, 40], "float32");
    check((x, i) => x.slice(i), [v, I([3, 0, -1, 3])], [4], [40, 10, 40, 40]);
    check((x, i) => x.slice(null, i), [A, I([[0, 2], [-1, 1]])], [2, 2, 2, 4], npAdv(A, [[0, 2], [2, 1]]));
  });
  it("adjacent arrays broadcast in place, separated ones go first", () => {
    // A[:, [0, 2], [1, 3]] -> shape [2, 2]: A[p, 0, 1], A[p, 2, 3]
    check((x, i, j) => x.slice(null, i, j), [A, I([0, 2]), I([1, 3])], [2, 2], [1, 11, 13, 23]);
    // A[[0, 1], :, [3, 0]] -> separated: shape [2, 3]: A[0, :, 3], A[1, :, 0]
    check((x, i, j) => x.slice(i, null, j), [A, I([0, 1]), I([3, 0])], [2, 3], [3, 7, 11, 12, 16, 20]);
    // A[0, :, [1, 2]]: the number counts as an advanced index, separated -> [2, 3]
    check((x, j) => x.slice(0, null, j), [A, I([1, 2])], [2, 3], [1, 5, 9, 2, 6, 10]);
  });
  it("a concrete out-of-range index array is an IndexError; a traced one is clamped", () => {
    expect(() => A.slice(I([0, 2]))).toThrow(/index 2 is out of bounds for axis 0 with size 2/);
    const f = jit((x: NDArray, i: NDArray) => x.slice(i), { tier: "wasm" });
    expect(Array.from(f(np.array([1, 2, 3], "float32"), I([5, -7, -1])).toTypedArray())).toEqual([3, 1, 3]);
  });
  it("bool masks: eagerly numpy's 1-D result; under jit an error naming np.where", () => {
    const v = np.array([1, -2, 3, -4], "float32");
    expect(v.slice(v.greater(0)).toArray()).toEqual([1, 3]);
    const m = np.array([[true, false, true, false], [false, false, false, true], [true, true, false, false]]);
    expect(A.slice(0, m).toArray()).toEqual([0, 2, 7, 8, 9]);
    expect(() => jit((x: NDArray) => x.slice(x.greater(0)))(v)).toThrow(TracerError);
    expect(() => jit((x: NDArray) => x.slice(x.greater(0)))(v)).toThrow(/np\.where/);
  });
});

/** numpy's x[:, idx] for a 3-D x and a 2-D idx (non-negative), by hand. */
function npAdv(x: NDArray, idx: number[][]): number[] {
  const d = x.toArray() as number[][][];
  const out: number[] = [];
  for (const row of d) for (const r of idx) for (const j of r) out.push(...row[j]!);
  return out;
}

describe("dynamic indices", () => {
  it("a forLoop index reads row i without copying the input (a gather of one row)", () => {
    const X = np.arange(12, "float32").reshape(4, 3);
    const f = (x: NDArray) => np.forLoop(0, 4, (i, acc: NDArray) => acc.add(x.slice(i).mul(i.astype("float32"))), np.zeros([3]));
    check(f, [X], [3], [0 + 3 + 12 + 27, 0 + 4 + 14 + 30, 0 + 5 + 16 + 33]);
  });
  it("a traced jit argument as an index, clamped", () => {
    const g = jit((x: NDArray, k: number) => x.slice(k), { tier: "wasm" });
    const v = np.array([1, 2, 3], "float32");
    expect(g(v, 1).item()).toBe(2);
    expect(g(v, -1).item()).toBe(3);
    expect(g(v, 9).item()).toBe(3);
  });
  it("np.dynamicSlice and np.dynamicUpdateSlice clamp the window so it fits", () => {
    const v = np.arange(10, "int32");
    for (const s of [0, 3, 8, -2, -20, 100]) {
      const lo = Math.min(Math.max(s < 0 ? s + 10 : s, 0), 7);
      check((x, st) => np.dynamicSlice(x, [st], [3]), [v, np.array(s, "int32")], [3], [lo, lo + 1, lo + 2]);
      expect(np.dynamicSlice(v, [s], [3]).toArray()).toEqual([lo, lo + 1, lo + 2]);
      const want = Array.from({ length: 10 }, (_, k) => (k >= lo && k < lo + 3 ? -1 : k));
      check((x, st) => np.dynamicUpdateSlice(x, np.full([3], -1, "int32"), [st]), [v, np.array(s, "int32")], [10], want);
    }
    check((x, a, b) => np.dynamicSlice(x, [a, 1, b], [1, 2, 2]), [A, np.array(1, "int32"), np.array(3, "int32")], [1, 2, 2], [18, 19, 22, 23]);
    check((x, a) => np.dynamicUpdateSlice(x, np.ones([1, 3, 4], "float32").mul(-1), [a, 0, 0]), [A, np.array(1, "int32")], [2, 3, 4], [...Array.from({ length: 12 }, (_, k) => k), ...Array(12).fill(-1)]);
  });
});

describe("x.at(...): functional updates", () => {
  const v = np.array([1, 2, 3, 4], "float32");
  it("set, add, mul, min, max with repeated indices in index order; the last set wins", () => {
    const i = I([1, 3, 1, -4]);
    check((x, j) => x.at(j).set(np.array([10, 20, 30, 40], "float32")), [v, i], [4], [40, 30, 3, 20]);
    check((x, j) => x.at(j).add(np.array([10, 20, 30, 40], "float32")), [v, i], [4], [41, 42, 3, 24]);
    check((x, j) => x.at(j).mul(2), [v, i], [4], [2, 8, 3, 8]);
    check((x, j) => x.at(j).min(np.array([0, 9, 1.5, 9], "float32")), [v, i], [4], [1, 0, 3, 4]);
    check((x, j) => x.at(j).max(np.array([0, 9, 1.5, 9], "float32")), [v, i], [4], [9, 2, 3, 9]);
  });
  it("static slices and numbers, the update broadcast to the indexed shape", () => {
    check((x) => x.at([null, null, 2]).set(0), [v], [4], [0, 2, 0, 4]);
    check((x) => x.at(1, [1, 3], 0).add(np.array([100, 200], "float32")), [A], [2, 3, 4], Array.from({ length: 24 }, (_, k) => (k === 16 ? 116 : k === 20 ? 220 : k)));
    check((x) => x.at(1, [1, 3]).add(np.array([[100], [200]], "float32")), [A], [2, 3, 4], Array.from({ length: 24 }, (_, k) => (k >= 16 && k < 20 ? k + 100 : k >= 20 ? k + 200 : k)));
    check((x) => x.at(null, 0, 0).set(-1), [A], [2, 3, 4], Array.from({ length: 24 }, (_, k) => (k % 12 === 0 ? -1 : k)));
  });
  it("traced indices out of range are dropped", () => {
    const f = jit((x: NDArray, j: NDArray) => x.at(j).add(1), { tier: "wasm" });
    expect(Array.from(f(v, I([0, 4, -5, -1])).toTypedArray())).toEqual([2, 2, 3, 5]);
    check((x, j) => x.at(j).set(7), [v, I([0, 1])], [4], [7, 7, 3, 4]);
  });
  it("a static out-of-range index is an IndexError", () => {
    expect(() => v.at(4).set(0)).toThrow(IndexError);
    expect(() => v.at(I([0, 9])).add(1)).toThrow(/index 9 is out of bounds for axis 0 with size 4/);
  });
});

describe("np.take, np.takeAlongAxis, segment reductions", () => {
  it("take: flattened without an axis, along an axis with one", () => {
    check((x, i) => np.take(x, i), [A, I([23, 0, -1])], [3], [23, 0, 23]);
    check((x, i) => np.take(x, i, 2), [A, I([[3], [0]])], [2, 3, 2, 1], [3, 0, 7, 4, 11, 8, 15, 12, 19, 16, 23, 20]);
    expect(() => np.take(A, [24])).toThrow(IndexError);
  });
  it("takeAlongAxis: argsort's positions sort the array", () => {
    const x = np.array([[3, 1, 2], [9, 7, 8]], "float32");
    check((a) => np.takeAlongAxis(a, np.argsort(a, 1), 1), [x], [2, 3], [1, 2, 3, 7, 8, 9]);
    check((a, i) => np.takeAlongAxis(a, i, 0), [x, I([[1, 0, -1]])], [1, 3], [9, 1, 8]);
  });
  it("segmentSum / segmentMax / segmentMin: ids out of range dropped, empty segments hold the identity", () => {
    const d = np.array([1, 2, 3, 4, 5], "float32");
    const ids = I([0, 2, 0, 5, -1]);
    check((a, s) => np.segmentSum(a, s, 4), [d, ids], [4], [4, 0, 2, 0]);
    check((a, s) => np.segmentMax(a, s, 3), [d, ids], [3], [3, -Infinity, 2]);
    check((a, s) => np.segmentMin(a, s, 3), [d, ids], [3], [1, Infinity, 2]);
    check((a, s) => np.segmentMax(a, s, 2), [np.array([1, 2, 3, 4, 5], "int32"), ids], [2], [3, -2147483648]);
    check((a, s) => np.segmentSum(a, s, 3), [np.arange(10, "float32").reshape(5, 2), ids], [3, 2], [4, 6, 0, 0, 2, 3]);
  });
});

describe("static slices are views: fused into the loop that consumes them", () => {
  it("a strided, reversed slice and its consumer are one elementwise kernel reading the whole input", () => {
    const X = np.arange(60, "float32").reshape(5, 12);
    const f = (x: NDArray) => x.slice([1, 4], [null, null, -2]).mul(2).add(x.slice([0, 3], [0, 6]));
    const { program } = traceProgram(f, [X]);
    const kernels = fuse(optimize(program)).kernels; // (optimize is deterministic: same ids twice)
    expect(kernels.map((k) => k.kind)).toEqual(["elementwise"]);
    const p = optimize(program);
    expect(kernels[0]!.reads.filter((r) => !p.consts.has(r))).toEqual([program.inputs[0]]);
    everywhere(f, X);
  });
  it("a Variable updated from a reversed view of itself is not written in place over what it still reads", () => {
    const v = new Variable(np.arange(7, "float32"));
    const step = jit(() => { v.value = v.value.slice([null, null, -1]).add(1); }, { tier: "wasm" });
    step();
    step();
    expect(v.value.toArray()).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const v1 = new Variable(np.arange(7, "float32"));
    const step1 = jit(() => { v1.value = v1.value.slice([null, null, -1]).add(1); }, { tier: "js" });
    step1();
    expect(v1.value.toArray()).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });
});

describe("at() with a traced index and trailing whole axes", () => {
  it("drops out-of-range rows and updates the rest, under jit as eagerly", () => {
    const x = np.arange(12).astype("float32").reshape(6, 2);
    const j = np.array([0, 5, -1, 2], "int32");
    const want = x.at(j).add(1);
    expect(jit((a: NDArray, k: NDArray) => a.at(k).add(1))(x, j).toArray()).toEqual(want.toArray());
    // Out of range under jit: that row is dropped (eagerly it is an IndexError).
    const r = jit((a: NDArray, k: NDArray) => a.at(k).add(1))(x, np.array([7, 1], "int32"));
    expect(r.toArray()).toEqual(x.at(np.array([1], "int32")).add(1).toArray());
  });
});
