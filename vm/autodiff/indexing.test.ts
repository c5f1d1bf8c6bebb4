// Hand-checked gradients through the indexing and assembly ops (ir/autodiff/indexing.ts):
// slices, gathers (take, takeAlongAxis, index arrays; clamped traced indices), scatters
// in every differentiable mode (the winner of a repeated set, ties of min/max, dropped
// traced indices), segment reductions, dynamic slices and updates (clamped windows),
// concatenate and the remap-based assembly functions; each also checked against forward
// mode and, in every tier, bit for bit against eager grad.

import { describe, expect, it } from "vitest";
import { grad, jit, jvp, np, vjp, type NDArray } from "../../index.js";
import { everywhere } from "../../testing/tiers.js";

const f64 = (xs: number[] | number[][] | number) => np.array(xs as number[], { dtype: "float64" });
const i32 = (xs: number[]) => np.array(xs, "int32");
const vals = (x: NDArray) => Array.from(x.toTypedArray());

/** grad of sum(w * f(x)), checked against forward mode along each basis vector, eagerly and in every tier. */
function gradOf(f: (x: NDArray) => NDArray, x: NDArray, w?: NDArray): number[] {
  const loss = (v: NDArray) => (w === undefined ? f(v) : f(v).mul(w)).sum();
  const g = vals(grad(loss)(x));
  const n = x.size;
  for (let k = 0; k < n; k++) {
    const e = np.array(Array.from({ length: n }, (_, j) => (j === k ? 1 : 0)), { dtype: x.dtype }).reshape(x.shape);
    const [, t] = jvp(loss, [x], [e]);
    expect(t.item(), `jvp along e${k}`).toBe(g[k]);
  }
  everywhere(grad(loss), x);
  return g;
}

describe("slices and gathers", () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  const w = f64([[1, 2, 3], [4, 5, 6]]);
  it("static slices scatter the cotangent back (negative steps, dropped axes)", () => {
    expect(gradOf((v) => v.slice(null, [null, null, -1]), x, w)).toEqual([3, 2, 1, 6, 5, 4]);
    expect(gradOf((v) => v.slice(-1, [0, 3, 2]), x, f64([10, 20]))).toEqual([0, 0, 0, 10, 0, 20]);
    expect(gradOf((v) => v.slice(0, 1), x)).toEqual([0, 1, 0, 0, 0, 0]);
  });
  it("gathers add the cotangent at each (repeated, negative) index", () => {
    const v = f64([1, 2, 3, 4]);
    expect(gradOf((a) => np.take(a, i32([2, 0, 2, -1])), v, f64([1, 2, 3, 4]))).toEqual([2, 0, 4, 4]);
    expect(gradOf((a) => a.slice(null, i32([2, 2])), x, f64([[1, 2], [3, 4]]))).toEqual([0, 0, 3, 0, 0, 7]);
    expect(gradOf((a) => np.take(a, i32([1, 1, 0]), 0), x)).toEqual([1, 1, 1, 2, 2, 2]);
  });
  it("takeAlongAxis with argsort moves the gradient as sort does", () => {
    expect(gradOf((a) => np.takeAlongAxis(a, np.argsort(a, 0), 0), f64([3, 1, 2]), f64([1, 2, 3]))).toEqual([3, 1, 2]);
  });
  it("traced indices are clamped for reads: the gradient goes to the clamped element", () => {
    const f = (a: NDArray, i: NDArray) => np.take(a, i).mul(f64([1, 10])).sum();
    const g = jit(grad(f));
    expect(vals(g(f64([1, 2, 3, 4]), i32([5, -7])))).toEqual([10, 0, 0, 1]);
    expect(vals(grad(f)(f64([1, 2, 3, 4]), i32([3, 0])))).toEqual([10, 0, 0, 1]);
  });
});

