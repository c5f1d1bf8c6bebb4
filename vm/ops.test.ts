import { describe, expect, it } from "vitest";
import { NDArray, jit, np, ShapeError, ArgumentError, DTypeError } from "../index.js";

const f32 = Math.fround;
const SPECIAL = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-40, -1e-40, 3.4e38, -3.4e38, Infinity, -Infinity, NaN, 7.25, 100, -100, 1e-7];

/** Same bits (NaN equals NaN, -0 differs from +0). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`element ${i}: got ${a[i]}, expected ${b[i]}`);
  }
}

function randomF32(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) - 0.5) * 20;
  }
  return out;
}

describe("elementwise ops against a float64 reference", () => {
  const x = new Float32Array([...SPECIAL, ...randomF32(200, 1)]);
  const y = new Float32Array([...SPECIAL.slice().reverse(), ...randomF32(200, 2)]);
  const X = np.array(x);
  const Y = np.array(y);
  const exact: [string, (a: NDArray, b: NDArray) => NDArray, (a: number, b: number) => number][] = [
    ["add", (a, b) => np.add(a, b), (a, b) => f32(a + b)],
    ["sub", (a, b) => a.sub(b), (a, b) => f32(a - b)],
    ["mul", (a, b) => a.mul(b), (a, b) => f32(a * b)],
    ["div", (a, b) => a.div(b), (a, b) => f32(a / b)],
    ["maximum", (a, b) => np.maximum(a, b), Math.max],
    ["minimum", (a, b) => np.minimum(a, b), Math.min],
  ];
  for (const [name, op, ref] of exact) {
    it(`${name} is correctly rounded float32`, () => {
      const r = op(X, Y);
      expect(r.dtype).toBe("float32");
      sameBits(r.toTypedArray(), Array.from(x, (a, i) => ref(a, y[i]!)));
    });
  }
  const unaryExact: [string, (a: NDArray) => NDArray, (a: number) => number][] = [
    ["neg", (a) => a.neg(), (a) => -a],
    ["abs", (a) => np.abs(a), Math.abs],
    ["sqrt", (a) => a.sqrt(), (a) => f32(Math.sqrt(a))],
    ["floor", (a) => a.floor(), Math.floor],
    ["ceil", (a) => a.ceil(), Math.ceil],
    ["sign", (a) => a.sign(), (a) => (a > 0 ? 1 : a < 0 ? -1 : a)],
  ];
  for (const [name, op, ref] of unaryExact) {
    it(`${name} matches exactly`, () => sameBits(op(X).toTypedArray(), Array.from(x, ref)));
  }
  const ulp = (v: number) => {
    const a = Math.abs(v);
    if (a < 2 ** -126) return 2 ** -149;
    return 2 ** (Math.floor(Math.log2(a)) - 23);
  };
  const approx: [string, (a: NDArray) => NDArray, (a: number) => number][] = [
    ["exp", (a) => a.exp(), Math.exp],
    ["log", (a) => a.log(), Math.log],
    ["tanh", (a) => a.tanh(), Math.tanh],
    ["sin", (a) => a.sin(), Math.sin],
    ["cos", (a) => a.cos(), Math.cos],
    ["sigmoid", (a) => a.sigmoid(), (a) => 1 / (1 + Math.exp(-a))],
  ];
  for (const [name, op, ref] of approx) {
    it(`${name} is within 2 ulp of float64 and keeps special values`, () => {
      const got = op(X).toTypedArray();
      x.forEach((a, i) => {
        const want = ref(a);
        const g = got[i]!;
        if (Number.isNaN(want)) return expect(g).toBeNaN();
        if (!Number.isFinite(want) || Math.abs(want) > 3.4e38) return expect(g).toBe(f32(want));
        if (Math.abs(a) > 1e5 && (name === "sin" || name === "cos")) return;
        const err = Math.abs(g - want) / ulp(want);
        if (err > 2) throw new Error(`${name}(${a}) = ${g}, want ${want}: ${err} ulp`);
      });
    });
  }
  it("pow follows Math.pow's special cases", () => {
    const a = np.array([2, -2, -2, 0, -0, NaN, 1, 4, Infinity, -Infinity, 0.5]);
    const b = np.array([3, 3, 0.5, -1, -1, 0, NaN, 0.5, -1, 3, Infinity]);
    const got = a.pow(b).toTypedArray();
    const want = [8, -8, NaN, Infinity, -Infinity, 1, NaN, 2, 0, -Infinity, 0];
    sameBits(got, want);
  });
  it("pow with a static integer exponent is a multiplication chain in eager mode and every tier", () => {
    const vals = new Float32Array([...SPECIAL, ...randomF32(61, 9), 1e13, -1e13, 2 ** -50, 3e-13]);
    const a = np.array(vals);
    const chain: Record<number, (v: number) => number> = {
      3: (v) => f32(v * f32(v * v)),
      [-3]: (v) => f32(1 / f32(v * f32(v * v))),
      4: (v) => f32(f32(v * v) * f32(v * v)),
      7: (v) => { const v2 = f32(v * v); return f32(f32(f32(v * v2)) * f32(v2 * v2)); },
      [-2]: (v) => f32(1 / f32(v * v)),
      1: (v) => v,
      [-1]: (v) => f32(1 / v),
    };
    for (const [n, ref] of Object.entries(chain).map(([k, r]) => [Number(k), r] as const)) {
      const want = Array.from(vals, ref);
      sameBits(a.pow(n).toTypedArray(), want);
      sameBits(np.pow(a, n).toTypedArray(), want);
      for (const tier of ["interpreter", "js", "wasm"] as const) sameBits(jit((x: NDArray) => x.pow(n), { tier })(a).toTypedArray(), want);
    }
    // x ** 3 is exactly x.mul(x).mul(x), and the traced program holds no pow.
    sameBits(a.pow(3).toTypedArray(), a.mul(a).mul(a).toTypedArray());
    const f = jit((x: NDArray) => x.pow(3), { tier: "interpreter" });
    f(a);
    expect(f.inspect().signatures[0]!.ir).not.toContain("pow");
    // Beyond the chain's range, a zero exponent and an array exponent keep the general algorithm.
    sameBits(a.pow(17).toTypedArray(), a.pow(np.full([], 17)).toTypedArray());
    sameBits(np.pow(np.array([NaN, 0, Infinity]), 0).toTypedArray(), [1, 1, 1]);
    expect(np.pow(np.array([2], "int32"), 3).dtype).toBe("float32");
    expect(np.pow(np.array([2], "float64"), -3).toArray()).toEqual([0.125]);
  });
  it("comparisons give bool with NaN never equal", () => {
    const a = np.array([1, NaN, 2, -0]);
    const b = np.array([1, NaN, 3, 0]);
    expect(np.equal(a, b).toArray()).toEqual([true, false, false, true]);
    expect(np.notEqual(a, b).toArray()).toEqual([false, true, true, false]);
    expect(a.less(b).toArray()).toEqual([false, false, true, false]);
    expect(a.lessEqual(b).toArray()).toEqual([true, false, true, true]);
    expect(a.greater(b).dtype).toBe("bool");
    expect(a.greaterEqual(b).toArray()).toEqual([true, false, false, true]);
  });
  it("where selects and broadcasts its three operands", () => {
    const c = np.array([[true], [false]]);
    const r = np.where(c, np.array([1, 2, 3]), 0);
    expect(r.shape).toEqual([2, 3]);
    expect(r.toArray()).toEqual([[1, 2, 3], [0, 0, 0]]);
    expect(np.where(np.array([0, 2]), 1, -1).toArray()).toEqual([-1, 1]);
  });
});

describe("broadcasting", () => {
  it("scalars, size-1 axes, missing axes and zero-size axes", () => {
    const a = np.arange(6).reshape(2, 3);
    expect(a.add(1).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(a.add(np.array([10, 20, 30])).toArray()).toEqual([[10, 21, 32], [13, 24, 35]]);
    expect(a.add(np.array([[100], [200]])).toArray()).toEqual([[100, 101, 102], [203, 204, 205]]);
    expect(np.array([[1], [2]]).mul(np.array([[1, 2, 3]])).toArray()).toEqual([[1, 2, 3], [2, 4, 6]]);
    expect(np.zeros([0, 3]).add(np.ones([3])).shape).toEqual([0, 3]);
    expect(np.ones([1, 0]).add(np.ones([4, 1])).shape).toEqual([4, 0]);
    expect(np.array(2).mul(np.array(3)).shape).toEqual([]);
    expect(np.ones([2, 1, 3]).add(np.ones([4, 1])).shape).toEqual([2, 4, 3]);
  });
  it("incompatible shapes name the op and both shapes", () => {
    expect(() => np.add(np.ones([2, 3]), np.ones([4]))).toThrow(ShapeError);
    expect(() => np.add(np.ones([2, 3]), np.ones([4]))).toThrow(/add: shapes \[2,3\] and \[4\] cannot be broadcast/);
  });
});

describe("dtype promotion", () => {
  const i = np.array([1, 2, 3], { dtype: "int32" });
  const f = np.array([1, 2, 3]);
  const d = np.array([1, 2, 3], "float64");
  const b = np.array([true, false, true]);
  it.each([
    ["f32 * 2", () => f.mul(2), "float32"],
    ["f32 * 0.5", () => f.mul(0.5), "float32"],
    ["i32 * 2", () => i.mul(2), "int32"],
    ["i32 * 0.5", () => i.mul(0.5), "float32"],
    ["i32 + f32", () => i.add(f), "float32"],
    ["f32 + f64", () => f.add(d), "float64"],
    ["i32 / i32", () => i.div(i), "float32"],
    ["f64 / 2", () => d.div(2), "float64"],
    ["bool + bool", () => b.add(b), "int32"],
    ["bool + 1", () => b.add(1), "int32"],
    ["bool * 1.5", () => b.mul(1.5), "float32"],
    ["exp(i32)", () => i.exp(), "float32"],
    ["i32 ** 2", () => i.pow(2), "float32"],
    ["neg(i32)", () => i.neg(), "int32"],
    ["max(bool, bool)", () => np.maximum(b, b), "bool"],
    ["sum(bool)", () => b.sum(), "int32"],
    ["sum(i32)", () => i.sum(), "int32"],
    ["mean(i32)", () => i.mean(), "float32"],
    ["dot(i32, i32)", () => i.dot(i), "int32"],
    ["dot(i32, f64)", () => i.dot(d), "float64"],
    ["where(b, i32, 1.5)", () => np.where(b, i, 1.5), "float32"],
  ] as const)("%s -> %s", (_, fn, want) => {
    expect(fn().dtype).toBe(want);
  });
  it("int32 arithmetic wraps and int division is true division", () => {
    const big = np.array([2147483647, -2147483648], "int32");
    expect(big.add(1).toArray()).toEqual([-2147483648, -2147483647]);
    expect(big.mul(2).toArray()).toEqual([-2, 0]);
    expect(big.neg().toArray()).toEqual([-2147483647, -2147483648]);
    expect(np.array([7, -7], "int32").div(2).toArray()).toEqual([3.5, -3.5]);
  });
  it("casts truncate, saturate and map NaN to 0; bool is x != 0", () => {
    const x = np.array([1.9, -1.9, 3e9, -3e9, NaN, -0, 0.1], "float64");
    expect(x.astype("int32").toArray()).toEqual([1, -1, 2147483647, -2147483648, 0, 0, 0]);
    expect(x.astype("bool").toArray()).toEqual([true, true, true, true, true, false, true]);
    expect(np.array([0.1], "float64").astype("float32").toArray()).toEqual([f32(0.1)]);
    expect(() => x.astype("float16" as never)).toThrow(DTypeError);
  });
});

describe("reductions", () => {
  const a = np.arange(24).reshape(2, 3, 4);
  it("sum/mean/max/min over axes with keepdims", () => {
    expect(a.sum().toArray()).toBe(276);
    expect(a.sum(0).toArray()).toEqual([[12, 14, 16, 18], [20, 22, 24, 26], [28, 30, 32, 34]]);
    expect(a.sum([0, 2]).toArray()).toEqual([60, 92, 124]);
    expect(a.sum(-1, true).shape).toEqual([2, 3, 1]);
    expect(np.sum(a, { axis: 1, keepdims: true }).shape).toEqual([2, 1, 4]);
    expect(a.max(1).toArray()).toEqual([[8, 9, 10, 11], [20, 21, 22, 23]]);
    expect(a.min([1, 2]).toArray()).toEqual([0, 12]);
    expect(a.mean(2).toArray()).toEqual([[1.5, 5.5, 9.5], [13.5, 17.5, 21.5]]);
  });
  it("NaN propagates through max/min; empty sum is +0; empty max is an error", () => {
    expect(np.array([1, NaN, 3]).max().item()).toBeNaN();
    expect(np.array([1, NaN, 3]).min().item()).toBeNaN();
    expect(Object.is(np.zeros([0]).sum().item(), 0)).toBe(true);
    expect(Object.is(np.array([-0]).sum().item(), -0)).toBe(true);
    expect(() => np.zeros([2, 0]).max(1)).toThrow(/max: cannot reduce axis 1 of size 0/);
    expect(np.zeros([2, 0]).max(0).shape).toEqual([0]);
  });
  it("float32 sums use the canonical order: 4 lanes per block of 256 terms, blocks merged pairwise", () => {
    const lanes = (t: Float32Array) => {
      const p = [-0, -0, -0, -0];
      t.forEach((v, j) => (p[j % 4] = f32(p[j % 4]! + v)));
      return f32(f32(p[0]! + p[1]!) + f32(p[2]! + p[3]!));
    };
    const x = new Float32Array(1001).map((_, i) => Math.fround(Math.sin(i) * 1000));
    expect(np.array(x.subarray(0, 256)).sum().item()).toBe(lanes(x.subarray(0, 256)));
    // 1001 terms: blocks b0..b3 (the last of 233 terms) merge as ((b0 + b1) + (b2 + b3)).
    const b = [0, 1, 2, 3].map((k) => lanes(x.subarray(256 * k, 256 * (k + 1))));
    expect(np.array(x).sum().item()).toBe(f32(f32(b[0]! + b[1]!) + f32(b[2]! + b[3]!)));
    // 700 terms: the stack holds (b0 + b1) and b2 at the end, folded from the top.
    const c = [0, 1, 2].map((k) => lanes(x.subarray(256 * k, Math.min(256 * (k + 1), 700))));
    expect(np.array(x.subarray(0, 700)).sum().item()).toBe(f32(f32(c[0]! + c[1]!) + c[2]!));
  });
  it("bad axes are errors", () => {
    expect(() => a.sum(3)).toThrow(ArgumentError);
    expect(() => a.sum([0, 0])).toThrow(/repeated axis/);
  });
});

describe("linear algebra", () => {
  const A = np.array([[1, 2, 3], [4, 5, 6]]);
  it("dot and matmul for every 1-D/2-D combination", () => {
    expect(np.dot(np.array([1, 2, 3]), np.array([4, 5, 6])).toArray()).toBe(32);
    expect(A.dot(np.array([1, 0, -1])).toArray()).toEqual([-2, -2]);
    expect(np.array([1, -1]).dot(A).toArray()).toEqual([-3, -3, -3]);
    expect(A.matmul(A.T).toArray()).toEqual([[14, 32], [32, 77]]);
    expect(np.dot(A, 2).toArray()).toEqual([[2, 4, 6], [8, 10, 12]]);
  });
  it("misaligned shapes name both shapes", () => {
    expect(() => A.dot(A)).toThrow(/dot: shapes \[2,3\] and \[2,3\] are not aligned/);
    expect(() => np.matmul(np.ones([2, 2, 2]), np.ones([3]))).toThrow(ShapeError);
  });
});

describe("movement", () => {
  const a = np.arange(6).reshape([2, 3]);
  it("reshape, transpose, expandDims, squeeze, broadcastTo", () => {
    expect(a.reshape(3, -1).shape).toEqual([3, 2]);
    expect(a.transpose().toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(np.arange(24).reshape(2, 3, 4).transpose(1, 0, 2).shape).toEqual([3, 2, 4]);
    expect(a.expandDims(0).shape).toEqual([1, 2, 3]);
    expect(a.expandDims(-1).shape).toEqual([2, 3, 1]);
    expect(np.ones([1, 3, 1]).squeeze().shape).toEqual([3]);
    expect(np.ones([1, 3, 1]).squeeze(2).shape).toEqual([1, 3]);
    expect(np.array([1, 2, 3]).broadcastTo([2, 3]).toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
  });
  it("errors", () => {
    expect(() => a.reshape(4, 2)).toThrow(/cannot reshape array of shape \[2,3\] \(size 6\) into \[4,2\]/);
    expect(() => a.transpose(0, 0)).toThrow(ArgumentError);
    expect(() => a.squeeze(0)).toThrow(/squeeze: axis 0 of shape \[2,3\] has size 2/);
    expect(() => a.broadcastTo([3, 3])).toThrow(/broadcastTo: cannot broadcast shape \[2,3\] to \[3,3\]/);
  });
});

describe("creation and conversion", () => {
  it("np.array infers shape and dtype, rejects ragged input", () => {
    expect(np.array([[1, 2], [3, 4]]).shape).toEqual([2, 2]);
    expect(np.array([true, false]).dtype).toBe("bool");
    expect(np.array(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(np.array([1, 2, 3, 4], { shape: [2, 2] }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => np.array([[1, 2], [3]])).toThrow(/ragged at element \[1\]/);
    expect(() => np.array([1, "a"] as never)).toThrow(ArgumentError);
  });
  it("zeros/ones/full/arange/linspace and constants", () => {
    expect(np.zeros([2]).toArray()).toEqual([0, 0]);
    expect(np.ones([2], "int32").dtype).toBe("int32");
    expect(np.full([2], 7).toArray()).toEqual([7, 7]);
    expect(np.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(np.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(np.pi).toBe(Math.PI);
    expect(np.e).toBe(Math.E);
  });
  it("toString is numpy-like and JS operators on arrays give clear errors", () => {
    expect(String(np.array([[1, 2], [3, 4]]))).toBe("array([[1., 2.],\n       [3., 4.]], dtype=float32)");
    expect(+np.array([3])).toBe(3);
    expect(() => +np.array([1, 2])).toThrow(/Only size-1 arrays convert to a JS number/);
  });
  it("random is deterministic for a seed", () => {
    np.random.seed(42);
    const a = np.random.random([1000]);
    const n = np.random.normal([20000]);
    np.random.seed(42);
    expect(np.random.random([1000]).toArray()).toEqual(a.toArray());
    expect(a.dtype).toBe("float32");
    expect(a.min().item()).toBeGreaterThanOrEqual(0);
    expect(a.max().item()).toBeLessThan(1);
    expect(Math.abs(n.mean().item())).toBeLessThan(0.03);
    expect(Math.abs(n.mul(n).mean().item() - 1)).toBeLessThan(0.05);
  });
  it("square and clip follow numpy, eagerly and under jit", () => {
    const x = np.array([-3, -0.5, 0, 2, NaN]);
    expect(np.square(x).toArray()).toEqual([9, 0.25, 0, 4, NaN]);
    expect(x.clip(-1, 1).toArray()).toEqual([-1, -0.5, 0, 1, NaN]);
    expect(np.clip(np.array([1, 5, 9], "int32"), 2, np.array([4, 4, 10], "int32")).toArray()).toEqual([2, 4, 9]);
    expect(np.square(np.array([65536], "int32")).toArray()).toEqual([0]); // int32 wraps
    const f = jit((a: NDArray) => a.square().clip(0, 5), { tier: "wasm" });
    expect(f(x).toArray()).toEqual([5, 0.25, 0, 4, NaN]);
  });
  it("random.uniform and random.normal take a range / mean and std, as scaled standard draws", () => {
    np.random.seed(3);
    const z = np.random.normal([6]);
    const u = np.random.random([5]);
    np.random.seed(3);
    expect(np.random.normal([6], 2, 0.5).toArray()).toEqual(z.mul(0.5).add(2).toArray());
    expect(np.random.uniform([5], -1, 3).toArray()).toEqual(u.mul(4).add(-1).toArray());
    np.random.seed(3);
    expect(np.random.normal([6]).toArray()).toEqual(z.toArray()); // defaults add no steps: -0 stays -0
    const u2 = np.random.uniform([2, 3], np.array([0, 10, 20]), 30); // arrays broadcast
    expect(u2.shape).toEqual([2, 3]);
    expect(Array.from(u2.toTypedArray()).every((v, k) => v >= [0, 10, 20][k % 3]! && v < 30)).toBe(true);
    expect(() => np.random.normal([2], 0, NaN)).toThrow("np.random.normal: std must be a finite number or an array, got NaN");
    expect(() => np.random.uniform([2], "a" as never)).toThrow("np.random.uniform: low must be a finite number or an array, got string");
    expect(() => np.random.normal([3], np.zeros([2, 3]))).toThrow("np.random.normal: mean of shape [2,3] does not broadcast to the requested shape [3]");
    expect(() => np.random.uniform([3], 0, np.ones([2]))).toThrow(/np.random.uniform: .*\[2\]/);
    // Under jit, in any tier: the same stream.
    np.random.seed(9);
    const want = np.random.uniform([7], 5, 6).toArray();
    np.random.seed(9);
    expect(jit(() => np.random.uniform([7], 5, 6), { tier: "js" })().toArray()).toEqual(want);
  });
});
