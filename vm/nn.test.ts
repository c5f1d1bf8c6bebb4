// Hand-checked cases for the nn namespace (jax.nn's answers), each run eagerly and in
// every tier (which must agree bit for bit).

import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, SizeError, TierjitError, TracerError, jit, nn, np, type NDArray } from "../index.js";
import { everywhere } from "../testing/tiers.js";

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
/** Within rel * |want| + abs (abs: float32 subnormals, cancellation in 1 + tanh near -1). */
const close = (got: number[], want: number[], rel: number, abs = 0) =>
  got.forEach((g, i) => (Number.isFinite(want[i]!) ? expect(Math.abs(g - want[i]!), `${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(rel * Math.abs(want[i]!) + abs) : expect(show(g)).toBe(show(want[i]!))));
const SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 1, -1];

describe("activations", () => {
  it("relu: max(x, 0), NaN stays NaN, -0 gives +0; int32 stays int32", () => {
    expect(everywhere((x) => nn.relu(x), np.array(SPECIAL, "float32")).values.map(show)).toEqual(["NaN", "Infinity", "0", "0", "0", "1", "0"]);
    expect(everywhere((x) => nn.relu(x), np.array([I32_MIN, I32_MAX, -1], "int32"))).toEqual({ shape: [3], dtype: "int32", values: [0, I32_MAX, 0] });
  });
  it("softplus does not overflow and keeps tiny results (log1p(exp(-|x|)))", () => {
    const xs = [-100, -20, -1, 0, 1, 20, 100, 1e30];
    const want = xs.map((x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
    close(everywhere((x) => nn.softplus(x), np.array(xs, "float32")).values, want, 4e-7, 2 ** -147); // softplus(-100) is a float32 subnormal
    close(everywhere((x) => nn.softplus(x), np.array(xs, "float64")).values, want, 1e-15);
    expect(everywhere((x) => nn.softplus(x), np.array([NaN, Infinity, -Infinity], "float32")).values.map(show)).toEqual(["NaN", "Infinity", "0"]);
    expect(nn.softplus(np.array([I32_MAX], "int32")).toArray()).toEqual([2 ** 31]);
  });
  it("sigmoid, silu and gelu (tanh approximation, jax's order of operations)", () => {
    const xs = [-3, -1, -0, 0.5, 2, 10];
    close(everywhere((x) => nn.sigmoid(x), np.array(xs, "float64")).values, xs.map((x) => 1 / (1 + Math.exp(-x))), 1e-15);
    close(everywhere((x) => nn.silu(x), np.array(xs, "float64")).values, xs.map((x) => x / (1 + Math.exp(-x))), 1e-15);
    const g = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    close(everywhere((x) => nn.gelu(x), np.array(xs, "float64")).values, xs.map(g), 1e-15);
    close(everywhere((x) => nn.gelu(x, { approximate: true }), np.array(xs, "float32")).values, xs.map(g), 1e-6, 1e-7);
    expect(everywhere((x) => nn.gelu(x), np.array([NaN, Infinity, -Infinity, -0], "float32")).values.map(show)).toEqual(["NaN", "Infinity", "NaN", "-0"]);
    expect(everywhere((x) => nn.silu(x), np.array([NaN, Infinity, -0], "float32")).values.map(show)).toEqual(["NaN", "Infinity", "-0"]);
  });
  it("gelu's exact form is x (erf(x / sqrt 2) + 1) / 2 in every tier; a bad option is an ArgumentError", () => {
    const x = np.array([1], "float32");
    // scipy: x * norm.cdf(x) at 1, -1, 3 and 0.
    close(everywhere((a) => nn.gelu(a, { approximate: false }), np.array([1, -1, 3, 0], "float64")).values, [0.8413447460685429, -0.15865525393145707, 2.99595030590511, 0], 1e-15);
    close(everywhere((a) => nn.gelu(a, false), np.array([1, -1], "float32")).values, [0.8413447460685429, -0.15865525393145707], 1e-6);
    expect(everywhere((a) => nn.gelu(a, { approximate: false }), np.array([NaN, Infinity, -Infinity, -0], "float32")).values.map(show)).toEqual(["NaN", "Infinity", "NaN", "-0"]);
    expect(() => nn.gelu(x, { approximate: "yes" as never })).toThrow(ArgumentError);
    expect(() => nn.gelu(x, 3 as never)).toThrow(TierjitError);
  });
  it("empty arrays keep their shape", () => {
    for (const f of [nn.relu, nn.sigmoid, nn.softplus, nn.silu, nn.gelu]) expect(everywhere((x) => f(x), np.zeros([0, 2])).shape).toEqual([0, 2]);
  });
});

describe("softmax and logSoftmax", () => {
  const x = np.array([[1, 2, 3], [1000, 1000, -Infinity], [-Infinity, -Infinity, -Infinity]], "float32");
  it("max-subtracted: large rows are fine; a row of -Inf is NaN (as jax)", () => {
    const e = [1, 2, 3].map((v) => Math.exp(v - 3));
    const z = e.reduce((a, b) => a + b);
    const r = everywhere((a) => nn.softmax(a), x);
    close(r.values.slice(0, 6), [...e.map((v) => v / z), 0.5, 0.5, 0], 3e-7);
    expect(r.values.slice(6).map(show)).toEqual(["NaN", "NaN", "NaN"]);
    const l = everywhere((a) => nn.logSoftmax(a), x);
    close(l.values.slice(0, 6), [...e.map((v) => Math.log(v / z)), -Math.LN2, -Math.LN2, -Infinity], 3e-7);
    expect(l.values.slice(6).map(show)).toEqual(["NaN", "NaN", "NaN"]);
  });
  it("axis (default -1), a list, null (all), { axis }; rows sum to 1", () => {
    const d = np.array([[0, 1], [2, 3]], "float64");
    close(everywhere((a) => nn.softmax(a, 0), d).values, [1 / (1 + Math.E ** 2), 1 / (1 + Math.E ** 2), 1 / (1 + Math.E ** -2), 1 / (1 + Math.E ** -2)], 1e-15);
    expect(nn.softmax(d, { axis: 0 }).toArray()).toEqual(nn.softmax(d, 0).toArray());
    const all = everywhere((a) => nn.softmax(a, null), d).values;
    expect(all.reduce((a, b) => a + b)).toBeCloseTo(1, 15);
    expect(nn.softmax(d, [0, 1]).toArray()).toEqual(nn.softmax(d, null).toArray());
    close(everywhere((a) => nn.logSoftmax(a, [0, 1]), d).values, [0, 1, 2, 3].map((v) => v - Math.log(1 + Math.E + Math.E ** 2 + Math.E ** 3)), 1e-15);
  });
  it("int32 extremes compute in float32; empty axes give empty arrays; a bad axis is an error", () => {
    expect(everywhere((a) => nn.softmax(a), np.array([I32_MIN, I32_MAX], "int32")).values).toEqual([0, 1]);
    expect(everywhere((a) => nn.softmax(a), np.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(everywhere((a) => nn.logSoftmax(a, 0), np.zeros([0, 2])).shape).toEqual([0, 2]);
    expect(() => nn.softmax(x, 2)).toThrow(ArgumentError);
    expect(() => jit((a: NDArray, k: number) => nn.softmax(a, k))(x, 0)).toThrow(TracerError);
  });
  it("nn.logsumexp is np.logsumexp", () => {
    expect(nn.logsumexp).toBe(np.logsumexp);
  });
});

describe("oneHot", () => {
  it("int32 indices to float32 rows; out of range (negative, >= n, int32 extremes) is a row of zeros", () => {
    const r = everywhere((i) => nn.oneHot(i, 3), np.array([0, 2, -1, 3, I32_MAX, I32_MIN], "int32"));
    expect(r.shape).toEqual([6, 3]);
    expect(r.dtype).toBe("float32");
    expect(r.values).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it("float indices compare as numbers (2.5 and NaN: zeros); any shape; a dtype; n = 0", () => {
    expect(everywhere((i) => nn.oneHot(i, 3), np.array([1, 2.5, NaN, -0], "float32")).values).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(nn.oneHot(np.array([[0], [1]], "int32"), 2, { dtype: "int32" })).toMatchObject({ shape: [2, 1, 2], dtype: "int32" });
    expect(nn.oneHot(np.array([1, 0], "int32"), 2, "bool").toArray()).toEqual([[false, true], [true, false]]);
    expect(everywhere((i) => nn.oneHot(i, 0), np.array([1], "int32")).shape).toEqual([1, 0]);
    expect(everywhere((i) => nn.oneHot(i, 4), np.zeros([0], "int32")).shape).toEqual([0, 4]);
  });
  it("n must be a static non-negative integer; too large is a SizeError", () => {
    const i = np.array([0], "int32");
    expect(() => nn.oneHot(i, -1)).toThrow(ArgumentError);
    expect(() => nn.oneHot(i, 2.5)).toThrow(ArgumentError);
    expect(() => nn.oneHot(i, 1e12)).toThrow(SizeError);
    expect(() => nn.oneHot(i, 2, { dtype: "int8" as never })).toThrow(DTypeError);
    expect(() => jit((a: NDArray, n: number) => nn.oneHot(a, n))(i, 2)).toThrow(TracerError);
  });
});
