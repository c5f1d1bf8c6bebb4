// The autodiff API as issue 12 specifies it: grad / valueAndGrad options (argnums,
// vars, hasAux), vjp, jvp, stopGradient, Module.vars, the errors, composition with jit
// (in every tier, bit for bit), second order, control flow, random draws, and the
// seed's logistic regression against its hand-written gradient.

import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, Module, ShapeError, Variable, grad, jit, jvp, np, stopGradient, valueAndGrad, vjp, type NDArray } from "../../index.js";
import { LogisticRegression, regressionData } from "../../perf/workloads.js";
import { everywhere } from "../../testing/tiers.js";

const f64 = (xs: number[] | number[][] | number) => np.array(xs as number[], { dtype: "float64" });
const vals = (x: NDArray) => Array.from(x.toTypedArray());

/** Central differences of scalar `f` at `x` (float64), per element. */
function numericGrad(f: (x: NDArray) => NDArray, x: NDArray, h = 1e-6): number[] {
  const base = vals(x);
  return base.map((_, i) => {
    const at = (d: number) => f(np.array(base.map((v, j) => (j === i ? v + d : v)), { dtype: "float64" }).reshape(x.shape)).item();
    return (at(h) - at(-h)) / (2 * h);
  });
}
function expectClose(got: number[], want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!))));
}

describe("grad and valueAndGrad", () => {
  const f = (x: NDArray, y: NDArray) => x.mul(y).add(x.sin()).sum();
  const x = f64([0.5, 1, 2]);
  const y = f64([3, -1, 0.25]);
  it("argnums: a number gives one gradient, an array an array of them", () => {
    expect(vals(grad(f)(x, y))).toEqual(vals(y.add(x.cos())));
    expect(vals(grad(f, { argnums: 1 })(x, y))).toEqual(vals(x));
    const [gx, gy] = grad(f, { argnums: [0, 1] })(x, y);
    expect([vals(gx), vals(gy)]).toEqual([vals(y.add(x.cos())), vals(x)]);
  });
  it("tree arguments give gradients of the same structure; numbers give float32 scalars", () => {
    const g = grad((p: { w: NDArray; b: NDArray[] }, s: number) => p.w.mul(p.b[0]!).sum().add(p.b[1]!.sum()).mul(s))({ w: x, b: [y, f64([1, 2])] }, 2);
    expect(Object.keys(g)).toEqual(["w", "b"]);
    expect([vals(g.w), vals(g.b[0]), vals(g.b[1])]).toEqual([vals(y.mul(2)), vals(x.mul(2)), [2, 2]]);
    const gs = grad((s: number, v: NDArray) => v.mul(s).mul(s).sum())(3, f64([1, 2]));
    expect([gs.dtype, gs.shape, gs.item()]).toEqual(["float32", [], 18]);
  });
  it("valueAndGrad and hasAux", () => {
    const [v, g] = valueAndGrad(f)(x, y);
    expect(v.item()).toBe(f(x, y).item());
    expect(vals(g)).toEqual(vals(grad(f)(x, y)));
    const fa = (a: NDArray) => [a.mul(a).sum(), { double: a.mul(2), tag: "t" }] as const;
    const [ga, aux] = grad(fa, { hasAux: true })(x);
    expect(vals(ga)).toEqual(vals(x.mul(2)));
    expect([vals(aux.double), aux.tag]).toEqual([vals(x.mul(2)), "t"]);
    const [[va, aux2], gb] = valueAndGrad(fa, { hasAux: true })(x);
    expect([va.item(), vals(aux2.double), vals(gb)]).toEqual([5.25, vals(x.mul(2)), vals(x.mul(2))]);
  });
  it("vars: a Variable, an array, a record; with argnums the result is [varGrads, argGrads]", () => {
    const w = new Variable(f64([1, 2, 3]));
    const b = new Variable(f64(0.5));
    const loss = (inp: NDArray) => inp.mul(w).sum().add(b).mul(b);
    expect(vals(grad(loss, { vars: w })(x))).toEqual(vals(x.mul(0.5)));
    const [gw, gb] = grad(loss, { vars: [w, b] })(x);
    expect([vals(gw), vals(gb)]).toEqual([vals(x.mul(0.5)), [9.5]]);
    const [rec, gi] = grad(loss, { vars: { w, b }, argnums: 0 })(x);
    expect([Object.keys(rec), vals(rec.w), vals(gi)]).toEqual([["w", "b"], vals(x.mul(0.5)), vals(w.mul(0.5))]);
    const unused = new Variable(f64([7, 7]));
    expect(vals(grad(loss, { vars: unused })(x))).toEqual([0, 0]);
  });
  it("stopGradient makes a value a constant of the derivative", () => {
    expect(vals(grad((a: NDArray) => a.mul(stopGradient(a)).sum())(x))).toEqual(vals(x));
    expect(vals(stopGradient(x))).toEqual(vals(x));
  });
});

