// Hand-checked cases for the transcendentals of ir/math/transcendentals.ts (numpy's
// answers: special values, domain errors, -0, int32 and bool operands lifted to
// float32, empty arrays), each run eagerly and in every tier (bit for bit).

import { describe, expect, it } from "vitest";
import { np } from "../index.js";
import type { DType } from "../ir/dtype.js";
import { everywhere } from "../testing/tiers.js";

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
const arr = (xs: number[], dtype: DType) => np.array(xs, { dtype });
const fr = Math.fround;

function un(op: string, xs: number[], dtype: DType): string[] {
  return everywhere((x) => (np as any)[op](x), arr(xs, dtype)).values.map(show);
}

const SPECIAL = [0, -0, Infinity, -Infinity, NaN];

describe("log1p expm1 log2 log10 exp2", () => {
  it("special values and domain errors, float64 and float32", () => {
    for (const dt of ["float64", "float32"] as const) {
      expect(un("log1p", [...SPECIAL, -1, -2], dt)).toEqual(["0", "-0", "Infinity", "NaN", "NaN", "-Infinity", "NaN"]);
      expect(un("expm1", [...SPECIAL, 1e5, -1e5], dt)).toEqual(["0", "-0", "Infinity", "-1", "NaN", "Infinity", "-1"]);
      expect(un("log2", [...SPECIAL, -1, 1, 1024, 0.125], dt)).toEqual(["-Infinity", "-Infinity", "Infinity", "NaN", "NaN", "NaN", "0", "10", "-3"]);
      expect(un("log10", [...SPECIAL, -1, 1], dt)).toEqual(["-Infinity", "-Infinity", "Infinity", "NaN", "NaN", "NaN", "0"]);
      expect(un("exp2", [...SPECIAL, 10, -2, 1e5, -1e5], dt)).toEqual(["1", "1", "Infinity", "0", "NaN", "1024", "0.25", "Infinity", "0"]);
    }
  });
  it("accurate near 0 where the naive forms lose everything", () => {
    expect(un("log1p", [1e-20], "float64")).toEqual(["1e-20"]);
    expect(un("expm1", [1e-20], "float64")).toEqual(["1e-20"]);
    expect(un("log1p", [1e-10], "float32")).toEqual([String(fr(1e-10))]);
    expect(un("expm1", [-1e-10], "float32")).toEqual([String(fr(-1e-10))]);
  });
  it("int32 and bool operands lift to float32", () => {
    const r = everywhere((x) => np.log2(x), arr([1, 8, I32_MAX, I32_MIN, 0], "int32"));
    expect(r.dtype).toBe("float32");
    expect(r.values.map(show)).toEqual(["0", "3", "31", "NaN", "-Infinity"]);
    expect(everywhere((x) => np.exp2(x), arr([1, 0], "bool")).values).toEqual([2, 1]);
    expect(everywhere((x) => np.log1p(x), arr([I32_MAX], "int32")).values).toEqual([fr(Math.log1p(2 ** 31))]);
  });
  it("methods and empty arrays", () => {
    expect(np.array([1, 3]).log2().dtype).toBe("float32");
    expect(np.array([0.5]).expm1().toTypedArray()[0]).toBe(fr(Math.expm1(0.5)));
    for (const op of ["log1p", "expm1", "log2", "log10", "exp2"]) {
      const r = everywhere((x) => (np as any)[op](x), arr([], "float32"));
      expect(r.shape).toEqual([0]);
    }
  });
});

function bin(op: string, xs: number[], ys: number[], dtype: DType): string[] {
  return everywhere((x, y) => (np as any)[op](x, y), arr(xs, dtype), arr(ys, dtype)).values.map(show);
}

