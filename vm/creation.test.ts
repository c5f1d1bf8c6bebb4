// Hand-checked cases for the creation routines (numpy's answers): eye, identity, tri,
// triu/tril (on traced arrays too, eagerly and in every tier), the *Like family, and
// the dtype options of every creation routine.

import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, ShapeError, SizeError, TracerError, jit, np, type NDArray } from "../index.js";
import { everywhere } from "../testing/tiers.js";

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

describe("eye, identity, tri", () => {
  it("eye(n, m?, k?) puts ones on diagonal k", () => {
    expect(np.eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(np.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(np.eye(3, 3, 1).toArray()).toEqual([[0, 1, 0], [0, 0, 1], [0, 0, 0]]);
    expect(np.eye(3, null, -2).toArray()).toEqual([[0, 0, 0], [0, 0, 0], [1, 0, 0]]);
    expect(np.eye(2, 2, 5).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(np.eye(2, 2, -(2 ** 53)).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(np.eye(3).dtype).toBe("float32");
    expect(np.identity(2).toArray()).toEqual([[1, 0], [0, 1]]);
  });
  it("take the dtype as a name or { dtype } in any trailing position", () => {
    expect(np.eye(2, { dtype: "int32" }).dtype).toBe("int32");
    expect(np.eye(2, 3, { dtype: "bool" }).toArray()).toEqual([[true, false, false], [false, true, false]]);
    expect(np.eye(2, 2, 1, "float64").dtype).toBe("float64");
    expect(np.identity(2, { dtype: "int32" }).dtype).toBe("int32");
    expect(np.tri(2, { dtype: "bool" }).dtype).toBe("bool");
    expect(np.eye(2, {}).dtype).toBe("float32");
  });
  it("tri(n, m?, k?): ones on and below diagonal k", () => {
    expect(np.tri(3).toArray()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(np.tri(2, 4, 1, "int32").toArray()).toEqual([[1, 1, 0, 0], [1, 1, 1, 0]]);
    expect(np.tri(3, 2, -1).toArray()).toEqual([[0, 0], [1, 0], [1, 1]]);
    expect(np.tri(2, 2, 1e308).toArray()).toEqual([[1, 1], [1, 1]]);
  });
  it("empty sizes give empty matrices", () => {
    expect(np.eye(0).shape).toEqual([0, 0]);
    expect(np.eye(3, 0).shape).toEqual([3, 0]);
    expect(np.tri(0, 5).shape).toEqual([0, 5]);
  });
  it("bad arguments are named errors", () => {
    expect(() => np.eye(-1)).toThrow(ArgumentError);
    expect(() => np.eye(2.5)).toThrow(ArgumentError);
    expect(() => np.eye(NaN)).toThrow(ArgumentError);
    expect(() => np.eye(2, 2, 0.5)).toThrow(ArgumentError);
    expect(() => np.eye(2, 2, Infinity)).toThrow(ArgumentError);
    expect(() => np.eye(2, { dtype: "int8" as never })).toThrow(DTypeError);
    expect(() => (np.eye as any)(2, "int32", 3)).toThrow(ArgumentError);
    expect(() => np.eye(2 ** 31 - 1)).toThrow(SizeError);
    expect(() => np.tri(1e12, 1)).toThrow(SizeError);
    expect(() => jit((n: number) => np.eye(n))(3)).toThrow(TracerError);
  });
  it("under jit they are constants: the same bits eagerly and in every tier", () => {
    const x = np.array([[1.5, -0, NaN], [Infinity, -Infinity, 2]], "float64");
    const r = everywhere((a) => np.add(np.mul(a, np.eye(2, 3, 1, "float64")), np.tri(2, 3, 0, "float64")), x);
    expect(r.values.map(show)).toEqual(["1", "0", "NaN", "NaN", "NaN", "2"]); // 0 * ±Inf is NaN, -0 + 0 is +0
  });
});

describe("triu and tril", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], "int32");
  it("keep the upper / lower triangle of diagonal k, zero elsewhere", () => {
    expect(np.triu(x).toArray()).toEqual([[1, 2, 3], [0, 5, 6], [0, 0, 9]]);
    expect(np.triu(x, 1).toArray()).toEqual([[0, 2, 3], [0, 0, 6], [0, 0, 0]]);
    expect(np.triu(x, -1).toArray()).toEqual([[1, 2, 3], [4, 5, 6], [0, 8, 9]]);
    expect(np.tril(x).toArray()).toEqual([[1, 0, 0], [4, 5, 0], [7, 8, 9]]);
    expect(np.tril(x, -1).toArray()).toEqual([[0, 0, 0], [4, 0, 0], [7, 8, 0]]);
    expect(np.tril(x, 5).toArray()).toEqual(x.toArray());
    expect(np.triu(x, 5).toArray()).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });
  it("on traced arrays, every tier: NaN, ±Inf, -0 where kept; +0 where zeroed (a NaN below the diagonal is gone)", () => {
    const f = np.array([[NaN, -0, Infinity], [NaN, -Infinity, -0], [-0, 1.5, NaN]], "float32");
    expect(everywhere((a) => np.triu(a), f).values.map(show)).toEqual(["NaN", "-0", "Infinity", "0", "-Infinity", "-0", "0", "0", "NaN"]);
    expect(everywhere((a) => np.tril(a, -1), f).values.map(show)).toEqual(["0", "0", "0", "NaN", "0", "0", "-0", "1.5", "0"]);
  });
  it("int32 extremes, bool (stays bool), non-square and stacks of matrices (the last two axes)", () => {
    const i = np.array([[I32_MIN, I32_MAX], [I32_MAX, I32_MIN], [-1, 1]], "int32");
    const ri = everywhere((a) => np.tril(a), i);
    expect(ri).toEqual({ shape: [3, 2], dtype: "int32", values: [I32_MIN, 0, I32_MAX, I32_MIN, -1, 1] });
    const b = np.array([[true, true], [true, true]]);
    expect(everywhere((a) => np.triu(a), b)).toEqual({ shape: [2, 2], dtype: "bool", values: [1, 1, 0, 1] });
    const s = np.arange(1, 9, { dtype: "float64" }).reshape(2, 2, 2);
    expect(everywhere((a) => np.triu(a), s).values).toEqual([1, 2, 0, 4, 5, 6, 0, 8]);
  });
  it("empty arrays keep their shape", () => {
    expect(everywhere((a) => np.triu(a), np.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(everywhere((a) => np.tril(a, 1), np.zeros([2, 0, 4], "int32"))).toEqual({ shape: [2, 0, 4], dtype: "int32", values: [] });
  });
  it("fewer than 2 dimensions is a ShapeError; k must be a static integer", () => {
    expect(() => np.triu(np.array([1, 2, 3]))).toThrow(ShapeError);
    expect(() => np.tril(5)).toThrow(ShapeError);
    expect(() => np.triu(x, 0.5)).toThrow(ArgumentError);
    expect(() => jit((a: NDArray, k: number) => np.triu(a, k))(x, 1)).toThrow(TracerError);
    expect(jit((a: NDArray, k: number) => np.triu(a, k), { staticArgnums: [1] })(x, 1).toArray()).toEqual([[0, 2, 3], [0, 0, 6], [0, 0, 0]]);
  });
  it("take nested JS arrays", () => {
    expect(np.triu([[1, 2], [3, 4]]).toArray()).toEqual([[1, 2], [0, 4]]);
  });
});

describe("zerosLike, onesLike, fullLike", () => {
  it("take x's shape and dtype, or a dtype", () => {
    const x = np.array([[1, 2, 3]], "int32");
    expect(np.zerosLike(x)).toMatchObject({ shape: [1, 3], dtype: "int32" });
    expect(np.onesLike(x, "float64").toArray()).toEqual([[1, 1, 1]]);
    expect(np.onesLike(x, { dtype: "bool" }).dtype).toBe("bool");
    expect(np.zerosLike([[1, 2], [3, 4]]).shape).toEqual([2, 2]);
    expect(np.zerosLike(np.zeros([0, 2])).shape).toEqual([0, 2]);
  });
  it("fullLike casts the value to the dtype, as numpy's full_like", () => {
    const x = np.array([1, 2], "int32");
    expect(np.fullLike(x, 2.7).toArray()).toEqual([2, 2]);
    expect(np.fullLike(x, -2.7).toArray()).toEqual([-2, -2]);
    expect(np.fullLike(x, 1e300).toArray()).toEqual([I32_MAX, I32_MAX]);
    expect(np.fullLike(x, NaN).toArray()).toEqual([0, 0]);
    expect(np.fullLike(x, NaN, "float32").toArray()).toEqual([NaN, NaN]);
    expect(np.fullLike(x, -0, "float64").toTypedArray()[0]).toBe(-0);
    expect(np.fullLike(np.zeros([2]), true).toArray()).toEqual([1, 1]);
  });
  it("under jit: the shape of a traced array, a traced fill value broadcast", () => {
    const x = np.array([[1.5, 2], [3, 4]], "float32");
    expect(everywhere((a) => np.add(a, np.onesLike(a)), x).values).toEqual([2.5, 3, 4, 5]);
    const g = jit((a: NDArray, v: number) => np.fullLike(a, v));
    expect(g(x, 3.25).toArray()).toEqual([[3.25, 3.25], [3.25, 3.25]]);
    expect(g(x, -0.5).toArray()).toEqual([[-0.5, -0.5], [-0.5, -0.5]]);
    expect(() => np.fullLike(x, np.ones([3]))).toThrow(ShapeError);
  });
});

describe("dtype options of every creation routine", () => {
  it("zeros, ones, full, arange, linspace take a name or { dtype }", () => {
    expect(np.zeros([2], { dtype: "int32" }).dtype).toBe("int32");
    expect(np.ones([2], "bool").toArray()).toEqual([true, true]);
    expect(np.full([2], 7, { dtype: "float64" }).dtype).toBe("float64");
    expect(np.arange(4, { dtype: "int32" })).toMatchObject({ dtype: "int32", shape: [4] });
    expect(np.arange(1, 4, { dtype: "int32" }).toArray()).toEqual([1, 2, 3]);
    expect(np.arange(0, 1, 0.25, { dtype: "float64" }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(np.arange(0, 3, 1, "int32").dtype).toBe("int32");
    expect(np.arange(3).dtype).toBe("float32");
    expect(np.linspace(0, 1, 3, { dtype: "float64" }).toArray()).toEqual([0, 0.5, 1]);
    expect(np.linspace(0, 1, { dtype: "float64" }).shape).toEqual([50]);
    expect(np.linspace(0, 1, 4, { endpoint: false }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(np.linspace(0, 1, 5, "int32").toArray()).toEqual([0, 0, 0, 0, 1]);
  });
  it("int32 arange saturates and NaN-free; empty ranges are empty", () => {
    expect(np.arange(I32_MAX - 1, I32_MAX + 2, { dtype: "int32" }).toArray()).toEqual([I32_MAX - 1, I32_MAX, I32_MAX]);
    expect(np.arange(5, 1, { dtype: "int32" }).shape).toEqual([0]);
  });
  it("bad options are named errors", () => {
    expect(() => np.zeros([2], { dtype: "uint8" as never })).toThrow(DTypeError);
    expect(() => np.arange(3, { dtype: 7 as never })).toThrow(DTypeError);
    expect(() => (np.arange as any)(0, { dtype: "int32" }, 3)).toThrow(ArgumentError);
    expect(() => np.linspace(0, 1, 3, { endpoint: "no" as never })).toThrow(ArgumentError);
  });
});
