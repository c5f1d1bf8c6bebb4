import { describe, expect, it } from "vitest";
import { jit, Module, NDArray, np, Variable, TracerError, ShapeError, DTypeError, ArgumentError, jitMethod } from "../index.js";

const sameBits = (a: NDArray, b: NDArray) => {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(Array.from(a.toTypedArray(), (x) => (Object.is(x, -0) ? "-0" : String(x)))).toEqual(Array.from(b.toTypedArray(), (x) => (Object.is(x, -0) ? "-0" : String(x))));
};

const gelu = (x: NDArray) => x.mul(0.5).mul(np.tanh(x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1));

describe("jit of functions", () => {
  it("agrees with eager mode bit for bit", () => {
    const x = np.array([-3, -1, -0, 0, 0.5, 2, NaN, Infinity, -Infinity]);
    sameBits(jit(gelu)(x), gelu(x));
    const f = (a: NDArray, b: NDArray) => ({ s: a.mul(b).sum(0), m: np.maximum(a, b).mean(), w: np.where(a.greater(b), a, b.neg()) });
    const a = np.random.normal([5, 3]);
    const b = np.random.normal([3]);
    const e = f(a, b);
    const j = jit(f)(a, b);
    sameBits(j.s, e.s);
    sameBits(j.m, e.m);
    sameBits(j.w, e.w);
  });

  it("caches by shape and dtype, retraces on change, and says why", () => {
    let traces = 0;
    const f = jit(function double(x: NDArray) {
      traces++;
      return x.mul(2);
    });
    f(np.ones([3]));
    f(np.zeros([3]));
    expect(traces).toBe(1);
    f(np.ones([4]));
    f(np.ones([4], "int32"));
    expect(traces).toBe(3);
    const r = f.inspect();
    expect(r.name).toBe("double");
    expect(r.calls).toBe(4);
    expect(r.signatures.map((s) => s.signature)).toEqual(["f32[3]", "f32[4]", "i32[4]"]);
    expect(r.signatures[0]!.traceReason).toBe("first call");
    expect(r.signatures[1]!.traceReason).toBe("args[0] is f32[4] (cached: f32[3])");
    expect(r.signatures[2]!.traceReason).toBe("args[0] is i32[4] (cached: f32[4])");
    expect(r.signatures[0]!.calls).toBe(2);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("static arguments are part of the key; nested argument trees work", () => {
    let traces = 0;
    const f = jit((p: { x: NDArray; ys: NDArray[] }, k: number) => {
      traces++;
      return [p.x.mul(k), p.ys[0]!.add(p.ys[1]!)];
    }, { staticArgnums: [1] });
    const p = { x: np.ones([2]), ys: [np.ones([2]), np.ones([2])] };
    const [a, b] = f(p, 3) as NDArray[];
    expect(a!.toArray()).toEqual([3, 3]);
    expect(b!.toArray()).toEqual([2, 2]);
    f(p, 3);
    expect(traces).toBe(1);
    f(p, 4);
    expect(traces).toBe(2);
    expect(f.inspect().signatures[1]!.traceReason).toBe("args[1] is 4 (cached: 3)");
  });

  it("closed-over arrays and numbers are constants", () => {
    const W = np.array([[1, 2], [3, 4]]);
    const f = jit((x: NDArray) => W.dot(x).add(Math.PI));
    expect(f(np.array([1, 1])).toArray()).toEqual([3 + Math.fround(Math.PI), 7 + Math.fround(Math.PI)].map(Math.fround));
    expect(f.inspect().signatures[0]!.ir).toMatch(/const/);
  });

  it("shows IR and bytecode in inspect() and explain()", () => {
    const f = jit(gelu, { maxTier: "interpreter" }); // one 1e5 call is hot enough (by time) to promote otherwise
    f(np.ones([100000]));
    const s = f.inspect().signatures[0]!;
    expect(s.signature).toBe("f32[100000]");
    expect(s.ir).toMatch(/^program\(%0: f32\[100000\] <args\[0\]>\)/);
    expect(s.ir).toMatch(/tanh/);
    expect(s.bytecode).toMatch(/tanh\s+r\d+ <- r\d+/);
    expect(s.tier).toBe("interpreter");
    expect(s.events[0]).toMatchObject({ call: 0, from: null, to: "interpreter" });
    expect(f.explain()).toMatch(/jit\(gelu\): 1 calls/);
  });

  it("reuses scratch buffers but never hands the same output buffer out twice", () => {
    const f = jit((x: NDArray) => x.mul(2).add(1).mul(3));
    const a = f(np.ones([4]));
    const b = f(np.ones([4]));
    expect(a.toArray()).toEqual([9, 9, 9, 9]);
    expect(b.toArray()).toEqual([9, 9, 9, 9]);
    expect(a._data).not.toBe(b._data);
    const bc = f.inspect().signatures[0]!.bytecode;
    expect(bc).toMatch(/3 instructions, 6 registers \(3 constants\)/);
    expect(bc).toMatch(/add\s+(r\d+) <- \1, r\d+/); // in place in a dead scratch buffer
  });

  it("returns inputs, constants and repeated outputs as independent arrays", () => {
    const x = np.array([1, 2]);
    const f = jit((a: NDArray) => [a, a, a.reshape(2, 1), 5, "s"]);
    const [a, b, c, five, s] = f(x) as [NDArray, NDArray, NDArray, number, string];
    expect(a.toArray()).toEqual([1, 2]);
    expect(a._data).not.toBe(x._data);
    expect(a._data).not.toBe(b._data);
    expect(c.shape).toEqual([2, 1]);
    expect(five).toBe(5);
    expect(s).toBe("s");
  });
});

describe("tracer errors", () => {
  it("concretising a traced value names the operation", () => {
    expect(() => jit((x: NDArray) => (x as any) > 0)(np.ones([2]))).toThrow(TracerError);
    expect(() => jit((x: NDArray) => (x as any) > 0)(np.ones([2]))).toThrow(/`x > 0`/);
    expect(() => jit((x: NDArray) => Number(x))(np.ones([1]))).toThrow(/Cannot convert a traced array/);
    expect(() => jit((x: NDArray) => x.toArray())(np.ones([1]))).toThrow(/toArray\(\) needs a concrete value/);
    expect(() => jit((x: NDArray) => x.toTypedArray())(np.ones([1]))).toThrow(/toTypedArray\(\) needs a concrete value/);
  });
  it("a leaked tracer says it escaped", () => {
    let leaked: NDArray | undefined;
    jit((x: NDArray) => {
      leaked = x.mul(2);
      return x;
    })(np.ones([2]));
    expect(() => leaked!.add(1)).toThrow(/escaped its jit trace/);
    expect(() => jit((y: NDArray) => y.add(leaked!))(np.ones([2]))).toThrow(/escaped/);
  });
  it("shape errors inside jit name the op and shapes", () => {
    expect(() => jit((a: NDArray, b: NDArray) => a.add(b))(np.ones([2]), np.ones([3]))).toThrow(ShapeError);
  });
  it("bad arguments and options are clear errors", () => {
    expect(jit((x: NDArray) => x)(new Float32Array(2) as any).shape).toEqual([2]); // as np.array (vm/typedarrays.test.ts)
    expect(() => jit((x: NDArray) => x)(new BigInt64Array(2) as any)).toThrow(/args\[0\]: a BigInt64Array is not supported/);
    expect(() => jit((x: NDArray) => x)(new Map() as any)).toThrow(ArgumentError);
    expect(() => jit(42 as any)).toThrow(/expected a function or an object with a call/);
    expect(() => jit((x: NDArray) => x, { tier: "gpu" as any })).toThrow(/unknown tier "gpu"/);
    expect(() => jit((x: NDArray) => x, 5 as any)).toThrow(/jit: options must be an object/);
    expect(() => jit((x: NDArray) => x, { maxtier: "js" } as any)).toThrow(/jit: unknown option "maxtier"; options are name, tier, maxTier/);
    expect(() => np.zeros(3 as any)).toThrow(/np.zeros: shape must be an array of non-negative integers, got 3/);
    expect(() => np.broadcastTo(np.ones([2]), "a" as any)).toThrow(/broadcastTo: shape must be an array/);
  });
});

describe("np.random under jit", () => {
  it("draws fresh numbers on every call, the same stream as eager mode", () => {
    const draw = () => ({ u: np.random.random([5]), n: np.random.normal([3]) });
    np.random.seed(7);
    const eager = [draw(), draw(), draw()];
    np.random.seed(7);
    const f = jit(draw);
    const jitted = [f(), f(), f()];
    jitted.forEach((j, k) => {
      sameBits(j.u, eager[k]!.u);
      sameBits(j.n, eager[k]!.n);
    });
    expect(jitted[0]!.u.toArray()).not.toEqual(jitted[1]!.u.toArray());
    expect(f.inspect().signatures.length).toBe(1);
  });
});

describe("Variables and Modules", () => {
  it("eager assignment updates in place; shape and dtype are checked", () => {
    const v = new Variable(np.zeros([3]));
    const alias = v;
    v.value = v.add(1);
    expect(alias.toArray()).toEqual([1, 1, 1]);
    v.value = 5;
    expect(v.toArray()).toEqual([5, 5, 5]);
    expect(() => (v.value = np.zeros([4]))).toThrow(/Variable assignment: value has shape \[4\] but Variable#\d+ has shape \[3\]/);
    expect(() => (v.value = np.zeros([3], "int32"))).toThrow(DTypeError);
  });

  it("jitted assignment writes back in place, read-after-write sees the new value", () => {
    const v = new Variable(np.array([1, 2, 3]));
    const w = new Variable(np.array([10, 20, 30]));
    const f = jit((k: number) => {
      v.value = v.value.mul(k);
      w.value = w.add(v); // reads the new v
      return v.value.sum();
    });
    const before = v._data;
    expect(f(2).toArray()).toBe(12);
    expect(v.toArray()).toEqual([2, 4, 6]);
    expect(w.toArray()).toEqual([12, 24, 36]);
    expect(v._data).toBe(before);
    f(2);
    expect(v.toArray()).toEqual([4, 8, 12]);
    expect(f.inspect().signatures.length).toBe(1);
  });

  it("swapping two Variables does not clobber either", () => {
    const a = new Variable(np.array([1, 2]));
    const b = new Variable(np.array([3, 4]));
    const swap = jit(() => {
      const old = a.value;
      a.value = b.value;
      b.value = old;
    });
    swap();
    expect(a.toArray()).toEqual([3, 4]);
    expect(b.toArray()).toEqual([1, 2]);
  });

  it("a Variable passed as an argument is state, keyed by identity", () => {
    const f = jit((v: Variable) => {
      v.value = v.add(1);
    });
    const a = new Variable(np.zeros([2]));
    const b = new Variable(np.zeros([2]));
    f(a);
    f(a);
    f(b);
    expect(a.toArray()).toEqual([2, 2]);
    expect(b.toArray()).toEqual([1, 1]);
    expect(f.inspect().signatures.length).toBe(2);
  });

  it("logistic regression as a Module matches a float64 reference", () => {
    class LogReg extends Module {
      w = new Variable(np.zeros([10]));
      constructor(readonly X: NDArray, readonly Y: NDArray) {
        super();
      }
      call() {
        const u = np.dot(np.div(1, np.add(1, np.exp(this.Y.neg().mul(np.dot(this.X, this.w))))).sub(1).mul(this.Y), this.X);
        this.w.value = this.w.sub(u);
      }
    }
    np.random.seed(1);
    const N = 500;
    const X = np.random.normal([N, 10]).mul(0.1);
    const Y = np.where(np.random.random([N]).greater(0.5), 1, -1);
    const eager = new LogReg(X, Y);
    const jitted = new LogReg(X, Y);
    const step = jit(jitted);
    for (let i = 0; i < 30; i++) {
      eager.call();
      step();
    }
    sameBits(jitted.w, eager.w);
    // float64 reference
    const xs = X.toArray() as number[][];
    const ys = Y.toArray() as number[];
    let w = new Array(10).fill(0);
    for (let it = 0; it < 30; it++) {
      const u = new Array(10).fill(0);
      xs.forEach((row, n) => {
        const z = row.reduce((s, x, j) => s + x * w[j], 0);
        const g = (1 / (1 + Math.exp(-ys[n]! * z)) - 1) * ys[n]!;
        row.forEach((x, j) => (u[j] += g * x));
      });
      w = w.map((v, j) => v - u[j]);
    }
    (jitted.w.toArray() as number[]).forEach((v, j) => expect(Math.abs(v - w[j]!)).toBeLessThan(1e-4 * (1 + Math.abs(w[j]!))));
    expect(step.inspect().name).toBe("LogReg.call");
  });

  it("jitMethods and the decorator jit methods per instance, with fields as constants", () => {
    class Counter extends Module {
      n = new Variable(np.zeros([1]));
      constructor(readonly step: number) {
        super();
      }
      tick(times: number) {
        this.n.value = this.n.add(np.mul(times, this.step)); // times is traced: a new value reuses the trace
        return this.n.value;
      }
    }
    Module.jitMethods(Counter, "tick");
    const a = new Counter(1);
    const b = new Counter(10);
    expect(a.tick(3).toArray()).toEqual([3]);
    expect(b.tick(2).toArray()).toEqual([20]);
    expect(a.jitted("tick").inspect().calls).toBe(1);
    expect(a.variables()).toEqual([a.n]);
    const deco = jitMethod();
    expect(typeof deco).toBe("function");
  });

});

describe("inspect() per tier (issue 14)", () => {
  it("kernels shows what each tier compiled, with its own fusion policy", () => {
    const f = jit((A: NDArray, x: NDArray) => np.sigmoid(np.dot(A, x)), { hot: { js: { calls: 1 }, wasm: { calls: 1 } } });
    const A = np.ones([64, 64]);
    const x = np.ones([64]);
    f(A, x);
    for (let i = 0; i < 100_000 && f.inspect().signatures[0]!.tier !== "wasm"; i++) f(A, x);
    const k = f.inspect().signatures[0]!.kernels;
    expect(Object.keys(k)).toEqual(["interpreter", "js", "wasm"]);
    const count = (s: string | undefined) => (s?.match(/^kernel \d+/gm) ?? []).length;
    // Tier 1 splits the long-latency sigmoid epilogue out of the matmul (split.ts); tier 2 keeps it fused.
    expect(count(k.js)).toBe(count(k.wasm) + 1);
    expect(k.wasm).toMatch(/epi  %\d+: f32\[64\] = sigmoid/);
    expect(k.js).not.toMatch(/epi  %\d+: f32\[64\] = sigmoid/);
    expect(k.interpreter).toMatch(/interpreter runs the IR/);
  });
});
