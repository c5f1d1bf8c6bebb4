// Compiled eager mode (vm/eager.ts) against the reference kernels, bit for bit: every
// elementwise op of the table in every dtype it takes, over special values and the
// broadcast patterns (same shape, scalar, row, column), reductions over each axis
// set, matmul; on tier-1 kernels and on tier 2. Plus the cache's promises: one factory
// per op, dtype and broadcast pattern whatever the length, and the reference switch.

import { afterEach, describe, expect, it } from "vitest";
import type { DType } from "../ir/dtype.js";
import { BINARY_OPS, ELEMENTWISE, REDUCE_OPS, UNARY_OPS } from "../ir/ops.js";
import { kernelCacheSize } from "../tiers/js/index.js";
import { NDArray, Variable, np } from "../index.js";
import { eagerCacheStats, resetEagerCache, setEager, withEager, type EagerOptions } from "./eager.js";
import { elementwiseFns, reductions } from "./ops.js";

afterEach(() => void setEager({ kernels: "compiled", wasm: "auto", compileAt: 16384 }));

const SPECIAL = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-40, -1e-40, 3.4e38, -3.4e38, Infinity, -Infinity, NaN, 7.25, 100, -100, 1e-7, 2 ** 31, -(2 ** 31) - 1, 0.75, 40];

function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out = [...SPECIAL];
  while (out.length < n) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(((s / 2 ** 32) - 0.5) * 20);
  }
  return out.slice(0, n);
}

function arr(shape: number[], dt: DType, seed: number): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = values(n, seed);
  const data = dt === "bool" ? v.map((x) => (x > 0 ? 1 : 0)) : dt === "int32" ? v.map((x) => (Number.isFinite(x) ? Math.trunc(x * 1000) | 0 : 7)) : v;
  return np.array(data, dt).reshape(shape);
}

