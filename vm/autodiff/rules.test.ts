// Hand-checked derivatives of every differentiable op of the table, at ordinary points
// (against the analytic derivative, in float64) and at the special points where JAX's
// conventions decide (abs'(0) = 0, ties of maximum/minimum split evenly, pow at 0, ...).

import { describe, expect, it } from "vitest";
import { grad, jvp, np, type NDArray } from "../../index.js";
import { BINARY_OPS, UNARY_OPS } from "../../ir/ops.js";
import { RULES } from "../../ir/autodiff/rules.js";

const f64 = (xs: number[] | number[][] | number) => np.array(xs as number[], { dtype: "float64" });
const vals = (x: NDArray) => Array.from(x.toTypedArray());
const close = (got: number[], want: number[], tol = 1e-12) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (!Number.isFinite(w)) expect(g).toBe(w);
    else expect(Math.abs(g - w)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  });
};
/** d/dx of sum(op(x)) elementwise, by grad and by jvp along ones (they must agree). */
function dUnary(op: string, xs: number[]): number[] {
  const f = (x: NDArray) => (np as any)[op](x).sum();
  const g = vals(grad(f)(f64(xs)));
  xs.forEach((x, i) => {
    const [, t] = jvp((s: NDArray) => (np as any)[op](s), [f64(x)], [f64(1)]);
    expect(Object.is(vals(t)[0], g[i]) || (Number.isNaN(vals(t)[0]) && Number.isNaN(g[i]))).toBe(true);
  });
  return g;
}
function dBinary(op: string, xs: number[], ys: number[]): [number[], number[]] {
  const [gx, gy] = grad((x: NDArray, y: NDArray) => (np as any)[op](x, y).sum(), { argnums: [0, 1] })(f64(xs), f64(ys)) as NDArray[];
  return [vals(gx!), vals(gy!)];
}

const UNARY: Record<string, { xs: number[]; d: (x: number) => number }> = {
  neg: { xs: [-1.3, 0.4, 2.1], d: () => -1 },
  abs: { xs: [-1.3, 0.4, 2.1], d: (x) => Math.sign(x) },
  sqrt: { xs: [0.25, 2, 9], d: (x) => 0.5 / Math.sqrt(x) },
  exp: { xs: [-1.3, 0.4, 2.1], d: Math.exp },
  log: { xs: [0.5, 1, 3], d: (x) => 1 / x },
  tanh: { xs: [-1.3, 0.4, 2.1], d: (x) => 1 - Math.tanh(x) ** 2 },
  sin: { xs: [-1.3, 0.4, 2.1], d: Math.cos },
  cos: { xs: [-1.3, 0.4, 2.1], d: (x) => -Math.sin(x) },
  sigmoid: { xs: [-1.3, 0.4, 2.1], d: (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2 },
  reciprocal: { xs: [-1.3, 0.4, 2.1], d: (x) => -1 / (x * x) },
  log1p: { xs: [-0.5, 1e-9, 3], d: (x) => 1 / (1 + x) },
  expm1: { xs: [-1.3, 1e-9, 2.1], d: Math.exp },
  log2: { xs: [0.5, 1, 3], d: (x) => 1 / (x * Math.LN2) },
  log10: { xs: [0.5, 1, 3], d: (x) => 1 / (x * Math.LN10) },
  exp2: { xs: [-1.3, 0.4, 2.1], d: (x) => 2 ** x * Math.LN2 },
  sinh: { xs: [-1.3, 0, 2.1], d: Math.cosh },
  cosh: { xs: [-1.3, 0, 2.1], d: Math.sinh },
  asinh: { xs: [-1.3, 0, 2.1], d: (x) => 1 / Math.sqrt(x * x + 1) },
  acosh: { xs: [1.5, 2, 10], d: (x) => 1 / Math.sqrt(x * x - 1) },
  atanh: { xs: [-0.9, 0, 0.4], d: (x) => 1 / (1 - x * x) },
  cbrt: { xs: [-8, 0.125, 2.1], d: (x) => 1 / (3 * Math.cbrt(x) ** 2) },
  atan: { xs: [-1.3, 0, 2.1], d: (x) => 1 / (1 + x * x) },
  asin: { xs: [-0.9, 0, 0.4], d: (x) => 1 / Math.sqrt(1 - x * x) },
  acos: { xs: [-0.9, 0, 0.4], d: (x) => -1 / Math.sqrt(1 - x * x) },
  tan: { xs: [-1.3, 0, 0.4], d: (x) => 1 / Math.cos(x) ** 2 },
  erf: { xs: [-1.3, 0, 2.1], d: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) },
};