describe("vjp and jvp", () => {
  const f = (a: NDArray, b: NDArray) => ({ p: a.mul(b), s: a.exp().sum() });
  const a = f64([0.5, -1]);
  const b = f64([2, 3]);
  it("vjp returns the output and a function of a cotangent of its structure", () => {
    const [out, back] = vjp(f, a, b);
    expect(vals(out.p)).toEqual([1, -3]);
    const [ga, gb] = back({ p: f64([1, 10]), s: 1 });
    expect(vals(ga)).toEqual([2 + Math.exp(0.5), 30 + Math.exp(-1)]);
    expect(vals(gb)).toEqual([0.5, -10]);
  });
  it("jvp returns the output and its tangent", () => {
    const [out, t] = jvp(f, [a, b], [f64([1, 0]), f64([0, 1])]);
    expect(vals(out.p)).toEqual([1, -3]);
    expect(vals(t.p)).toEqual([2, -1]);
    expect(t.s.item()).toBe(Math.exp(0.5));
  });
  it("<J v, u> = <v, Jᵀ u>", () => {
    const g = (x: NDArray) => np.tanh(np.dot(f64([[1, 2], [3, -1], [0.5, 0.5]]), x)).mul(x.sum());
    const xv = f64([0.3, -0.7]);
    const v = f64([0.2, 0.9]);
    const u = f64([1, -2, 0.5]);
    const [, jv] = jvp(g, [xv], [v]);
    const [, back] = vjp(g, xv);
    const [jtu] = back(u);
    expect(Math.abs(jv.mul(u).sum().item() - v.mul(jtu).sum().item())).toBeLessThan(1e-14);
  });
});

describe("errors", () => {
  it("integer and bool inputs have no gradient", () => {
    expect(() => grad((i: NDArray) => i.sum())(np.array([1, 2], "int32"))).toThrow(DTypeError);
    expect(() => grad((i: NDArray) => i.sum())(np.array([1, 2], "int32"))).toThrow(/args\[0\] is i32\[2\].*no gradient/);
    expect(() => grad(() => np.array(1), { vars: new Variable(np.array([1], "int32")) })()).toThrow(DTypeError);
  });
  it("a non-scalar output names vjp", () => {
    expect(() => grad((x: NDArray) => x.mul(2))(f64([1, 2]))).toThrow(ShapeError);
    expect(() => grad((x: NDArray) => x.mul(2))(f64([1, 2]))).toThrow(/vjp/);
    expect(() => grad((x: NDArray) => x.greater(0).sum())(f64([1, 2]))).toThrow(DTypeError);
  });
  it("reverse mode through whileLoop names forLoop and scan; jvp through it works", () => {
    const f = (x: NDArray) => np.whileLoop(([k]: NDArray[]) => k!.less(3), ([k, c]: NDArray[]) => [k!.add(1), c!.mul(x)], [np.array(0, "int32"), f64(1)])[1]!;
    expect(() => grad(f)(f64(2))).toThrow(ArgumentError);
    expect(() => grad(f)(f64(2))).toThrow(/forLoop.*scan/);
    const [out, t] = jvp(f, [f64(2)], [f64(1)]);
    expect([out.item(), t.item()]).toEqual([8, 12]);
    const [, tj] = jit((x: NDArray) => jvp(f, [x], [f64(1)]))(f64(2));
    expect(tj.item()).toBe(12);
    // A whileLoop that does not depend on the differentiated input is fine in reverse mode.
    expect(grad((x: NDArray) => x.mul(f(f64(2))))(f64(1)).item()).toBe(8);
  });
  it("indexing ops: jvp and grad (vm/autodiff/indexing.test.ts has every op)", () => {
    const f = (x: NDArray) => np.take(x, np.array([2, 0], "int32")).mul(x.sum());
    const [out, t] = jvp(f, [f64([1, 2, 3])], [f64([1, 0, 0])]);
    expect([vals(out), vals(t)]).toEqual([[18, 6], [3, 7]]);
    // d/dx of (x2 + x0) * sum(x) = sum(x) at 0 and 2, plus (x2 + x0) everywhere.
    expect(vals(grad((x: NDArray) => f(x).sum())(f64([1, 2, 3])))).toEqual([10, 4, 10]);
  });
  it("bad options are ArgumentErrors", () => {
    expect(() => grad((x: NDArray) => x.sum(), { argnums: 3 })(f64([1]))).toThrow(ArgumentError);
    expect(() => grad((x: NDArray) => x.sum(), { vars: [f64(1)] as never })).toThrow(/Variable/);
    expect(() => grad((x: NDArray) => x.sum(), { bogus: 1 } as never)).toThrow(/unknown option/);
    expect(() => grad((x: NDArray) => x, { hasAux: true })(f64(1))).toThrow(/\[value, aux\]/);
  });
});

