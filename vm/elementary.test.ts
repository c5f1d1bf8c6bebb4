// Hand-checked cases for the rounding, predicate, logical, bitwise, shift and division
// ops (numpy's answers), each run eagerly and in every tier (which must agree bit for bit).

import { describe, expect, it } from "vitest";
import { DTypeError, np, type NDArray } from "../index.js";
import type { DType } from "../ir/dtype.js";
import { everywhere } from "../testing/tiers.js";

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
const arr = (xs: number[], dtype: DType) => np.array(xs, { dtype });

function un(op: string, xs: number[], dtype: DType): string[] {
  return everywhere((x) => (np as any)[op](x), arr(xs, dtype)).values.map(show);
}
function bin(op: string, xs: number[], ys: number[], dtype: DType): string[] {
  return everywhere((x, y) => (np as any)[op](x, y), arr(xs, dtype), arr(ys, dtype)).values.map(show);
}

describe("rounding", () => {
  const xs = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.4999999, -0.3, -0, 0, 2 ** 53 + 2, NaN, Infinity, -Infinity, 1e-300];
  it("round is half to even and keeps -0 (float64 and float32)", () => {
    expect(un("round", xs, "float64")).toEqual(["0", "2", "2", "-0", "-2", "-2", "0", "-0", "-0", "0", String(2 ** 53 + 2), "NaN", "Infinity", "-Infinity", "0"]);
    expect(un("round", [0.5, 1.5, 2.5, -2.5, 8388609, -0.7], "float32")).toEqual(["0", "2", "2", "-2", "8388609", "-1"]);
  });
  it("trunc rounds toward 0; both are the identity on int32", () => {
    expect(un("trunc", [1.7, -1.7, -0.2, NaN, -Infinity], "float64")).toEqual(["1", "-1", "-0", "NaN", "-Infinity"]);
    expect(un("round", [I32_MAX, I32_MIN, 3], "int32")).toEqual([String(I32_MAX), String(I32_MIN), "3"]);
    expect(un("trunc", [I32_MIN], "int32")).toEqual([String(I32_MIN)]);
  });
  it("reciprocal: 1/x, ints as float32", () => {
    expect(un("reciprocal", [2, -0, 0, Infinity, NaN, 3], "float32")).toEqual(["0.5", "-Infinity", "Infinity", "0", "NaN", String(Math.fround(1 / 3))]);
    expect(np.reciprocal(arr([4], "int32")).dtype).toBe("float32");
  });
  it("empty arrays keep their dtype", () => {
    for (const op of ["round", "isnan", "logicalNot", "bitwiseNot"]) {
      const r = everywhere((x) => (np as any)[op](x), arr([], "int32"));
      expect(r.shape).toEqual([0]);
    }
  });
});

describe("predicates give bool", () => {
  const xs = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-310];
  it("isnan isinf isfinite signbit logicalNot on float64", () => {
    expect(un("isnan", xs, "float64")).toEqual(["0", "0", "0", "0", "1", "0", "0", "0"]);
    expect(un("isinf", xs, "float64")).toEqual(["0", "0", "0", "0", "0", "1", "1", "0"]);
    expect(un("isfinite", xs, "float64")).toEqual(["1", "1", "1", "1", "0", "0", "0", "1"]);
    expect(un("signbit", xs, "float64")).toEqual(["0", "1", "0", "1", "0", "0", "1", "0"]);
    expect(un("logicalNot", xs, "float64")).toEqual(["1", "1", "0", "0", "0", "0", "0", "0"]);
    expect(np.isnan(arr(xs, "float32")).dtype).toBe("bool");
  });
  it("on int32: never NaN or Inf; signbit is x < 0", () => {
    const ints = [0, I32_MIN, I32_MAX, -1];
    expect(un("isnan", ints, "int32")).toEqual(["0", "0", "0", "0"]);
    expect(un("isfinite", ints, "int32")).toEqual(["1", "1", "1", "1"]);
    expect(un("signbit", ints, "int32")).toEqual(["0", "1", "0", "1"]);
    expect(un("logicalNot", ints, "int32")).toEqual(["1", "0", "0", "0"]);
  });
});