describe("hyperbolic, inverse trig, tan, erf, cbrt, atan2, hypot", () => {
  it("special values, -0 and domain errors in both float dtypes", () => {
    for (const dt of ["float64", "float32"] as const) {
      expect(un("sinh", SPECIAL, dt)).toEqual(["0", "-0", "Infinity", "-Infinity", "NaN"]);
      expect(un("cosh", SPECIAL, dt)).toEqual(["1", "1", "Infinity", "Infinity", "NaN"]);
      expect(un("asinh", SPECIAL, dt)).toEqual(["0", "-0", "Infinity", "-Infinity", "NaN"]);
      expect(un("acosh", [1, 0.5, Infinity, NaN, -Infinity], dt)).toEqual(["0", "NaN", "Infinity", "NaN", "NaN"]);
      expect(un("atanh", [0, -0, 1, -1, 2, NaN], dt)).toEqual(["0", "-0", "Infinity", "-Infinity", "NaN", "NaN"]);
      expect(un("cbrt", [...SPECIAL, 8, -27], dt)).toEqual(["0", "-0", "Infinity", "-Infinity", "NaN", "2", "-3"]);
      expect(un("atan", SPECIAL, dt).slice(0, 2)).toEqual(["0", "-0"]);
      expect(un("asin", [0, -0, 2, -2, NaN, 1], dt).slice(0, 5)).toEqual(["0", "-0", "NaN", "NaN", "NaN"]);
      expect(un("acos", [1, 2, NaN], dt)).toEqual(["0", "NaN", "NaN"]);
      expect(un("tan", [0, -0, Infinity, -Infinity, NaN], dt)).toEqual(["0", "-0", "NaN", "NaN", "NaN"]);
      expect(un("erf", SPECIAL, dt)).toEqual(["0", "-0", "1", "-1", "NaN"]);
      expect(bin("hypot", [3, Infinity, NaN, 0, -0], [4, NaN, 1, 0, -0], dt)).toEqual(["5", "Infinity", "NaN", "0", "0"]);
      expect(bin("atan2", [0, -0, 0, -0, NaN], [1, 1, -1, -1, 1], dt).slice(0, 2)).toEqual(["0", "-0"]);
    }
    const pi = String(Math.PI);
    expect(bin("atan2", [0, -0, 1, 1, -1], [-0, -0, 0, Infinity, Infinity], "float64")).toEqual([pi, `-${pi}`, String(Math.PI / 2), "0", "-0"]);
    expect(bin("atan2", [Infinity, -Infinity], [Infinity, -Infinity], "float64")).toEqual([String(Math.PI / 4), String((-3 * Math.PI) / 4)]);
    expect(un("atan", [Infinity, -Infinity], "float64")).toEqual([String(Math.PI / 2), String(-Math.PI / 2)]);
    expect(un("acos", [-1], "float64")).toEqual([pi]);
  });
  it("overflow where the true value overflows, not before", () => {
    expect(un("sinh", [89, 90, 710, 711], "float64").map((v) => v === "Infinity")).toEqual([false, false, false, true]);
    expect(un("cosh", [89, 90], "float32")).toEqual([String(fr(Math.cosh(89))), "Infinity"]);
    expect(bin("hypot", [3e38, 1e308], [3e38, 1e308], "float64")).toEqual([String(Math.hypot(3e38, 3e38)), String(Math.hypot(1e308, 1e308))]);
    expect(bin("hypot", [3e38], [3e38], "float32")).toEqual(["Infinity"]);
    expect(bin("hypot", [2e38], [1e38], "float32")).toEqual([String(fr(Math.hypot(fr(2e38), fr(1e38))))]);
    expect(un("asinh", [1e300, -1e300], "float64")).toEqual(["691.4686750787737", "-691.4686750787737"]); // mpmath: 691.46867507877365057
  });
  it("int32 extremes lift to float32; empty arrays", () => {
    const r = everywhere((x) => np.cbrt(x), arr([I32_MAX, I32_MIN, -8, 0], "int32"));
    expect(r.dtype).toBe("float32");
    expect(r.values).toEqual([fr(Math.cbrt(2 ** 31)), fr(-Math.cbrt(2 ** 31)), -2, 0]);
    expect(everywhere((x, y) => np.hypot(x, y), arr([I32_MIN], "int32"), arr([0], "int32")).values).toEqual([2 ** 31]);
    for (const op of ["sinh", "cosh", "asinh", "acosh", "atanh", "cbrt", "atan", "asin", "acos", "tan", "erf"]) {
      expect(everywhere((x) => (np as any)[op](x), arr([], "float64")).shape).toEqual([0]);
    }
    expect(everywhere((x, y) => np.atan2(x, y), arr([], "float32"), arr([], "float32")).shape).toEqual([0]);
    expect(np.array([0.5]).erf().dtype).toBe("float32");
  });
});
