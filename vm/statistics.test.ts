// Hand-checked cases for var, std, logsumexp and outer (numpy's / jax's answers), each
// run eagerly and in every tier (which must agree bit for bit).

import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, TracerError, jit, np, type NDArray } from "../index.js";
import { everywhere } from "../testing/tiers.js";

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
const close = (got: number[], want: number[], rel: number) =>
  got.forEach((g, i) => (Number.isFinite(want[i]!) ? expect(Math.abs(g - want[i]!), `${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want[i]!))) : expect(show(g)).toBe(show(want[i]!))));

describe("var and std", () => {
  const x = np.array([[1, 2, 3], [4, 5, 7]], "float64");
  it("over all axes, an axis, axes, keepdims, ddof; axis as the 2nd argument or { axis, keepdims, ddof }", () => {
    expect(everywhere((a) => np.var(a), x).values[0]).toBeCloseTo(35 / 9, 14);
    close(everywhere((a) => np.var(a, 1), x).values, [2 / 3, 14 / 9], 1e-15);
    close(everywhere((a) => np.std(a, { axis: 0, ddof: 1 }), x).values, [Math.sqrt(4.5), Math.sqrt(4.5), Math.sqrt(8)], 1e-15);
    expect(everywhere((a) => np.var(a, [0, 1], true), x).shape).toEqual([1, 1]);
    expect(np.var(x, 0, { keepdims: true, ddof: 1 }).shape).toEqual([1, 3]);
    expect(np.var(x, { axis: -1, keepdims: true }).shape).toEqual([2, 1]);
    expect(x.std(1).toArray()).toEqual(np.std(x, 1).toArray());
    expect(x.var({ ddof: 1 }).item()).toBeCloseTo(35 / 9 * 6 / 5, 14);
  });
  it("int32 and bool compute in float32; int32 extremes are exact", () => {
    const i = np.array([I32_MIN, I32_MAX], "int32");
    const r = everywhere((a) => np.var(a), i);
    expect(r.dtype).toBe("float32");
    expect(r.values).toEqual([2 ** 62]);
    expect(everywhere((a) => np.std(a), i).values).toEqual([2 ** 31]);
    expect(everywhere((a) => np.var(a), np.array([true, false, true, false])).values).toEqual([0.25]);
  });
  it("NaN and ±Inf propagate as NaN; -0 rows give +0", () => {
    const f = np.array([[NaN, 1], [Infinity, 1], [-Infinity, -Infinity], [-0, -0]], "float32");
    expect(everywhere((a) => np.var(a, 1), f).values.map(show)).toEqual(["NaN", "NaN", "NaN", "0"]);
    expect(everywhere((a) => np.std(a, 1), f).values.map(show)).toEqual(["NaN", "NaN", "NaN", "0"]);
  });
  it("empty: NaN (0 / 0); ddof >= N divides by max(N - ddof, 0), as numpy (Inf or NaN)", () => {
    expect(everywhere((a) => np.var(a), np.zeros([0])).values.map(show)).toEqual(["NaN"]);
    expect(everywhere((a) => np.var(a, 1), np.zeros([2, 0])).values.map(show)).toEqual(["NaN", "NaN"]);
    expect(everywhere((a) => np.var(a, 0), np.zeros([0, 2])).values.map(show)).toEqual(["NaN", "NaN"]);
    expect(everywhere((a) => np.var(a, { ddof: 3 }), np.array([1, 2], "float64")).values.map(show)).toEqual(["Infinity"]);
    expect(everywhere((a) => np.var(a, { ddof: 1 }), np.array([5], "float64")).values.map(show)).toEqual(["NaN"]);
  });
  it("bad axis or ddof are named errors; ddof and axes are static", () => {
    expect(() => np.var(x, 2)).toThrow(ArgumentError);
    expect(() => np.var(x, { ddof: NaN })).toThrow(ArgumentError);
    expect(() => np.std(x, { ddof: "1" as never })).toThrow(ArgumentError);
    expect(() => jit((a: NDArray, d: number) => np.var(a, { ddof: d }))(x, 1)).toThrow(TracerError);
    expect(() => jit((a: NDArray, k: number) => np.var(a, k))(x, 1)).toThrow(TracerError);
  });
});

describe("logsumexp", () => {
  it("is stable: large values do not overflow; -Inf rows give -Inf, a +Inf gives +Inf, NaN gives NaN", () => {
    const f = np.array([[1000, 1000], [-Infinity, -Infinity], [Infinity, 1], [NaN, 1], [-Infinity, 0], [-0, -0], [-1e30, -1e30]], "float32");
    const r = everywhere((a) => np.logsumexp(a, 1), f);
    expect(r.dtype).toBe("float32");
    close(r.values, [1000 + Math.LN2, -Infinity, Infinity, NaN, 0, Math.LN2, -1e30], 2e-7);
    expect(r.values[4]).toBe(0);
    expect(everywhere((a) => np.logsumexp(a), np.full([3], -Infinity, "float64")).values).toEqual([-Infinity]);
  });
  it("float64, keepdims and options; int32 extremes compute in float32", () => {
    const d = np.array([[0, Math.log(2)], [Math.log(3), Math.log(5)]], "float64");
    close(everywhere((a) => np.logsumexp(a, { axis: 0, keepdims: true }), d).values, [Math.log(4), Math.log(7)], 1e-15);
    expect(np.logsumexp(d, 0, true).shape).toEqual([1, 2]);
    close(everywhere((a) => np.logsumexp(a), d).values, [Math.log(11)], 1e-15);
    const i = everywhere((a) => np.logsumexp(a), np.array([I32_MIN, I32_MAX], "int32"));
    expect(i).toEqual({ shape: [], dtype: "float32", values: [2 ** 31] });
  });
  it("empty reductions give -Inf (jax's initial -Inf); an empty kept axis stays empty", () => {
    expect(everywhere((a) => np.logsumexp(a), np.zeros([0])).values).toEqual([-Infinity]);
    expect(everywhere((a) => np.logsumexp(a, 1), np.zeros([2, 0])).values).toEqual([-Infinity, -Infinity]);
    expect(everywhere((a) => np.logsumexp(a, 1), np.zeros([0, 3])).shape).toEqual([0]);
  });
});

describe("outer", () => {
  it("flattens both operands and multiplies every pair", () => {
    expect(everywhere((a, b) => np.outer(a, b), np.array([1, 2], "float32"), np.array([[3, 4], [5, -0]], "float32"))).toEqual({ shape: [2, 4], dtype: "float32", values: [3, 4, 5, -0, 6, 8, 10, -0] });
    const s = everywhere((a, b) => np.outer(a, b), np.array([NaN, Infinity], "float64"), np.array([0, -1], "float64"));
    expect(s.values.map(show)).toEqual(["NaN", "NaN", "NaN", "-Infinity"]);
  });
  it("int32 wraps as numpy's; empty operands give empty matrices", () => {
    expect(everywhere((a, b) => np.outer(a, b), np.array([I32_MAX, I32_MIN], "int32"), np.array([2, -1], "int32")).values).toEqual([-2, -I32_MAX, 0, I32_MIN]);
    expect(everywhere((a, b) => np.outer(a, b), np.zeros([0]), np.ones([3])).shape).toEqual([0, 3]);
    expect(np.outer(5, [1, 2]).toArray()).toEqual([[5, 10]]);
  });
  it("a bad operand is a named error", () => {
    expect(() => np.outer([[1], [2, 3]] as never, [1])).toThrow(ShapeError);
  });
});