describe("logical and bitwise ops", () => {
  it("logicalAnd/Or/Xor on truth values (NaN is true)", () => {
    const a = [0, 0, 1, NaN, -0, 2];
    const b = [0, 3, -1, 1, 5, 0];
    expect(bin("logicalAnd", a, b, "float64")).toEqual(["0", "0", "1", "1", "0", "0"]);
    expect(bin("logicalOr", a, b, "float64")).toEqual(["0", "1", "1", "1", "1", "1"]);
    expect(bin("logicalXor", a, b, "float64")).toEqual(["0", "1", "0", "0", "1", "1"]);
    expect(bin("logicalAnd", [I32_MIN, 0], [I32_MAX, 1], "int32")).toEqual(["1", "0"]);
  });
  it("bitwise ops on int32 and bool; float operands are a DTypeError", () => {
    expect(bin("bitwiseAnd", [12, -1, I32_MIN], [10, I32_MAX, -1], "int32")).toEqual(["8", String(I32_MAX), String(I32_MIN)]);
    expect(bin("bitwiseOr", [12, I32_MIN], [3, 1], "int32")).toEqual(["15", String(I32_MIN + 1)]);
    expect(bin("bitwiseXor", [12, -1], [10, I32_MAX], "int32")).toEqual(["6", String(I32_MIN)]);
    expect(un("bitwiseNot", [0, -1, I32_MAX, I32_MIN], "int32")).toEqual(["-1", "0", String(I32_MIN), String(I32_MAX)]);
    expect(un("bitwiseNot", [0, 1], "bool")).toEqual(["1", "0"]);
    const t = np.array([true, false, true]);
    expect(np.bitwiseAnd(t, np.array([true, true, false])).toArray()).toEqual([true, false, false]);
    expect(() => np.bitwiseAnd(np.array([1.5]), 1)).toThrow(DTypeError);
    expect(() => np.leftShift(np.array([1.5]), 1)).toThrow(/float32 operands are not supported/);
  });
  it("shifts: numpy's answers outside [0, 32); rightShift is arithmetic", () => {
    expect(bin("leftShift", [1, 1, 1, 1, -1, 3], [0, 31, 32, -1, 4, 33], "int32")).toEqual(["1", String(I32_MIN), "0", "0", "-16", "0"]);
    expect(bin("rightShift", [-16, I32_MIN, -5, 5, -5, 7], [2, 31, 40, 32, -1, 0], "int32")).toEqual(["-4", "-1", "-1", "0", "-1", "7"]);
    expect(np.leftShift(np.array([true]), np.array([true])).toArray()).toEqual([2]);
  });
});

describe("division family (numpy)", () => {
  it("int32 mod, fmod and floorDivide are exact over all of int32, x / 0 gives 0", () => {
    const a = [7, -7, 7, -7, 0, I32_MAX, I32_MIN, I32_MIN, 5, I32_MIN, -1];
    const b = [3, 3, -3, -3, 3, 3, -1, 0, 0, I32_MAX, I32_MIN];
    expect(bin("mod", a, b, "int32")).toEqual(["1", "2", "-2", "-1", "0", "1", "0", "0", "0", String(I32_MAX - 1), "-1"]);
    expect(bin("fmod", a, b, "int32")).toEqual(["1", "-1", "1", "-1", "0", "1", "0", "0", "0", "-1", "-1"]);
    expect(bin("floorDivide", a, b, "int32")).toEqual(["2", "-3", "-3", "2", "0", "715827882", String(I32_MIN), "0", "0", "-2", "0"]);
    // The formula the issue quotes, a - floor(a / 3) * 3, gives -65 on 2147483647; mod gives 1.
    expect(np.mod(arr([I32_MAX], "int32"), 3).toArray()).toEqual([1]);
    expect(np.remainder(arr([-7], "int32"), 3).toArray()).toEqual([2]);
  });
  it("float mod has the divisor's sign, fmod the dividend's; specials as numpy", () => {
    const a = [5.5, -5.5, 5.5, -5.5, 0, -0, 1e300, 1e-310, Infinity, 3, -1, 1, 7, -6];
    const b = [2, 2, -2, -2, 3, -3, 3e-300, 3e-320, 2, 0, Infinity, -Infinity, NaN, 3];
    expect(bin("mod", a, b, "float64")).toEqual(["1.5", "0.5", "-0.5", "-1.5", "0", "-0", "9.626317689605992e-301", "4.125e-321", "NaN", "NaN", "Infinity", "-Infinity", "NaN", "0"]);
    expect(bin("fmod", a, b, "float64")).toEqual(["1.5", "-1.5", "1.5", "-1.5", "0", "-0", "9.626317689605992e-301", "4.125e-321", "NaN", "NaN", "-1", "1", "NaN", "-0"]);
    expect(bin("floorDivide", a, b, "float64")).toEqual(["2", "-3", "-3", "2", "0", "0", String(np.floorDivide(1e300, 3e-300).item()), "3333370443", "NaN", "Infinity", "-1", "-1", "NaN", "-2"]);
    expect(bin("mod", [5.5, -1e-45, 3.4e38], [-2, 1, 1e-45], "float32")).toEqual(["-0.5", "1", "0"]);
    expect(bin("fmod", [3.4e38, -7], [1e-45, 0.75], "float32")).toEqual(["0", "-0.25"]);
  });
  it("copysign: |x| with y's sign (-0 counts as negative, NaN as positive)", () => {
    expect(bin("copysign", [1, 1, -2, 3, NaN, 0], [-0, 0, 5, -Infinity, -1, -1], "float64")).toEqual(["-1", "1", "2", "-3", "NaN", "-0"]);
    expect(bin("copysign", [-2], [NaN], "float32")).toEqual(["2"]);
  });
  it("mod with a JS number keeps int32", () => {
    const r = np.mod(arr([-7, 8], "int32"), 3) as NDArray;
    expect(r.dtype).toBe("int32");
    expect(r.toArray()).toEqual([2, 2]);
  });
});
