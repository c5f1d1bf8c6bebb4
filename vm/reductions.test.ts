// Hand-checked cases of the reductions beyond sum/max/min, eagerly and in every tier:
// NaN, ±Inf, -0, int32 extremes, empty arrays, axis as a number, an array, none or an
// options object.

import { describe, expect, it } from "vitest";
import { np, ArgumentError, ShapeError } from "../index.js";
import { everywhere } from "../testing/tiers.js";

describe("prod", () => {
  it("multiplies in float32 with NaN, ±Inf and -0", () => {
    expect(everywhere((x) => np.prod(x), np.array([2, -0.5, 3])).values).toEqual([-3]);
    expect(everywhere((x) => x.prod(), np.array([1, NaN, 0])).values).toEqual([NaN]);
    expect(everywhere((x) => x.prod(), np.array([Infinity, 0])).values).toEqual([NaN]);
    expect(everywhere((x) => x.prod(), np.array([-Infinity, 2])).values).toEqual([-Infinity]);
    const negZero = everywhere((x) => x.prod(), np.array([-0, 5]));
    expect(Object.is(negZero.values[0], -0)).toBe(true);
  });
  it("takes axis, keepdims and options, and an empty product is 1", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]]);
    expect(everywhere((a) => np.prod(a, 0), x)).toEqual({ shape: [3], dtype: "float32", values: [4, 10, 18] });
    expect(everywhere((a) => np.prod(a, { axis: -1, keepdims: true }), x)).toEqual({ shape: [2, 1], dtype: "float32", values: [6, 120] });
    expect(everywhere((a) => a.prod([0, 1]), x).values).toEqual([720]);
    expect(everywhere((a) => np.prod(a, 0), np.zeros([0, 2])).values).toEqual([1, 1]);
    expect(everywhere((a) => np.prod(a), np.zeros([0])).values).toEqual([1]);
  });
  it("wraps in int32 and lifts bool to int32", () => {
    const r = everywhere((a) => np.prod(a), np.array([65536, 65536, 3], "int32"));
    expect(r).toEqual({ shape: [], dtype: "int32", values: [0] });
    expect(everywhere((a) => np.prod(a), np.array([2147483647, -1], "int32")).values).toEqual([-2147483647]);
    expect(everywhere((a) => np.prod(a), np.array([-2147483648, -1], "int32")).values).toEqual([-2147483648]);
    expect(everywhere((a) => np.prod(a), np.array([true, true, false]))).toEqual({ shape: [], dtype: "int32", values: [0] });
  });
});

describe("any and all", () => {
  it("count NaN and -0 as numpy does (NaN is true, -0 is false)", () => {
    expect(everywhere((a) => np.any(a), np.array([0, -0, NaN]))).toEqual({ shape: [], dtype: "bool", values: [1] });
    expect(everywhere((a) => np.all(a), np.array([1, NaN, -Infinity]))).toEqual({ shape: [], dtype: "bool", values: [1] });
    expect(everywhere((a) => np.all(a), np.array([1, -0, 2])).values).toEqual([0]);
    expect(everywhere((a) => np.any(a), np.array([0, -0])).values).toEqual([0]);
  });
  it("reduce int32 extremes, bools and axes; empty any is false, empty all is true", () => {
    const x = np.array([[0, -2147483648], [0, 0], [2147483647, 5]], "int32");
    expect(everywhere((a) => a.any(1), x).values).toEqual([1, 0, 1]);
    expect(everywhere((a) => a.all(0), x).values).toEqual([0, 0]);
    expect(everywhere((a) => np.all(a, { axis: 0, keepdims: true }), np.array([[true, false], [true, true]]))).toEqual({ shape: [1, 2], dtype: "bool", values: [1, 0] });
    expect(everywhere((a) => np.any(a, 0), np.zeros([0, 3])).values).toEqual([0, 0, 0]);
    expect(everywhere((a) => np.all(a), np.zeros([0])).values).toEqual([1]);
  });
});