class Dense extends Module {
  readonly w: Variable;
  readonly b: Variable;
  constructor(n: number, m: number, seed: number) {
    super();
    np.random.seed(seed);
    this.w = new Variable(np.random.normal([n, m]).mul(0.5));
    this.b = new Variable(np.zeros([m]));
  }
  call(x: NDArray): NDArray {
    return np.matmul(x, this.w).add(this.b);
  }
}
class MLP extends Module {
  readonly layer1 = new Dense(3, 4, 1);
  readonly blocks = [new Dense(4, 4, 2), new Dense(4, 2, 3)];
  loss(x: NDArray): NDArray {
    let h = this.layer1.call(x).tanh();
    for (const l of this.blocks) h = l.call(h).tanh();
    return h.square().mean();
  }
}
Module.jitMethods(MLP, "loss");

describe("Modules", () => {
  it("vars() keys every reachable Variable by path, nested modules and arrays included", () => {
    const m = new MLP();
    expect(Object.keys(m.vars())).toEqual(["layer1.w", "layer1.b", "blocks.0.w", "blocks.0.b", "blocks.1.w", "blocks.1.b"]);
    expect(m.vars()["blocks.1.w"]).toBe(m.blocks[1]!.w);
  });
  it("grad of a jitted Module method with { vars: model.vars() } matches finite differences", () => {
    const m = new MLP();
    const x = np.random.normal([5, 3]);
    const g = grad((inp: NDArray) => m.loss(inp), { vars: m.vars() })(x);
    expect(Object.keys(g)).toEqual(Object.keys(m.vars()));
    const w = m.blocks[0]!.w;
    const w0 = w.toTypedArray();
    const h = 1e-2;
    const at = (k: number, d: number) => {
      const p = w0.slice();
      p[k] = p[k]! + d;
      w.value = np.array(p).reshape(w.shape);
      const r = m.loss(x).item();
      w.value = np.array(w0).reshape(w.shape);
      return r;
    };
    const num = [0, 5, 11].map((k) => (at(k, h) - at(k, -h)) / (2 * h));
    expectClose([0, 5, 11].map((k) => vals(g["blocks.0.w"])[k]!), num, 2e-3);
  });
});

/** README "Training": the MLP as written there (784-128-10), on a batch of 16. */
class ReadmeMLP extends Module {
  l1 = { w: new Variable(np.random.normal([784, 128]).mul(0.05)), b: new Variable(np.zeros([128])) };
  l2 = { w: new Variable(np.random.normal([128, 10]).mul(0.05)), b: new Variable(np.zeros([10])) };
  loss(x: NDArray, y: NDArray): NDArray {
    const h = np.maximum(np.matmul(x, this.l1.w).add(this.l1.b), 0);
    const z = np.matmul(h, this.l2.w).add(this.l2.b);
    const m = stopGradient(z.max(1, true));
    const lse = m.add(z.sub(m).exp().sum(1, true).log());
    return z.sub(lse).mul(y).sum().neg().div(x.shape[0]!);
  }
}

describe("README Training", () => {
  it("the MLP trains with jit(valueAndGrad) over m.vars(), and its gradient is the hand-written backprop's", () => {
    np.random.seed(5);
    const m = new ReadmeMLP();
    const params = m.vars();
    expect(Object.keys(params)).toEqual(["l1.w", "l1.b", "l2.w", "l2.b"]);
    const x = np.random.random([16, 784]);
    const y = np.astype(np.arange(10, "int32").equal(np.astype(np.random.random([16, 1]).mul(10).floor(), "int32")), "float32");
    // The backward pass by hand, at the initial weights.
    const z1 = np.matmul(x, m.l1.w).add(m.l1.b);
    const h = np.maximum(z1, 0);
    const z = np.matmul(h, m.l2.w).add(m.l2.b);
    const e = z.sub(z.max(1, true)).exp();
    const dz = e.div(e.sum(1, true)).sub(y).div(16);
    const dz1 = np.where(z1.greater(0), np.matmul(dz, m.l2.w.value.T), 0);
    const hand = { "l1.w": np.matmul(x.T, dz1), "l1.b": dz1.sum(0), "l2.w": np.matmul(h.T, dz), "l2.b": dz.sum(0) };
    const [, g] = valueAndGrad((a: NDArray, b: NDArray) => m.loss(a, b), { vars: params })(x, y);
    for (const k of Object.keys(hand) as (keyof typeof hand)[]) {
      const scale = hand[k].abs().max().item();
      expect(g[k].sub(hand[k]).abs().max().item(), k).toBeLessThanOrEqual(1e-5 * scale);
    }
    const train = jit((a: NDArray, b: NDArray) => {
      const [l, gr] = valueAndGrad((p: NDArray, q: NDArray) => m.loss(p, q), { vars: params })(a, b);
      for (const k in params) params[k]!.value = params[k]!.sub(gr[k].mul(0.1));
      return l;
    });
    const losses = Array.from({ length: 20 }, () => train(x, y).item());
    expect(losses[19]!).toBeLessThan(losses[0]! * 0.5);
  });
});

