import { describe, expect, it } from "vitest";
import { jit, Module, NDArray, np, Variable, ShapeError, TracerError } from "../index.js";

const bits = (a: NDArray) => Array.from(a.toTypedArray(), (x) => (Object.is(x, -0) ? "-0" : String(x)));
const same = (a: NDArray, b: NDArray) => {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(bits(a)).toEqual(bits(b));
};

describe("np.forLoop", () => {
  const f = (x: NDArray, n: number) =>
    np.forLoop(0, n, (i, c: { acc: NDArray; k: NDArray }) => ({ acc: c.acc.mul(1.5).add(i.astype("float32")).tanh(), k: c.k.add(i) }), { acc: x, k: np.array(0, "int32") });
  it("runs eagerly and compiled to the same bits", () => {
    const x = np.linspace(-2, 2, 7);
    const e = f(x, 25);
    const j = jit(f, { staticArgnums: [1] })(x, 25);
    same(j.acc, e.acc);
    same(j.k, e.k);
    expect(j.k.item()).toBe(300);
  });
  it("is one loop instruction, not an unrolled trace", () => {
    const g = jit(f, { staticArgnums: [1] });
    g(np.ones([3]), 1000);
    const s = g.inspect().signatures[0]!;
    expect(s.ir).toMatch(/= loop\[lo=0 hi=1000 carry=2\]/);
    expect(s.ir.split("\n").length).toBeLessThan(30);
    expect(s.bytecode).toMatch(/loop \[0, 1000\)/);
    expect(s.warnings).toEqual([]);
  });
  it("zero iterations return the initial carry", () => {
    same(jit(f, { staticArgnums: [1] })(np.ones([2]), 0).acc, np.ones([2]));
  });
  it("carries Variables read and written in the body", () => {
    const v = new Variable(np.zeros([3]));
    const w = new Variable(np.ones([3]));
    const step = () => np.forLoop(0, 10, (i) => {
      v.value = v.add(w).mul(0.5);
      w.value = w.add(i.astype("float32"));
    });
    step();
    const ve = v.toArray();
    const we = w.toArray();
    v.value = 0;
    w.value = 1;
    jit(step)();
    expect(v.toArray()).toEqual(ve);
    expect(w.toArray()).toEqual(we);
  });
  it("a carry that changes shape or dtype is a clear error", () => {
    const bad = (x: NDArray) => np.forLoop(0, 3, (_i, c: NDArray) => c.reshape(1, -1), x);
    expect(() => jit(bad)(np.ones([3]))).toThrow(ShapeError);
    expect(() => jit(bad)(np.ones([3]))).toThrow(/carry changed from f32\[3\] to f32\[1,3\]/);
    expect(() => bad(np.ones([3]))).toThrow(/carry changed from f32\[3\] to f32\[1,3\]/);
    expect(() => np.forLoop(0, 2, (_i, c: NDArray) => c.mul(0.5), np.array(1, "int32"))).toThrow(/carry changed from i32\[\] to f32\[\]/);
  });
  it("bounds must be static integers", () => {
    expect(() => jit((n: NDArray) => np.forLoop(0, n as never, (i) => i))(np.array(3, "int32"))).toThrow(TracerError);
  });
  it("captures outer traced values and constants", () => {
    const W = np.array([[0.5, -1], [0.25, 2]]);
    const g = (x: NDArray, b: NDArray) => np.forLoop(0, 4, (_i, h: NDArray) => np.tanh(np.dot(W, h).add(b)), x);
    same(jit(g)(np.array([1, 2]), np.array([0.1, -0.1])), g(np.array([1, 2]), np.array([0.1, -0.1])));
  });
  it("np.random inside a loop draws fresh numbers each iteration, same stream as eager", () => {
    const g = () => np.forLoop(0, 5, (_i, acc: NDArray) => acc.add(np.random.normal([4])).mul(0.9), np.zeros([4]));
    np.random.seed(3);
    const e = g();
    np.random.seed(3);
    same(jit(g)(), e);
    np.random.seed(3);
    const once = np.random.normal([4]);
    expect(bits(e)).not.toEqual(bits(once.mul(0.9)));
  });
});