it("a bad axis is a named error", () => {
  expect(() => np.prod(np.ones([2]), 1)).toThrow(/axis 1 is out of range/);
  expect(() => np.any(np.ones([2]), "0" as any)).toThrow(ArgumentError);
});

describe("argmax and argmin", () => {
  it("give the first occurrence as int32, NaN counting as the extreme", () => {
    expect(everywhere((a) => np.argmax(a), np.array([1, 3, 3, 2]))).toEqual({ shape: [], dtype: "int32", values: [1] });
    expect(everywhere((a) => np.argmin(a), np.array([4, 3, 9, 3])).values).toEqual([1]);
    expect(everywhere((a) => a.argmax(), np.array([1, NaN, 5, NaN])).values).toEqual([1]);
    expect(everywhere((a) => a.argmin(), np.array([1, -Infinity, NaN, NaN])).values).toEqual([2]);
    expect(everywhere((a) => a.argmax(), np.array([-0, 0])).values).toEqual([0]);
    expect(everywhere((a) => a.argmin(), np.array([0, -0])).values).toEqual([0]);
    expect(everywhere((a) => a.argmax(), np.array([-Infinity, -Infinity])).values).toEqual([0]);
    expect(everywhere((a) => a.argmax(), np.array([-1e300, Infinity], "float64")).values).toEqual([1]);
  });
  it("work on int32 extremes and bools", () => {
    const x = np.array([-2147483648, 2147483647, 2147483647, 0], "int32");
    expect(everywhere((a) => np.argmax(a), x).values).toEqual([1]);
    expect(everywhere((a) => np.argmin(a), x).values).toEqual([0]);
    expect(everywhere((a) => np.argmax(a), np.array([false, true, true])).values).toEqual([1]);
    expect(everywhere((a) => np.argmin(a), np.array([true, true])).values).toEqual([0]);
  });
  it("take an axis (none: the flat position), keepdims and an options object", () => {
    const x = np.array([[1, 5, 0], [7, 2, 7]]);
    expect(everywhere((a) => np.argmax(a, 0), x)).toEqual({ shape: [3], dtype: "int32", values: [1, 0, 1] });
    expect(everywhere((a) => np.argmax(a, -1), x).values).toEqual([1, 0]);
    expect(everywhere((a) => np.argmin(a), x).values).toEqual([2]);
    expect(everywhere((a) => np.argmax(a), x).values).toEqual([3]);
    expect(everywhere((a) => np.argmax(a, 1, true), x)).toEqual({ shape: [2, 1], dtype: "int32", values: [1, 0] });
    expect(everywhere((a) => np.argmin(a, { axis: 0, keepdims: true }), x)).toEqual({ shape: [1, 3], dtype: "int32", values: [0, 1, 0] });
    expect(everywhere((a) => a.argmax(1), np.zeros([0, 4])).shape).toEqual([0]);
  });
  it("reject an empty axis and an array of axes by name", () => {
    expect(() => np.argmax(np.zeros([0]))).toThrow(/empty axis/);
    expect(() => np.argmin(np.zeros([3, 0]), 1)).toThrow(ShapeError);
    expect(() => np.argmax(np.zeros([2, 2]), [0, 1] as any)).toThrow(ArgumentError);
  });
});

