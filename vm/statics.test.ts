// Numbers are traced weak-typed scalars unless static (issue 14: `jit((a, k) => a.mul(k))`
// with 300 values of k traced 300 signatures); static arguments; traced numbers used
// where a static value is needed say which argument and how to make it static; plain
// JS arrays work as np.array; the cache is bounded and warns about retracing.
import { afterEach, describe, expect, it, vi } from "vitest";
import { jit, np, Variable, type NDArray } from "../index.js";

afterEach(() => vi.restoreAllMocks());

describe("numbers as traced scalars", () => {
  it("a new value reuses the signature and computes what eager mode computes", () => {
    const fn = (a: NDArray, k: number) => a.mul(k);
    const f = jit(fn);
    const a = np.array([1, 2, 3]);
    for (let i = 0; i < 300; i++) expect(Array.from(f(a, 0.1 * i + 0.05).toTypedArray())).toEqual(Array.from(fn(a, 0.1 * i + 0.05).toTypedArray()));
    expect(f.inspect().signatures.length).toBe(1);
    expect(f.inspect().signatures[0]!.signature).toBe("f32[3], float number");
  });
  it("keeps the weak kind a literal has: an int keeps int32 arrays int32, a float lifts them", () => {
    const f = jit((a: NDArray, k: number) => a.mul(k));
    expect(f(np.array([1, 2], "int32"), 3).dtype).toBe("int32");
    expect(f(np.array([1, 2], "int32"), 2.5).dtype).toBe("float32");
    expect(f(np.array([1, 2], "int32"), 2.5).toArray()).toEqual([2.5, 5]);
    expect(f(np.array([1, 2], "int32"), 7).toArray()).toEqual([7, 14]);
    expect(f.inspect().signatures.length).toBe(2);
    expect(f.inspect().signatures.find((s) => s.signature.endsWith("float number"))!.traceReason).toBe("args[1] is float number (cached: int number)");
  });
  it("works in every tier with the same bits", () => {
    const fn = (a: NDArray, dt: number, t: number) => a.mul(dt).add(np.sin(a.mul(t)));
    const x = np.linspace(-3, 3, 11);
    for (const tier of ["interpreter", "js", "wasm"] as const) {
      const f = jit(fn, { tier });
      for (const [dt, t] of [[0.1, 0], [0.25, 1e30], [-0, NaN], [Infinity, 3]]) {
        expect(Array.from(f(x, dt!, t!).toTypedArray())).toEqual(Array.from(fn(x, dt!, t!).toTypedArray()));
      }
    }
  });
  it("staticArgnums and staticArgnames make numbers compile-time constants", () => {
    const g = jit((a: NDArray, n: number) => a.reshape(n, -1), { staticArgnums: [1] });
    expect(g(np.ones([4]), 2).shape).toEqual([2, 2]);
    expect(g(np.ones([4]), 4).shape).toEqual([4, 1]);
    expect(g.inspect().signatures.map((s) => s.signature)).toEqual(["f32[4], 2", "f32[4], 4"]);
    const r = jit((o: { x: NDArray; axis: number; scale: number }) => o.x.sum(o.axis).mul(o.scale), { staticArgnames: ["axis"] });
    expect(r({ x: np.ones([2, 3]), axis: 1, scale: 2 }).toArray()).toEqual([6, 6]);
    expect(r({ x: np.ones([2, 3]), axis: 1, scale: 3 }).toArray()).toEqual([9, 9]);
    expect(r.inspect().signatures.length).toBe(1);
    expect(() => jit((x: NDArray) => x, { staticArgnums: [-1] })).toThrow(/staticArgnums must be an array of argument positions/);
    expect(() => jit((x: NDArray) => x, { staticArgnames: [1 as never] })).toThrow(/staticArgnames must be an array of record keys/);
  });
  it("a traced number where a static value is needed names the argument and staticArgnums", () => {
    const hint = /args\[1\] of jit\(anonymous\) is a traced number .*jit\(anonymous, \{ staticArgnums: \[1\] \}\)/;
    const cases: ((a: NDArray, n: number) => unknown)[] = [
      (a, n) => a.reshape(n, -1), // a shape
      (a, n) => np.zeros([n]), // a creation shape
      (a, n) => a.sum(n), // an axis
      (a, n) => a.expandDims(n),
      (a, n) => np.forLoop(0, n, (_i, c: NDArray) => c.add(1), a), // a loop bound
      (a, n) => (n > 0 ? a : a.neg()), // a JS if on a comparison
      (a, n) => a.mul(n * 2), // JS arithmetic
      (a, n) => np.arange(n),
    ];
    for (const c of cases) {
      const f = jit(c);
      let err: unknown;
      try {
        f(np.ones([4]), 1);
      } catch (e) {
        err = e;
      }
      expect(err, String(c)).toBeInstanceOf(Error);
      expect((err as Error).name, String(c)).toBe("TracerError");
      expect((err as Error).message, String(c)).toMatch(hint);
    }
    const rec = jit((o: { x: NDArray; n: number }) => o.x.sum(o.n));
    expect(() => rec({ x: np.ones([2, 3]), n: 1 })).toThrow(/args\[0\]\.n of jit\(anonymous\) is a traced number .*staticArgnames: \["n"\] \}\) \(or \{ staticArgnums: \[0\] \} for the whole argument\)$/);
  });
  it("booleans stay static (JS cannot intercept an object's truthiness, so a traced flag in `if` would be silently true)", () => {
    const f = jit((a: NDArray, neg: boolean) => (neg ? a.neg() : a));
    expect(f(np.ones([2]), false).toArray()).toEqual([1, 1]);
    expect(f(np.ones([2]), true).toArray()).toEqual([-1, -1]);
    expect(f.inspect().signatures.length).toBe(2);
  });
  it("a traced number can be a carry, a Variable's new value and a result", () => {
    const f = jit((a: NDArray, k: number) => np.forLoop(0, 3, (_i, c: { s: NDArray; k: NDArray }) => ({ s: c.s.add(c.k), k: c.k }), { s: a, k: k as unknown as NDArray }));
    const r = f(np.zeros([2]), 0.5);
    expect(r.s.toArray()).toEqual([1.5, 1.5]);
    expect(r.k.dtype).toBe("float32");
  });
});