describe("unary elementwise ops", () => {
  it("every differentiable unary op has a hand-checked case", () => {
    const smooth = UNARY_OPS.filter((op) => !RULES[op].zero);
    expect(Object.keys(UNARY).sort()).toEqual([...smooth].sort());
  });
  for (const [op, { xs, d }] of Object.entries(UNARY)) {
    it(`${op}' at ordinary points`, () => close(dUnary(op, xs), xs.map(d), 1e-12));
  }
  it("special points: abs'(0) = 0 (also at -0), sqrt'(0) = Inf, log'(0) = Inf, reciprocal'(0) = -Inf", () => {
    expect(dUnary("abs", [0, -0]).map(Math.abs)).toEqual([0, 0]);
    expect(dUnary("sqrt", [0])).toEqual([Infinity]);
    expect(dUnary("log", [0])).toEqual([Infinity]);
    expect(dUnary("reciprocal", [0])).toEqual([-Infinity]);
    expect(dUnary("tanh", [40])).toEqual([0]);
  });
  it("special points of the inverse and hyperbolic functions", () => {
    // The domain edges: the derivative's pole, and NaN outside the domain.
    expect(dUnary("asin", [1, -1, 2])).toEqual([Infinity, Infinity, NaN]);
    expect(dUnary("acos", [1, -1, 2])).toEqual([-Infinity, -Infinity, NaN]);
    expect(dUnary("atanh", [1, -1])).toEqual([Infinity, Infinity]);
    expect(dUnary("acosh", [1, 0.5])).toEqual([Infinity, NaN]);
    // cbrt'(0) = Inf at both zeros (JAX's 1/(3 y²)); exact at a perfect cube.
    expect(dUnary("cbrt", [0, -0, 8, -27])).toEqual([Infinity, Infinity, 1 / 12, 1 / 27]);
    // No overflow inside the rule where the function itself is finite and the derivative tiny or 1.
    expect(dUnary("atan", [1e200, 0])).toEqual([0, 1]);
    expect(dUnary("asinh", [1e200, 0])).toEqual([0, 1]);
    expect(dUnary("acosh", [1e200])).toEqual([1e-200]);
    expect(dUnary("erf", [0, 30])).toEqual([2 / Math.sqrt(Math.PI), 0]);
    expect(dUnary("tan", [0])).toEqual([1]);
    expect(dUnary("sinh", [0])).toEqual([1]);
    expect(dUnary("cosh", [0, -0]).map((v) => v + 0)).toEqual([0, 0]);
  });
  it("piecewise-constant and predicate ops pass no gradient", () => {
    for (const op of ["sign", "floor", "ceil", "round", "trunc", "stopGradient"]) expect(dUnary(op, [1.3, -0.5])).toEqual([0, 0]);
    for (const op of ["isnan", "isinf", "isfinite", "signbit", "logicalNot"]) {
      expect(vals(grad((x: NDArray) => x.mul((np as any)[op](x).astype("float64")).sum())(f64([1.5, 2])))).toEqual([Number((np as any)[op](f64(1.5)).item()), Number((np as any)[op](f64(2)).item())]);
    }
  });
});

