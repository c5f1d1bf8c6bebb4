import { describe, expect, it } from "vitest";
import { np, ArgumentError, ShapeError, type NDArray } from "../index.js";
import { everywhere } from "../testing/tiers.js";

// Expected values computed with numpy 2.4 (the same expressions, float32).
const CASES: [string, (a: NDArray, b: NDArray, v: NDArray) => NDArray, number[], number[]][] = [
  ["np.concatenate([a, a.mul(2)], 1)", (a: NDArray, b: NDArray, v: NDArray) => np.concatenate([a, a.mul(2)], 1), [2, 6, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46]],
  ["np.concatenate([a, a.add(1)], -1)", (a: NDArray, b: NDArray, v: NDArray) => np.concatenate([a, a.add(1)], -1), [2, 3, 8], [0, 1, 2, 3, 1, 2, 3, 4, 4, 5, 6, 7, 5, 6, 7, 8, 8, 9, 10, 11, 9, 10, 11, 12, 12, 13, 14, 15, 13, 14, 15, 16, 16, 17, 18, 19, 17, 18, 19, 20, 20, 21, 22, 23, 21, 22, 23, 24]],
  ["np.concatenate([a, a], null)", (a: NDArray, b: NDArray, v: NDArray) => np.concatenate([a, a], null), [48], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  ["np.stack([b, b.mul(3)], 0)", (a: NDArray, b: NDArray, v: NDArray) => np.stack([b, b.mul(3)], 0), [2, 2, 3], [0, 1, 2, 3, 4, 5, 0, 3, 6, 9, 12, 15]],
  ["np.stack([b, b.mul(3), b], 2)", (a: NDArray, b: NDArray, v: NDArray) => np.stack([b, b.mul(3), b], 2), [2, 3, 3], [0, 0, 0, 1, 3, 1, 2, 6, 2, 3, 9, 3, 4, 12, 4, 5, 15, 5]],
  ["np.stack([b, b.neg()], -1)", (a: NDArray, b: NDArray, v: NDArray) => np.stack([b, b.neg()], -1), [2, 3, 2], [0, -0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5]],
  ["np.split(a, 2, 2)[1]!", (a: NDArray, b: NDArray, v: NDArray) => np.split(a, 2, 2)[1]!, [2, 3, 2], [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23]],
  ["np.split(a, [1, -1], 1)[1]!", (a: NDArray, b: NDArray, v: NDArray) => np.split(a, [1, -1], 1)[1]!, [2, 1, 4], [4, 5, 6, 7, 16, 17, 18, 19]],
  ["np.split(a, [3, 1], 2)[1]!", (a: NDArray, b: NDArray, v: NDArray) => np.split(a, [3, 1], 2)[1]!, [2, 3, 0], []],
  ["np.split(a, [3, 1], 2)[2]!", (a: NDArray, b: NDArray, v: NDArray) => np.split(a, [3, 1], 2)[2]!, [2, 3, 3], [1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23]],
  ["np.split(a, [10], 2)[0]!", (a: NDArray, b: NDArray, v: NDArray) => np.split(a, [10], 2)[0]!, [2, 3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  ["np.pad(b, 2)", (a: NDArray, b: NDArray, v: NDArray) => np.pad(b, 2), [6, 7], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
  ["np.pad(b, [1, 2], { constantValues: 7 })", (a: NDArray, b: NDArray, v: NDArray) => np.pad(b, [1, 2], { constantValues: 7 }), [5, 6], [7, 7, 7, 7, 7, 7, 7, 0, 1, 2, 7, 7, 7, 3, 4, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]],
  ["np.pad(b, [[0, 1], [2, 0]], { constantValues: [[-1, -2], [-3, -4]] })", (a: NDArray, b: NDArray, v: NDArray) => np.pad(b, [[0, 1], [2, 0]], { constantValues: [[-1, -2], [-3, -4]] }), [3, 5], [-3, -3, 0, 1, 2, -3, -3, 3, 4, 5, -3, -3, -2, -2, -2]],
  ["np.pad(b, [[1, 2], [3, 1]], { mode: 'edge' })", (a: NDArray, b: NDArray, v: NDArray) => np.pad(b, [[1, 2], [3, 1]], { mode: 'edge' }), [5, 7], [0, 0, 0, 0, 1, 2, 2, 0, 0, 0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 5, 5, 3, 3, 3, 3, 4, 5, 5, 3, 3, 3, 3, 4, 5, 5]],
  ["np.pad(b, [[1, 2], [5, 4]], { mode: 'reflect' })", (a: NDArray, b: NDArray, v: NDArray) => np.pad(b, [[1, 2], [5, 4]], { mode: 'reflect' }), [5, 12], [4, 3, 4, 5, 4, 3, 4, 5, 4, 3, 4, 5, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 4, 3, 4, 5, 4, 3, 4, 5, 4, 3, 4, 5, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 4, 3, 4, 5, 4, 3, 4, 5, 4, 3, 4, 5]],
  ["np.pad(v, 9, { mode: 'reflect' })", (a: NDArray, b: NDArray, v: NDArray) => np.pad(v, 9, { mode: 'reflect' }), [23], [1, 0, 1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3, 4, 3]],
  ["np.tile(b, [2, 3])", (a: NDArray, b: NDArray, v: NDArray) => np.tile(b, [2, 3]), [4, 9], [0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5]],
  ["np.tile(v, [2, 1, 2])", (a: NDArray, b: NDArray, v: NDArray) => np.tile(v, [2, 1, 2]), [2, 1, 10], [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]],
  ["np.tile(a, 2)", (a: NDArray, b: NDArray, v: NDArray) => np.tile(a, 2), [2, 3, 8], [0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11, 12, 13, 14, 15, 12, 13, 14, 15, 16, 17, 18, 19, 16, 17, 18, 19, 20, 21, 22, 23, 20, 21, 22, 23]],
  ["np.repeat(b, 2)", (a: NDArray, b: NDArray, v: NDArray) => np.repeat(b, 2), [12], [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]],
  ["np.repeat(b, [1, 0, 3], 1)", (a: NDArray, b: NDArray, v: NDArray) => np.repeat(b, [1, 0, 3], 1), [2, 4], [0, 2, 2, 2, 3, 5, 5, 5]],
  ["b.repeat(3, 0)", (a: NDArray, b: NDArray, v: NDArray) => b.repeat(3, 0), [6, 3], [0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5]],
  ["np.roll(a, 5)", (a: NDArray, b: NDArray, v: NDArray) => np.roll(a, 5), [2, 3, 4], [19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]],
  ["np.roll(a, -1, 2)", (a: NDArray, b: NDArray, v: NDArray) => np.roll(a, -1, 2), [2, 3, 4], [1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 17, 18, 19, 16, 21, 22, 23, 20]],
  ["np.roll(a, [1, 2], [1, 2])", (a: NDArray, b: NDArray, v: NDArray) => np.roll(a, [1, 2], [1, 2]), [2, 3, 4], [10, 11, 8, 9, 2, 3, 0, 1, 6, 7, 4, 5, 22, 23, 20, 21, 14, 15, 12, 13, 18, 19, 16, 17]],
  ["np.roll(a, [1, 2], [2, 2])", (a: NDArray, b: NDArray, v: NDArray) => np.roll(a, [1, 2], [2, 2]), [2, 3, 4], [1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 17, 18, 19, 16, 21, 22, 23, 20]],
  ["np.roll(a, 7, [0, 1])", (a: NDArray, b: NDArray, v: NDArray) => np.roll(a, 7, [0, 1]), [2, 3, 4], [20, 21, 22, 23, 12, 13, 14, 15, 16, 17, 18, 19, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7]],
  ["np.flip(a, [0, 2])", (a: NDArray, b: NDArray, v: NDArray) => np.flip(a, [0, 2]), [2, 3, 4], [15, 14, 13, 12, 19, 18, 17, 16, 23, 22, 21, 20, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8]],
  ["np.flip(a, -1)", (a: NDArray, b: NDArray, v: NDArray) => np.flip(a, -1), [2, 3, 4], [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 19, 18, 17, 16, 23, 22, 21, 20]],
  ["np.ravel(a)", (a: NDArray, b: NDArray, v: NDArray) => np.ravel(a), [24], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  ["np.moveaxis(a, 0, -1)", (a: NDArray, b: NDArray, v: NDArray) => np.moveaxis(a, 0, -1), [3, 4, 2], [0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23]],
  ["np.moveaxis(a, [0, 1], [2, 0])", (a: NDArray, b: NDArray, v: NDArray) => np.moveaxis(a, [0, 1], [2, 0]), [3, 4, 2], [0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23]],
  ["np.swapaxes(a, 0, 2)", (a: NDArray, b: NDArray, v: NDArray) => np.swapaxes(a, 0, 2), [4, 3, 2], [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]],
  ["a.swapaxes(-1, 1)", (a: NDArray, b: NDArray, v: NDArray) => a.swapaxes(-1, 1), [2, 4, 3], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23]],
  ["a.ravel()", (a: NDArray, b: NDArray, v: NDArray) => a.ravel(), [24], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  ["np.concatenate([np.pad(v, [2, 0]), np.flip(v)]).mul(2)", (a: NDArray, b: NDArray, v: NDArray) => np.concatenate([np.pad(v, [2, 0]), np.flip(v)]).mul(2), [12], [0, 0, 0, 2, 4, 6, 8, 8, 6, 4, 2, 0]],
];

describe("assembly (concatenate, stack, split, pad, tile, repeat, roll, flip, ravel, moveaxis, swapaxes)", () => {
  const a = np.arange(24).reshape([2, 3, 4]);
  const b = np.arange(6).reshape([2, 3]);
  const v = np.arange(5);
  for (const [name, f, shape, values] of CASES) {
    it(`${name} matches numpy eagerly and in every tier`, () => {
      const r = everywhere(f, a, b, v);
      expect(r.shape).toEqual(shape);
      expect(r.values).toEqual(values);
    });
  }
});

describe("assembly errors name the user's shapes and axes", () => {
  it("refuses mismatched shapes, bad sections and bad widths", () => {
    expect(() => np.concatenate([np.ones([2, 3]), np.ones([2, 4])], 0)).toThrow(ShapeError);
    expect(() => np.concatenate([np.ones([2, 3]), np.ones([2, 4])], 0)).toThrow(/array 0 has shape .*array 1 has/);
    expect(() => np.concatenate([np.ones([2]), np.ones([2, 1])])).toThrow(ShapeError);
    expect(() => np.concatenate([1, 2])).toThrow(/zero-dimensional/);
    expect(() => np.concatenate([] as never)).toThrow(ArgumentError);
    expect(() => np.stack([np.ones([2]), np.ones([3])])).toThrow(/same shape/);
    expect(() => np.split(np.ones([5]), 2)).toThrow(ShapeError);
    expect(() => np.split(np.ones([5]), 2)).toThrow(/size 5, not divisible into 2/);
    expect(() => np.pad(np.ones([2]), -1)).toThrow(ArgumentError);
    expect(() => np.pad(np.ones([2, 2]), [[1, 1], [1, 1], [1, 1]])).toThrow(ArgumentError);
    expect(() => np.pad(np.ones([0]), 1, { mode: "edge" })).toThrow(/empty/);
    expect(() => np.pad(np.ones([2]), 1, { mode: "wrap" as never })).toThrow(ArgumentError);
    expect(() => np.repeat(np.ones([3]), [1, 2])).toThrow(ShapeError);
    expect(() => np.roll(np.ones([3, 2]), [1, 2, 3], [0, 1])).toThrow(ShapeError);
    expect(() => np.moveaxis(np.ones([3, 2]), [0, 0], [0, 1])).toThrow(/repeated/);
    expect(() => np.swapaxes(np.ones([3, 2]), 0, 2)).toThrow(/out of range/);
    expect(() => np.concatenate([np.ones([2])], 1)).toThrow(/out of range/);
  });
  it("promotes dtypes as numpy does and keeps -0 and NaN bits", () => {
    const r = everywhere((x, y) => np.concatenate([x, y]), np.array([1, 2], "int32"), np.array([-0, NaN], "float32"));
    expect(r.dtype).toBe("float32");
    expect(r.values.map(String)).toEqual(["1", "2", "0", "NaN"]);
    expect(Object.is(r.values[2], -0)).toBe(true);
    expect(everywhere((x) => np.pad(x, 2, { constantValues: 1 }), np.array([true, false])).values).toEqual([1, 1, 1, 0, 1, 1]);
  });
});