describe("np.scan", () => {
  it("stacks per-step outputs", () => {
    const cumsum = (xs: NDArray) => np.scan((c: NDArray, x: NDArray) => [c.add(x), c.add(x).mul(2)], np.zeros([2]), xs);
    const xs = np.arange(10).reshape(5, 2);
    const [ce, ye] = cumsum(xs);
    const [cj, yj] = jit(cumsum)(xs);
    same(cj, ce);
    same(yj, ye);
    expect(ye.shape).toEqual([5, 2]);
    expect(ce.toArray()).toEqual([20, 25]);
  });
  it("with no steps gives empty ys of the body's row types, eagerly as under jit, and changes no state", () => {
    const v = new Variable(np.array([1, 2]));
    const f = (xs: NDArray) => np.scan((c: NDArray, x: NDArray) => [c.add(x.sum()), { a: x.mul(v), n: np.random.normal([3]) }], np.zeros([]), xs);
    np.random.seed(2);
    const [ce, ye] = f(np.zeros([0, 2]));
    const after = np.random.random([1]).toArray(); // the stream did not move
    const [cj, yj] = jit(f)(np.zeros([0, 2]));
    for (const [e, j] of [[ce, cj], [ye.a, yj.a], [ye.n, yj.n]] as const) {
      expect([e.shape, e.dtype]).toEqual([j.shape, j.dtype]);
      same(e, j);
    }
    expect(ye.a.shape).toEqual([0, 2]);
    expect(ye.n.shape).toEqual([0, 3]);
    np.random.seed(2);
    expect(np.random.random([1]).toArray()).toEqual(after);
    expect(v.toArray()).toEqual([1, 2]);
    expect(() => np.scan((c: NDArray) => [c.astype("int32"), c], np.zeros([]), undefined, 0)).toThrow("scan: the carry changed from f32[] to i32[] in the body");
    expect(() => np.scan((c: NDArray) => [c, c], np.zeros([]), undefined)).toThrow("scan: pass xs (arrays to scan over) or a length (the number of steps): got neither");
  });
});

describe("np.whileLoop", () => {
  it("runs until the condition fails", () => {
    const collatz = (n: NDArray) =>
      np.whileLoop(
        (c: { n: NDArray; steps: NDArray }) => c.n.greater(1),
        (c) => ({ n: np.where(c.n.mul(0.5).floor().mul(2).equal(c.n), c.n.mul(0.5), c.n.mul(3).add(1)), steps: c.steps.add(1) }),
        { n, steps: np.array(0, "int32") },
      );
    const e = collatz(np.array(27));
    const j = jit(collatz)(np.array(27));
    expect(e.steps.item()).toBe(111);
    same(j.steps, e.steps);
    same(j.n, e.n);
  });
  it("the condition may not assign Variables", () => {
    const v = new Variable(np.zeros([]));
    const f = jit(() => np.whileLoop((c: NDArray) => { v.value = c; return c.less(3); }, (c) => c.add(1), np.zeros([])));
    expect(() => f()).toThrow(/condition assigns Variable/);
  });
});