describe("composition", () => {
  const f = (x: NDArray) => x.mul(x).mul(x).add(x.sigmoid()).sum();
  it("jit(grad(f)) gives eager grad(f)'s bits in every tier", () => {
    everywhere(grad(f), np.array([0.5, -1.25, 2, 0, 3.5]));
    everywhere(grad((x: NDArray) => np.matmul(x, x.T).tanh().max(1).sum()), np.random.normal([4, 3]));
  });
  it("grad(jit(f)), grad(grad(f)), jit(grad(grad(f)))", () => {
    const x = f64([0.5, -1, 2]);
    expect(vals(grad(jit(f))(x))).toEqual(vals(grad(f)(x)));
    const d2 = grad((v: NDArray) => grad(f)(v).sum());
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    expectClose(vals(d2(x)), [0.5, -1, 2].map((v) => 6 * v + s(v) * (1 - s(v)) * (1 - 2 * s(v))), 1e-12);
    expect(vals(jit(d2)(x))).toEqual(vals(d2(x)));
    // Closing over the outer argument: d/dx [d/dy (x y^2)] at y = x is 2x.
    expect(grad((a: NDArray) => grad((b: NDArray) => a.mul(b).mul(b).sum())(a).sum())(f64(3)).item()).toBe(12);
  });
  it("inspect() shows the derivative program under jit", () => {
    const g = jit(grad(f));
    g(np.array([1, 2]));
    expect(g.inspect().signatures[0]!.ir).toMatch(/sigmoid/);
  });
});

describe("control flow", () => {
  const x0 = f64([0.3, -0.8, 1.1]);
  const cases: Record<string, (x: NDArray) => NDArray> = {
    forLoop: (x) => np.forLoop(0, 5, (i, c: NDArray) => c.mul(x).add(i.astype("float64").mul(0.1)).tanh(), x).sum(),
    "forLoop with a tree carry and a captured value": (x) => {
      const r = np.forLoop(1, 4, (_i, c: { a: NDArray; b: NDArray }) => ({ a: c.a.add(c.b.mul(x)).sin(), b: c.b.mul(0.9) }), { a: x, b: x.exp() });
      return r.a.sum().add(r.b.sum());
    },
    scan: (x) => {
      const [c, ys] = np.scan((c: NDArray, row: NDArray) => [c.mul(row).add(x), c.square()], x, f64([[1, 2, 3], [0.5, 0.5, 0.5], [2, -1, 1]]));
      return c.sum().add(ys.sum());
    },
    "scan over x's rows": (x) => np.scan((c: NDArray, row: NDArray) => [c.add(row.exp()), c], f64(0), x)[1].sum(),
    cond: (x) => np.cond(x.sum().greater(0), (a: NDArray) => a.sin().sum(), (a: NDArray) => a.square().sum(), x),
    "nested loops": (x) => np.forLoop(0, 3, (_i, c: NDArray) => np.forLoop(0, 2, (_j, d: NDArray) => d.mul(x).cos(), c), x).sum(),
    "loop with zero iterations": (x) => np.forLoop(0, 0, (_i, c: NDArray) => c.mul(2), x).sum(),
  };
  for (const [name, fn] of Object.entries(cases)) {
    it(`${name}: grad, jit(grad) and jvp against central differences`, () => {
      const g = vals(grad(fn)(x0));
      expectClose(g, numericGrad(fn, x0), 1e-7);
      expect(vals(jit(grad(fn))(x0))).toEqual(g);
      const v = f64([0.5, 1, -2]);
      const [, t] = jvp(fn, [x0], [v]);
      expect(Math.abs(t.item() - g.reduce((s, gi, i) => s + gi * vals(v)[i]!, 0))).toBeLessThan(1e-12);
    });
  }
  it("jit(grad) through a forLoop is bit-identical in every tier (float32)", () => {
    everywhere(grad((x: NDArray) => np.forLoop(0, 20, (_i, c: NDArray) => c.mul(0.9).add(x.sigmoid()), x).square().sum()), np.array([0.1, 0.2, -0.4]));
  });
  it("a reverse loop stores only the carries it reads (not a running sum)", () => {
    // a_{k+1} = sin(a_k) x is read by its derivative; s_{k+1} = s_k + a_k is not.
    const fn = (x: NDArray) => {
      const [a, s] = np.forLoop<[NDArray, NDArray]>(0, 5, (_i, [a, s]) => [a.sin().mul(x), s.add(a)], [x, np.zeros([3], "float64")]);
      return a.sum().add(s.sum());
    };
    const x0 = f64([0.1, 0.2, 0.3]);
    const j = jit(grad(fn));
    expect(vals(j(x0))).toEqual(vals(grad(fn)(x0)));
    expectClose(vals(j(x0)), numericGrad(fn, x0), 1e-7);
    // One [5, 3] stack: the forward loop's output and the reverse loop's captured input.
    expect(j.inspect().signatures[0]!.ir.match(/f64\[5,3\]/g)).toHaveLength(2);
  });
  it("grad(grad) through a forLoop", () => {
    const fn = (x: NDArray) => np.forLoop(0, 3, (_i, c: NDArray) => c.mul(x), f64(1)).sum(); // x^3
    expect(grad((x: NDArray) => grad(fn)(x))(f64(2)).item()).toBe(12);
  });
});