function sameBits(got: NDArray, want: NDArray, what: string): void {
  expect(got.dtype, what).toBe(want.dtype);
  expect(got.shape, what).toEqual(want.shape);
  const a = got.toTypedArray();
  const b = want.toTypedArray();
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${what}: element ${i} is ${a[i]}, the reference gives ${b[i]}`);
}

/** Runs `f` on the reference kernels and compiled under `mode`; the results must have the same bits (or throw the same error). */
function agree(what: string, f: () => NDArray, mode: Partial<EagerOptions>): void {
  let want: NDArray | Error;
  try {
    want = withEager({ kernels: "reference" }, f);
  } catch (e) {
    want = e as Error;
  }
  for (let call = 0; call < 2; call++) {
    if (want instanceof Error) {
      expect(() => withEager({ kernels: "compiled", ...mode }, f), what).toThrow(want.constructor as new () => Error);
    } else sameBits(withEager({ kernels: "compiled", ...mode }, f), want, `${what} (call ${call + 1})`);
  }
}

const dtypesOf = (op: keyof typeof ELEMENTWISE): DType[] => (["float32", "float64", "int32", "bool"] as DType[]).filter((d) => ELEMENTWISE[op].scalar[d as "float32"]);

const MODES: [string, Partial<EagerOptions>][] = [["tier-1 kernels", { wasm: "never", compileAt: 0 }], ["tier 2", { wasm: "always", compileAt: 0 }]];

describe.each(MODES)("compiled eager mode (%s) gives the reference kernels' bits", (_name, mode) => {
  it("every unary op in every dtype it takes, including casts", { timeout: 120_000 }, () => {
    for (const op of UNARY_OPS) {
      for (const dt of dtypesOf(op)) {
        const x = arr([37], dt, 1);
        agree(`${op}(${dt})`, () => elementwiseFns[op](x), mode);
      }
    }
    for (const from of ["float32", "float64", "int32", "bool"] as DType[]) {
      for (const to of ["float32", "float64", "int32", "bool"] as DType[]) {
        if (from !== to) agree(`cast ${from} -> ${to}`, () => arr([29], from, 2).astype(to), mode);
      }
    }
  });

  it("every binary op in every dtype it takes, with each broadcast pattern and weak scalars", { timeout: 120_000 }, () => {
    for (const op of BINARY_OPS) {
      for (const dt of dtypesOf(op)) {
        const a = arr([6, 7], dt, 3);
        const fn = elementwiseFns[op];
        agree(`${op}(${dt}) same shape`, () => fn(a, arr([6, 7], dt, 4)), mode);
        agree(`${op}(${dt}) row`, () => fn(a, arr([7], dt, 5)), mode);
        agree(`${op}(${dt}) column`, () => fn(arr([6, 1], dt, 6), a), mode);
        agree(`${op}(${dt}) 0-d`, () => fn(a, arr([], dt, 7)), mode);
        agree(`${op}(${dt}) weak scalar`, () => fn(3, a), mode);
        agree(`${op}(${dt}) the same array twice`, () => fn(a, a), mode);
      }
    }
    agree("where", () => np.where(arr([5, 4], "bool", 8), arr([4], "float32", 9), -0), mode);
    agree("pow(x, 3)", () => np.pow(arr([50], "float32", 10), 3), mode);
  });

  it("reductions over every axis set, and matmul", { timeout: 120_000 }, () => {
    for (const op of REDUCE_OPS) {
      for (const dt of ["float32", "float64", "int32"] as DType[]) {
        const x = arr([3, 5, 9], dt, 11);
        for (const axis of [undefined, 0, 1, 2, [0, 2], [1, 2], [0, 1]]) {
          agree(`${op}(${dt}, axis ${axis})`, () => reductions[op](x, axis), mode);
        }
        agree(`${op}(${dt}, keepdims)`, () => reductions[op](x, { axis: 1, keepdims: true }), mode);
      }
    }
    for (const dt of ["float32", "float64", "int32"] as DType[]) {
      agree(`matmul ${dt}`, () => np.matmul(arr([5, 9], dt, 12), arr([9, 3], dt, 13)), mode);
      agree(`dot ${dt} vector`, () => np.dot(arr([9], dt, 14), arr([9], dt, 15)), mode);
    }
    agree("mean", () => np.mean(arr([4, 6], "float32", 16), 1), mode);
  });

  it("empty arrays and Variables as operands", () => {
    agree("empty", () => arr([0, 3], "float32", 1).mul(2), mode);
    agree("sum of empty", () => np.sum(arr([0, 3], "float32", 1), 0), mode);
    const v = new Variable(arr([8], "float32", 17));
    agree("Variable operand", () => v.mul(v).add(1), mode);
    // A Variable changes in place: tier 2 must not skip copying it in on the next call.
    const before = withEager({ kernels: "compiled", ...mode }, () => v.add(1)).toArray();
    v.value = np.arange(8, "float32");
    const after = withEager({ kernels: "compiled", ...mode }, () => v.add(1));
    sameBits(after, withEager({ kernels: "reference" }, () => v.add(1)), "Variable after assignment");
    expect(after.toArray()).not.toEqual(before);
  });
});

describe("the eager kernel cache", () => {
  it("compiles one size-generic factory per op, dtype and broadcast pattern, whatever the length", () => {
    resetEagerCache();
    setEager({ wasm: "never", compileAt: 0 });
    const warm = arr([11], "float64", 1);
    warm.sinh().mul(warm); // compile both factories
    const before = kernelCacheSize().factories;
    for (const n of [3, 17, 100, 1001]) {
      const x = arr([n], "float64", n);
      x.sinh().mul(x);
    }
    expect(kernelCacheSize().factories).toBe(before);
    expect(eagerCacheStats().entries).toBe(10); // per exact shape: the bound kernel, not a compile
  });

  it("a small result compiles only when its op, dtypes and shapes come back; a large one at once", () => {
    resetEagerCache();
    const small = arr([50], "float32", 1);
    small.exp();
    expect(eagerCacheStats().entries).toBe(0);
    small.exp();
    expect(eagerCacheStats().entries).toBe(1);
    arr([20_000], "float32", 2).exp();
    expect(eagerCacheStats().entries).toBe(2);
  });

  it("the reference switch runs no compiled kernel", () => {
    resetEagerCache();
    setEager({ compileAt: 0 });
    withEager({ kernels: "reference" }, () => arr([40], "float32", 1).tanh().add(1));
    expect(eagerCacheStats().entries).toBe(0);
    arr([40], "float32", 1).tanh();
    expect(eagerCacheStats().entries).toBe(1);
  });

  it("ops tiers run through the reference kernel anyway (movement, sorts, random) are not cached", () => {
    resetEagerCache();
    setEager({ compileAt: 0 });
    const x = arr([4, 5], "float32", 2);
    np.transpose(x);
    np.sort(x);
    np.flip(x, 0);
    expect(eagerCacheStats().entries).toBe(0);
  });
});