describe("cumsum and cumprod", () => {
  it("run in order with float32 rounding, NaN, ±Inf and -0", () => {
    expect(everywhere((a) => np.cumsum(a), np.array([1, 2, NaN, 3])).values).toEqual([1, 3, NaN, NaN]);
    expect(everywhere((a) => np.cumsum(a), np.array([16777216, 1, 1])).values).toEqual([16777216, 16777216, 16777216]);
    expect(Object.is(everywhere((a) => np.cumsum(a), np.array([-0])).values[0], -0)).toBe(true);
    expect(everywhere((a) => a.cumprod(), np.array([2, -0.5, Infinity, 0])).values).toEqual([2, -1, -Infinity, NaN]);
    expect(everywhere((a) => np.cumsum(a), np.array([Infinity, -Infinity])).values).toEqual([Infinity, NaN]);
  });
  it("wrap in int32 and lift bool to int32", () => {
    expect(everywhere((a) => np.cumsum(a), np.array([2147483647, 1], "int32")).values).toEqual([2147483647, -2147483648]);
    expect(everywhere((a) => np.cumprod(a), np.array([65536, 65536], "int32")).values).toEqual([65536, 0]);
    expect(everywhere((a) => np.cumsum(a), np.array([true, true, false]))).toEqual({ shape: [3], dtype: "int32", values: [1, 2, 2] });
  });
  it("keep the shape along an axis; without one, run over the flattened array", () => {
    const x = np.array([[1, 2], [3, 4]]);
    expect(everywhere((a) => np.cumsum(a, 0), x)).toEqual({ shape: [2, 2], dtype: "float32", values: [1, 2, 4, 6] });
    expect(everywhere((a) => a.cumsum(-1), x).values).toEqual([1, 3, 3, 7]);
    expect(everywhere((a) => np.cumprod(a, { axis: 1 }), x).values).toEqual([1, 2, 3, 12]);
    expect(everywhere((a) => np.cumsum(a), x)).toEqual({ shape: [4], dtype: "float32", values: [1, 3, 6, 10] });
    expect(everywhere((a) => np.cumsum(a, 1), np.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(everywhere((a) => np.cumsum(a), np.array(5)).shape).toEqual([1]);
    expect(() => np.cumsum(x, 2)).toThrow(/axis 2 is out of range/);
  });
});

describe("sort and argsort", () => {
  it("sort ascending, stable, NaN last, -0 and +0 in their original order", () => {
    const x = np.array([3, NaN, -0, 1, 0, -Infinity, NaN, 1, Infinity, -0]);
    const s = everywhere((a) => np.sort(a), x).values;
    expect(s.map((v) => (Object.is(v, -0) ? "-0" : String(v)))).toEqual(["-Infinity", "-0", "0", "-0", "1", "1", "3", "Infinity", "NaN", "NaN"]);
    expect(everywhere((a) => np.argsort(a), x)).toEqual({ shape: [10], dtype: "int32", values: [5, 2, 4, 9, 3, 7, 0, 8, 1, 6] });
  });
  it("sort int32 extremes and bools, along any axis, flattened with null", () => {
    expect(everywhere((a) => a.sort(), np.array([2147483647, -2147483648, 0, -1], "int32")).values).toEqual([-2147483648, -1, 0, 2147483647]);
    expect(everywhere((a) => a.argsort(), np.array([true, false, true, false])).values).toEqual([1, 3, 0, 2]);
    const x = np.array([[3, 1, 2], [0, 5, -1]]);
    expect(everywhere((a) => np.sort(a), x)).toEqual({ shape: [2, 3], dtype: "float32", values: [1, 2, 3, -1, 0, 5] });
    expect(everywhere((a) => np.argsort(a, 0), x).values).toEqual([1, 0, 1, 0, 1, 0]);
    expect(everywhere((a) => np.sort(a, { axis: 0 }), x).values).toEqual([0, 1, -1, 3, 5, 2]);
    expect(everywhere((a) => np.sort(a, null), x)).toEqual({ shape: [6], dtype: "float32", values: [-1, 0, 1, 2, 3, 5] });
    expect(everywhere((a) => np.sort(a, 1), np.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(() => np.sort(np.array(1))).toThrow(/out of range/);
  });
  it("give the same order in every tier on long lines with many ties (merge passes of every width)", () => {
    for (const n of [1, 2, 5, 17, 64, 100, 257]) {
      const vals = Array.from({ length: 3 * n }, (_, i) => [NaN, -0, 0, 1, 2][(i * 7919) % 5]! * ((i % 3) - 1) + ((i * 31) % 4));
      const x = np.array(vals, "float64").reshape([3, n]);
      everywhere((a) => np.argsort(a), x);
      everywhere((a) => np.sort(a), x);
      everywhere((a) => np.argsort(a.transpose(), 0), x);
    }
  });
});