describe("random draws are constants of the derivative", () => {
  it("the gradient run draws the numbers the forward run draws", () => {
    const f = (x: NDArray) => x.mul(np.random.normal([3])).sum();
    np.random.seed(7);
    const noise = np.random.normal([3]);
    const next = np.random.normal([3]);
    np.random.seed(7);
    expect(vals(grad(f)(np.array([1, 2, 3])))).toEqual(vals(noise));
    expect(vals(np.random.normal([3]))).toEqual(vals(next)); // the generator advanced as a call of f does
    np.random.seed(7);
    expect(vals(jit(grad(f))(np.array([1, 2, 3])))).toEqual(vals(noise));
  });
});

describe("the seed's logistic regression", () => {
  const { X, Y } = regressionData(64, 8, 3);
  const loss = (w: NDArray) => Y.mul(np.dot(X, w)).neg().exp().add(1).log().sum();
  it("grad of the log-loss equals the hand-written u within float32 rounding", () => {
    const w = np.random.normal([8]).mul(0.3);
    const z = Y.mul(np.dot(X, w));
    const u = np.dot(np.div(1, np.add(1, np.exp(z.neg()))).sub(1).mul(Y), X);
    const g = grad(loss)(w);
    const scale = Math.max(...vals(u).map(Math.abs));
    vals(g).forEach((gi, i) => expect(Math.abs(gi - vals(u)[i]!)).toBeLessThanOrEqual(64 * 2 ** -23 * scale));
  });
  it("training with grad reproduces the hand-written training loop", () => {
    const model = new LogisticRegression(X, Y);
    const step = jit(model);
    const w = new Variable(np.zeros([8]));
    const train = jit(() => {
      w.value = w.sub(grad(loss)(w.value));
    });
    for (let s = 0; s < 30; s++) {
      step();
      train();
    }
    const scale = Math.max(...vals(model.w).map(Math.abs));
    vals(w).forEach((wi, i) => expect(Math.abs(wi - vals(model.w)[i]!)).toBeLessThanOrEqual(1e-4 * scale));
  });
});

describe("assembly ops", () => {
  it("jvp and grad go through concatenate and pad", () => {
    const f = (x: NDArray) => np.pad(np.concatenate([x, x.mul(2)]), 1).mul(np.arange(8, "float32"));
    const [out, t] = jvp(f, [np.array([1, 2, 3])], [np.array([1, 0, 0])]);
    expect(Array.from(out.toArray() as number[])).toEqual([0, 1, 4, 9, 8, 20, 36, 0]);
    expect(Array.from(t.toArray() as number[])).toEqual([0, 1, 0, 0, 8, 0, 0, 0]);
    expect(vals(grad((x: NDArray) => f(x).sum())(np.array([1, 2, 3])))).toEqual([1 + 2 * 4, 2 + 2 * 5, 3 + 2 * 6]);
  });
});
