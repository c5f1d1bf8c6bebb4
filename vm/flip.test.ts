import { describe, expect, it } from "vitest";
import { np, ArgumentError } from "../index.js";
import { everywhere } from "../testing/tiers.js";

describe("flip", () => {
  it("reverses along every axis, one axis or several, in every tier", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]]);
    expect(everywhere((a) => np.flip(a), x)).toEqual({ shape: [2, 3], dtype: "float32", values: [6, 5, 4, 3, 2, 1] });
    expect(everywhere((a) => np.flip(a, 0), x).values).toEqual([4, 5, 6, 1, 2, 3]);
    expect(everywhere((a) => a.flip(-1), x).values).toEqual([3, 2, 1, 6, 5, 4]);
    expect(everywhere((a) => np.flip(a, [0, 1]).add(1), x).values).toEqual([7, 6, 5, 4, 3, 2]);
    const y = np.array([NaN, -0, 2147483647], "float64");
    expect(everywhere((a) => np.flip(a), y).values.map((v) => (Object.is(v, -0) ? "-0" : String(v)))).toEqual(["2147483647", "-0", "NaN"]);
    expect(everywhere((a) => np.flip(a, 1), np.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(everywhere((a) => np.flip(a).mul(2), np.arange(24).reshape([2, 3, 4])).values[0]).toBe(46);
  });
  it("rejects a bad axis by name", () => {
    expect(() => np.flip(np.ones([2]), 1)).toThrow(/out of range/);
    expect(() => np.flip(np.ones([2]), "0" as any)).toThrow(ArgumentError);
  });
});