describe("scatters", () => {
  const x = f64([1, 2, 3, 4]);
  const u = f64([10, 20, 30]);
  const w = f64([1, 2, 3, 4]);
  const both = (f: (x: NDArray, u: NDArray) => NDArray, xv = x, uv = u) => {
    const loss = (a: NDArray, b: NDArray) => f(a, b).mul(w).sum();
    const gs = grad(loss, { argnums: [0, 1] })(xv, uv) as NDArray[];
    for (const tier of ["interpreter", "js", "wasm"] as const) {
      const j = jit(grad(loss, { argnums: [0, 1] }), { tier })(xv, uv) as NDArray[];
      expect(j.map(vals), tier).toEqual(gs.map(vals));
    }
    // Reverse against forward mode: <J v, ct> = <v, Jᵀ ct> for v = (1, 1).
    const [, t] = jvp(loss, [xv, uv], [np.onesLike(xv), np.onesLike(uv)]);
    expect(t.item()).toBe(vals(gs[0]!).reduce((a, b) => a + b, 0) + vals(gs[1]!).reduce((a, b) => a + b, 0));
    return gs.map(vals);
  };
  it("set: the last update at a repeated index wins the cotangent, the overwritten operand element gets none", () => {
    expect(both((a, b) => a.at(i32([1, 1, 3])).set(b))).toEqual([[1, 0, 3, 0], [0, 2, 4]]);
  });
  it("add: the operand keeps the cotangent, each update gets its element's", () => {
    expect(both((a, b) => a.at(i32([1, 1, 3])).add(b))).toEqual([[1, 2, 3, 4], [2, 2, 4]]);
  });
  it("max and min: split evenly among the operand and the updates equal to the result", () => {
    const xv = f64([1, 5, 3, 4]);
    const uv = f64([2, 2, 5, 1]);
    expect(both((a, b) => a.at(i32([0, 0, 1, 2])).max(b), xv, uv)).toEqual([[0, 1, 3, 4], [0.5, 0.5, 1, 0]]);
    expect(both((a, b) => a.at(i32([0, 0, 1, 2])).min(b), xv, uv)).toEqual([[1, 1, 0, 4], [0, 0, 1, 3]]);
  });
  it("traced out-of-range indices are dropped: their updates get no gradient", () => {
    const loss = (a: NDArray, b: NDArray, i: NDArray) => a.at(i).set(b).mul(w).sum();
    const [gx, gu] = jit(grad(loss, { argnums: [0, 1] }))(x, f64([10, 20]), i32([2, 9])) as NDArray[];
    expect([vals(gx!), vals(gu!)]).toEqual([[1, 2, 0, 4], [3, 0]]);
    const [gx2, gu2] = jit(grad((a: NDArray, b: NDArray, i: NDArray) => a.at(i).add(b).mul(w).sum(), { argnums: [0, 1] }))(x, f64([10, 20]), i32([-1, 4])) as NDArray[];
    expect([vals(gx2!), vals(gu2!)]).toEqual([[1, 2, 3, 4], [4, 0]]);
  });
  it("mul is a clear error in both modes", () => {
    expect(() => grad((a: NDArray) => a.at(i32([0])).mul(2).sum())(x)).toThrow(/"mul" mode .*not supported/);
    expect(() => jvp((a: NDArray) => a.at(i32([0])).mul(2), [x], [x])).toThrow(/"mul" mode .*not supported/);
  });
  it("segment reductions", () => {
    const data = f64([[1, 2], [3, 4], [5, 6]]);
    expect(gradOf((d) => np.segmentSum(d, i32([0, 2, 0]), 3), data, f64([[1, 2], [3, 4], [5, 6]]))).toEqual([1, 2, 5, 6, 1, 2]);
    expect(gradOf((d) => np.segmentMax(d, i32([0, 0, 0, 1]), 2), f64([1, 3, 3, -2]), f64([2, 5]))).toEqual([0, 1, 1, 5]);
    expect(gradOf((d) => np.segmentMin(d, i32([1, 1, 5, 0]), 2), f64([1, 3, 3, -2]), f64([2, 5]))).toEqual([5, 0, 0, 2]);
  });
});

describe("dynamic slices and assembly", () => {
  const x = f64([1, 2, 3, 4, 5]);
  const w = f64([1, 2, 3, 4, 5]);
  it("dynamicSlice: the window's cotangent at the clamped start", () => {
    expect(gradOf((v) => np.dynamicSlice(v, [1], [2]), x, f64([10, 20]))).toEqual([0, 10, 20, 0, 0]);
    const g = jit(grad((v: NDArray, k: NDArray) => np.dynamicSlice(v, [k], [2]).mul(f64([10, 20])).sum()));
    expect(vals(g(x, np.array(4, "int32")))).toEqual([0, 0, 0, 10, 20]);
  });
  it("dynamicUpdateSlice: the operand outside the window, the update inside it", () => {
    const loss = (a: NDArray, b: NDArray) => np.dynamicUpdateSlice(a, b, [3]).mul(w).sum();
    const [ga, gb] = grad(loss, { argnums: [0, 1] })(x, f64([7, 8, 9])) as NDArray[];
    expect([vals(ga!), vals(gb!)]).toEqual([[1, 2, 0, 0, 0], [3, 4, 5]]);
    const [ja, jb] = jit(grad(loss, { argnums: [0, 1] }), { tier: "wasm" })(x, f64([7, 8, 9])) as NDArray[];
    expect([vals(ja!), vals(jb!)]).toEqual([[1, 2, 0, 0, 0], [3, 4, 5]]);
  });
  it("concatenate and stack: slices of the cotangent", () => {
    expect(gradOf((v) => np.concatenate([v, v.mul(2)]), x, np.arange(10, "float64"))).toEqual([0 + 10, 1 + 12, 2 + 14, 3 + 16, 4 + 18]);
    const m = f64([[1, 2], [3, 4]]);
    expect(gradOf((v) => np.concatenate([v, v.slice(null, [1])], 1), m, f64([[1, 2, 3], [4, 5, 6]]))).toEqual([1, 5, 4, 11]);
    expect(gradOf((v) => np.stack([v, v.flip()]), f64([1, 2]), f64([[1, 2], [3, 4]]))).toEqual([5, 5]);
  });
  it("remaps: tile and repeat add the copies' cotangents, pad drops the border's, roll moves it", () => {
    const v = f64([1, 2, 3]);
    expect(gradOf((a) => np.tile(a, 2), v, f64([1, 2, 3, 4, 5, 6]))).toEqual([5, 7, 9]);
    expect(gradOf((a) => np.repeat(a, 2), v, f64([1, 2, 3, 4, 5, 6]))).toEqual([3, 7, 11]);
    expect(gradOf((a) => np.pad(a, 1), v, f64([1, 2, 3, 4, 5]))).toEqual([2, 3, 4]);
    expect(gradOf((a) => np.pad(a, 2, { mode: "edge" }), v, f64([1, 1, 1, 1, 1, 1, 1]))).toEqual([3, 1, 3]);
    expect(gradOf((a) => np.pad(a, 1, { mode: "reflect" }), v, f64([1, 2, 3, 4, 5]))).toEqual([2, 3 + 1 + 5, 4]);
    expect(gradOf((a) => np.roll(a, 1), v, f64([1, 2, 3]))).toEqual([2, 3, 1]);
  });
  it("vjp keeps -0 through an injective slice's transpose", () => {
    const [, back] = vjp((a: NDArray) => a.slice([1]), f64([1, 2, 3]));
    const [g] = back(f64([-0, 5])) as NDArray[];
    expect(vals(g!).map((v) => Object.is(v, -0))).toEqual([false, true, false]);
  });
});