describe("binary elementwise ops", () => {
  it("every differentiable binary op has a hand-checked case", () => {
    const smooth = BINARY_OPS.filter((op) => !RULES[op].zero);
    expect(smooth).toEqual(["add", "sub", "mul", "div", "pow", "maximum", "minimum", "mod", "fmod", "copysign", "atan2", "hypot"]);
  });
  const xs = [1.5, -2, 0.75];
  const ys = [2.5, 3, -1.25];
  it("add sub mul div", () => {
    expect(dBinary("add", xs, ys)).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(dBinary("sub", xs, ys)).toEqual([[1, 1, 1], [-1, -1, -1]]);
    expect(dBinary("mul", xs, ys)).toEqual([ys, xs]);
    const [dx, dy] = dBinary("div", xs, ys);
    close(dx, ys.map((y) => 1 / y));
    close(dy, xs.map((x, i) => -x / ys[i]! ** 2));
  });
  it("pow, and JAX's zeros at x = 0 and y = 0", () => {
    const [dx, dy] = dBinary("pow", [1.5, 2, 0.5], [2.5, 0.5, 3]);
    close(dx, [2.5 * 1.5 ** 1.5, 0.5 * 2 ** -0.5, 3 * 0.25], 1e-12);
    close(dy, [1.5 ** 2.5 * Math.log(1.5), Math.SQRT2 * Math.log(2), 0.125 * Math.log(0.5)], 1e-12);
    expect(dBinary("pow", [0, 2], [2, 0])).toEqual([[0, 0], [0, Math.log(2)]]);
  });
  it("maximum and minimum: the larger (smaller) operand takes it all; ties split evenly", () => {
    expect(dBinary("maximum", [1, 3, 2], [2, 1, 2])).toEqual([[0, 1, 0.5], [1, 0, 0.5]]);
    expect(dBinary("minimum", [1, 3, 2], [2, 1, 2])).toEqual([[1, 0, 0.5], [0, 1, 0.5]]);
    // relu as maximum(x, 0) at 0: half, as jnp.maximum; where(x > 0, x, 0) gives JAX's relu'(0) = 0.
    expect(vals(grad((x: NDArray) => np.maximum(x, 0).sum())(f64([0, 1, -1])))).toEqual([0.5, 1, 0]);
    expect(vals(grad((x: NDArray) => np.where(x.greater(0), x, 0).sum())(f64([0, 1, -1])))).toEqual([0, 1, 0]);
  });
  it("mod, fmod: 1 for x, minus the (floored, truncated) quotient for y", () => {
    expect(dBinary("mod", [5.5, -5.5], [2, 2])).toEqual([[1, 1], [-2, 3]]);
    expect(dBinary("fmod", [5.5, -5.5], [2, 2])).toEqual([[1, 1], [-2, 2]]);
  });
  it("copysign: ±1 for x (0 at x = 0), nothing for y", () => {
    expect(dBinary("copysign", [-3, 3, 0], [2, -2, 1]).map((a) => a.map((v) => v + 0))).toEqual([[-1, -1, 0], [0, 0, 0]]);
  });
  it("atan2(a, b): [b / r, -a / r], r = a² + b²; NaN at the origin", () => {
    const [da, db] = dBinary("atan2", [1, -2, 3, 0], [2, 0.5, -4, 1]);
    close(da, [2 / 5, 0.5 / 4.25, -4 / 25, 1]);
    close(db, [-1 / 5, 2 / 4.25, -3 / 25, 0].map((v) => v));
    expect(dBinary("atan2", [0], [0])).toEqual([[NaN], [NaN]]);
  });
  it("hypot(a, b): [a / y, b / y]; 0 at the origin and at Inf (JAX); no overflow for large operands", () => {
    const [da, db] = dBinary("hypot", [3, -5, 0], [4, 12, -2]);
    close(da, [0.6, -5 / 13, 0]);
    close(db, [0.8, 12 / 13, -1]);
    expect(dBinary("hypot", [0, -0], [0, 0]).map((a) => a.map((v) => v + 0))).toEqual([[0, 0], [0, 0]]);
    expect(dBinary("hypot", [3e300], [4e300])).toEqual([[0.6], [0.8]]);
    // Where an operand is Inf: 0 (JAX returns an Inf constant there).
    expect(dBinary("hypot", [Infinity, 1], [1, -Infinity]).map((a) => a.map((v) => v + 0))).toEqual([[0, 0], [0, 0]]);
  });
  it("comparisons, floorDivide and where's condition pass no gradient", () => {
    for (const op of ["less", "greater", "equal", "floorDivide"]) {
      const g = grad((x: NDArray) => np.astype((np as any)[op](x, 1.5), "float64").sum())(f64([1, 2]));
      expect(vals(g)).toEqual([0, 0]);
    }
    const [gx, gy] = grad((x: NDArray, y: NDArray) => np.where(x.greater(y), x, y).sum(), { argnums: [0, 1] })(f64([1, 5]), f64([2, 3])) as NDArray[];
    expect([vals(gx!), vals(gy!)]).toEqual([[0, 1], [1, 0]]);
  });
  it("cast float32 -> float64 passes the gradient back as float32", () => {
    const g = grad((x: NDArray) => x.astype("float64").mul(2).sum())(np.array([1, 2]));
    expect(g.dtype).toBe("float32");
    expect(vals(g)).toEqual([2, 2]);
  });
});

