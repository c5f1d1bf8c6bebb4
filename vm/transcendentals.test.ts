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