describe("plain JS arrays", () => {
  it("work as np.array would", () => {
    const f = jit((x: NDArray) => x.add(1));
    expect(f([1, 2, 3] as never).toArray()).toEqual([2, 3, 4]);
    expect(f([[1, 2], [3, 4]] as never).toArray()).toEqual([[2, 3], [4, 5]]);
    expect(f([5, 6, 7] as never).toArray()).toEqual([6, 7, 8]);
    expect(f.inspect().signatures.length).toBe(2); // shapes, not values, key the cache
    const g = jit((xs: NDArray[]) => xs[0]!.add(xs[1]!)); // a list of arrays is still a tree
    expect(g([np.ones([2]), np.ones([2])]).toArray()).toEqual([2, 2]);
  });
});

describe("bounded cache", () => {
  it("keeps maxSignatures, evicting the least recently used, and warns once naming the changing argument", () => {
    const seen: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((s: string) => void seen.push(s));
    const m = jit((a: NDArray, k: number) => a.add(k), { maxSignatures: 4 });
    m(np.ones([1]), 1);
    for (let i = 2; i < 20; i++) {
      m(np.ones([i]), 1);
      m(np.ones([1]), 1); // the first signature stays recently used
    }
    expect(m.inspect().signatures.length).toBe(4);
    expect(m.inspect().signatures.map((s) => s.signature)).toContain("f32[1], int number");
    expect(m.inspect().evictedSignatures).toBe(15);
    expect(seen).toEqual([]); // every other call hit the cache: no retrace streak
    const w = jit((a: NDArray, k: number) => a.add(k), { maxSignatures: 4, staticArgnums: [1] });
    for (let i = 0; i < 20; i++) expect(w(np.ones([2]), i + 0.5).toArray()).toEqual([i + 1.5, i + 1.5]);
    expect(seen.length).toBe(1);
    expect(seen[0]).toMatch(/^tierjit: jit\(anonymous\): 8 of the last 8 calls triggered retracing: the argument that keeps changing is args\[1\] \(a static value/);
    expect(w.inspect().warnings).toEqual([seen[0]!.replace("tierjit: jit(anonymous): ", "")]);
    expect(w.explain()).toContain("warning: 8 of the last 8 calls triggered retracing");
  });
  it("an evicted signature's resident Variable keeps its value in a JS buffer", () => {
    const v = new Variable(np.zeros([3]));
    const f = jit((a: NDArray) => { v.value = v.add(a.sum()); }, { tier: "wasm", maxSignatures: 1 });
    f(np.ones([2]));
    f(np.ones([2]));
    expect(v._data).not.toBeInstanceOf(Float64Array);
    f(np.ones([3])); // evicts the first signature
    expect(v.toArray()).toEqual([7, 7, 7]);
    expect(f.inspect().evictedSignatures).toBe(1);
  });
});