describe("np.cond", () => {
  it("compiles both branches and picks one at run time", () => {
    const f = (p: NDArray, x: NDArray) => np.cond(p, (a: NDArray) => a.mul(2), (a: NDArray) => a.neg(), x);
    const g = jit(f);
    same(g(np.array(true), np.array([1, 2])), f(np.array(true), np.array([1, 2])));
    same(g(np.array(false), np.array([1, 2])), f(np.array(false), np.array([1, 2])));
    expect(g.inspect().signatures.length).toBe(1);
  });
  it("a Variable assigned in one branch keeps its value in the other", () => {
    const v = new Variable(np.array([1, 1]));
    const f = jit((p: NDArray) => np.cond(p, () => { v.value = v.mul(3); return np.zeros([]); }, () => np.ones([])));
    f(np.array(false));
    expect(v.toArray()).toEqual([1, 1]);
    f(np.array(true));
    expect(v.toArray()).toEqual([3, 3]);
  });
  it("branches must agree on types", () => {
    const f = jit((p: NDArray) => np.cond(p, () => np.zeros([2]), () => np.zeros([3])));
    expect(() => f(np.array(true))).toThrow("cond: result is f32[2] in the then branch but f32[3] in the else branch; both branches must return the same shapes and dtypes");
    const g = jit((p: NDArray) => np.cond(p, () => np.zeros([2]), () => undefined));
    expect(() => g(np.array(true))).toThrow("cond: the else branch returned nothing, but the then branch returns (result)");
  });
  it("branches that only update Variables (issue 14: a ShapeError under jit, fine eagerly)", () => {
    const v = new Variable(np.zeros([2]));
    const step = (p: NDArray) => np.cond(p, () => { v.value = v.add(1); }, () => { v.value = v.sub(1); });
    const f = jit(step);
    for (const b of [true, true, false, true]) f(np.array(b));
    expect(v.toArray()).toEqual([2, 2]);
    for (const b of [true, false, false]) step(np.array(b));
    expect(v.toArray()).toEqual([1, 1]);
    expect(jit((p: NDArray) => np.cond(p, () => undefined, () => np.zeros([2])))).toBeTypeOf("function");
    expect(() => jit((p: NDArray) => np.cond(p, () => undefined, () => np.zeros([2])))(np.array(true))).toThrow("cond: the else branch returned a result of structure (result) but the then branch returns (nothing)");
  });
  it("a carry whose dtype changes is a DTypeError, a shape change a ShapeError", () => {
    const dt = jit((x: NDArray) => np.forLoop(0, 3, (_i, c: NDArray) => c.astype("float64"), x));
    expect(() => dt(np.ones([2]))).toThrow(expect.objectContaining({ name: "DTypeError", message: "forLoop: the carry changed from f32[2] to f64[2] in the body; carries must keep their shapes and dtypes (cast with .astype or broadcast the initial value)" }));
    const sh = jit((x: NDArray) => np.forLoop(0, 3, (_i, c: NDArray) => c.reshape(1, 2), x));
    expect(() => sh(np.ones([2]))).toThrow(expect.objectContaining({ name: "ShapeError" }));
  });
  it("a body that forgets to return its carry gets an error saying so", () => {
    const body = (_i: NDArray, c: NDArray) => void c.add(1);
    const want = "forLoop: the body returned nothing, but the loop has a carry (carry); return the new carry from the body (or pass no initial carry)";
    expect(() => np.forLoop(0, 3, body as never, np.zeros([2]))).toThrow(want);
    expect(() => jit((x: NDArray) => np.forLoop(0, 3, body as never, x))(np.zeros([2]))).toThrow(want);
    expect(() => jit((x: NDArray) => np.whileLoop((c: NDArray) => c.sum().less(3), () => undefined as never, x))(np.zeros([2]))).toThrow(/^whileLoop: the body returned nothing/);
    expect(() => np.forLoop(0, 2, (_i, c: NDArray) => c.reshape([1, 2]), np.zeros([2]))).toThrow("forLoop: the carry changed from f32[2] to f32[1,2] in the body");
    expect(() => np.forLoop(0, 2, (_i, c: { v: NDArray; n: NDArray }) => ({ v: c.v, n: c.n.mul(0.5) }), { v: np.zeros([2]), n: np.array(0, "int32") })).toThrow("forLoop: carry.n changed from i32[] to f32[] in the body");
  });
});

describe("long unrolled traces", () => {
  it("warn in inspect()", () => {
    const f = jit((x: NDArray) => {
      for (let i = 0; i < 2100; i++) x = x.add(1);
      return x;
    });
    f(np.ones([1]));
    expect(f.inspect().signatures[0]!.warnings[0]).toMatch(/unroll at trace time; use np.forLoop/);
  });
});

describe("a Module stepping a population in a compiled loop", () => {
  it("matches the eager step loop exactly", () => {
    class Leaky extends Module {
      V = new Variable(np.zeros([50]));
      spikes = new Variable(np.zeros([50], "int32"));
      step() {
        const I = np.random.normal([50]).mul(2).add(1);
        const V = this.V.add(I.sub(this.V).mul(0.1));
        const fired = V.greaterEqual(1);
        this.spikes.value = this.spikes.add(fired.astype("int32"));
        this.V.value = np.where(fired, 0, V);
      }
      run(n: number) {
        np.forLoop(0, n, () => this.step());
      }
    }
    np.random.seed(11);
    const a = new Leaky();
    for (let t = 0; t < 200; t++) a.step();
    np.random.seed(11);
    const b = new Leaky();
    jit((n: number) => b.run(n), { staticArgnums: [0] })(200);
    same(b.spikes, a.spikes);
    same(b.V, a.V);
    expect((a.spikes.sum().item() as number)).toBeGreaterThan(0);
  });
});