describe("reductions, scans, sort", () => {
  const g = (f: (x: NDArray) => NDArray, xs: number[] | number[][]) => grad(f)(f64(xs as number[])).toArray();
  it("sum, mean over axes", () => {
    expect(g((x) => x.sum(1).mul(f64([1, 2])).sum(), [[1, 2], [3, 4]])).toEqual([[1, 1], [2, 2]]);
    expect(g((x) => x.mean(), [[1, 2], [3, 4]])).toEqual([[0.25, 0.25], [0.25, 0.25]]);
  });
  it("max and min split evenly among ties", () => {
    expect(g((x) => x.max(), [1, 3, 3])).toEqual([0, 0.5, 0.5]);
    expect(g((x) => x.min(0).sum(), [[1, 5], [1, 2]])).toEqual([[0.5, 0], [0.5, 1]]);
  });
  it("prod: the product of the others, exact at one and at two zeros", () => {
    expect(g((x) => x.prod(), [2, 3, 4])).toEqual([12, 8, 6]);
    expect(g((x) => x.prod(), [2, 0, 4])).toEqual([0, 8, 0]);
    expect(g((x) => x.prod(), [0, 0, 4])).toEqual([0, 0, 0]);
    expect(g((x) => x.prod(1).sum(), [[2, 3], [0, 5]])).toEqual([[3, 2], [5, 0]]);
  });
  it("cumsum and cumprod", () => {
    expect(g((x) => x.cumsum().mul(f64([1, 2, 3])).sum(), [5, 6, 7])).toEqual([6, 5, 3]);
    expect(g((x) => x.cumprod().sum(), [2, 3, 4])).toEqual([16, 10, 6]);
  });
  it("cumprod at zeros: the first zero's derivative is the product of the others, later elements get none", () => {
    const w = f64([0.5, -1, 2, 3]);
    const f = (x: NDArray) => x.cumprod().mul(w).sum();
    // d/dx_i sum_j w_j prod_{k<=j} x_k, by hand.
    expect(g(f, [2, 0, 3, 5])).toEqual([0.5, 2 * (-1 + 2 * 3 + 3 * 3 * 5), 0, 0]);
    expect(g(f, [0, 0, 3, 5])).toEqual([0.5, 0, 0, 0]);
    expect(g(f, [2, 3, 4, 0])).toEqual([0.5 - 3 + 2 * 12, -2 + 2 * 8, 2 * 6, 3 * 24]);
    expect(g((x) => np.cumprod(x, 0).sum(), [[1, 0, 2], [3, 4, 0]])).toEqual([[4, 5, 1], [1, 0, 2]]);
    // Forward mode agrees: the tangent along e_1 at [2, 0, 3, 5].
    const [, t] = jvp(f, [f64([2, 0, 3, 5])], [f64([0, 1, 0, 0])]);
    expect(vals(t)[0]).toBe(2 * (-1 + 2 * 3 + 3 * 3 * 5));
  });
  it("sort moves the gradient with the elements; argmax/argsort pass none", () => {
    expect(g((x) => x.sort().mul(f64([1, 2, 3])).sum(), [3, 1, 2])).toEqual([3, 1, 2]);
    expect(g((x) => x.sort(0).mul(f64([[1, 2], [3, 4]])).sum(), [[3, 1], [2, 5]])).toEqual([[3, 2], [1, 4]]);
    expect(g((x) => x.mul(x.argmax().astype("float64")).sum(), [1, 3, 2])).toEqual([1, 1, 1]);
  });
  it("movement: reshape, transpose, broadcast, flip, expandDims/squeeze", () => {
    const w = f64([[1, 2, 3], [4, 5, 6]]);
    expect(g((x) => x.reshape(2, 3).mul(w).sum(), [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(g((x) => x.T.mul(w.T).sum(), [[0, 0, 0], [0, 0, 0]])).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(g((x) => x.broadcastTo([2, 3]).mul(w).sum(), [0, 0, 0])).toEqual([5, 7, 9]);
    expect(g((x) => x.add(f64([[0], [0]])).mul(w).sum(), [0, 0, 0])).toEqual([5, 7, 9]);
    expect(g((x) => x.flip().mul(f64([1, 2, 3])).sum(), [0, 0, 0])).toEqual([3, 2, 1]);
    expect(g((x) => x.expandDims(0).squeeze().mul(f64([1, 2])).sum(), [0, 0])).toEqual([1, 2]);
  });
  it("matmul and dot: ct·Bᵀ and Aᵀ·ct", () => {
    const A = f64([[1, 2], [3, 4]]);
    const B = f64([[5, 6, 7], [8, 9, 10]]);
    const W = f64([[1, 0, 2], [0, 1, 0]]);
    const [gA, gB] = grad((a: NDArray, b: NDArray) => a.matmul(b).mul(W).sum(), { argnums: [0, 1] })(A, B) as NDArray[];
    expect(gA!.toArray()).toEqual([[19, 28], [6, 9]]);
    expect(gB!.toArray()).toEqual([[1, 3, 2], [2, 4, 4]]);
    expect(grad((v: NDArray) => np.dot(A, v).sum())(f64([1, 1])).toArray()).toEqual([4, 6]);
  });
});
