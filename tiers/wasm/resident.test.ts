// Resident arguments in tier 2: an NDArray passed again is not copied into wasm memory
// again (NDArrays are immutable), while a different array, a reshape sharing a buffer,
// and a Variable (mutable) always are.

import { describe, expect, it } from "vitest";
import { jit, np, NDArray, Variable } from "../../index.js";

const vals = (a: NDArray) => Array.from(a.toTypedArray());

describe("tier 2 resident arguments", () => {
  it("skips the copy of an array passed again: its region already holds those values", () => {
    const f = jit((x: NDArray) => x.mul(2), { tier: "wasm" });
    const x = np.array([1, 2, 3, 4, 5]);
    expect(vals(f(x))).toEqual([2, 4, 6, 8, 10]);
    // Break immutability behind the API's back: the resident copy shows the copy was skipped.
    x._data![0] = 100;
    expect(vals(f(x))[0]).toBe(2);
  });

  it("copies a different array of the same shape, and the first one again after it", () => {
    const f = jit((x: NDArray, y: NDArray) => x.add(y), { tier: "wasm" });
    const a = np.array([1, 2, 3]);
    const b = np.array([10, 20, 30]);
    const c = np.array([100, 200, 300]);
    expect(vals(f(a, b))).toEqual([11, 22, 33]);
    expect(vals(f(c, b))).toEqual([110, 220, 330]);
    expect(vals(f(a, b))).toEqual([11, 22, 33]);
    expect(vals(f(b, a))).toEqual([11, 22, 33]);
    expect(vals(f(b, b))).toEqual([20, 40, 60]);
    expect(f.inspect().signatures.length).toBe(1);
  });

  it("copies reshapes that share one buffer when a different one comes", () => {
    const f = jit((x: NDArray) => x.sum(1), { tier: "wasm" });
    const base = np.arange(12).astype("float32");
    const r1 = base.reshape([3, 4]);
    const r2 = base.mul(-1).reshape([3, 4]);
    expect(vals(f(r1))).toEqual([6, 22, 38]);
    expect(vals(f(r2))).toEqual([-6, -22, -38]);
    expect(vals(f(base.reshape([3, 4])))).toEqual([6, 22, 38]);
  });

  it("always copies a Variable the function reads: it changes in place", () => {
    const v = new Variable(np.array([1, 1, 1]));
    const f = jit((x: NDArray) => x.add(v), { tier: "wasm" });
    const x = np.array([1, 2, 3]);
    expect(vals(f(x))).toEqual([2, 3, 4]);
    v.value = np.array([5, 5, 5]);
    expect(vals(f(x))).toEqual([6, 7, 8]);
  });

  it("always copies a Variable passed as an argument", () => {
    const v = new Variable(np.array([1, 2]));
    const f = jit((a: Variable) => a.mul(3), { tier: "wasm" });
    expect(vals(f(v) as NDArray)).toEqual([3, 6]);
    v.value = np.array([7, 8]);
    expect(vals(f(v) as NDArray)).toEqual([21, 24]);
  });

  it("keeps the regression step as model(X, Y) right while w updates and the data changes", () => {
    const w = new Variable(np.zeros([3]));
    const step = (X: NDArray, Y: NDArray) => {
      w.value = w.sub(np.dot(Y.mul(np.dot(X, w)).sigmoid().sub(1).mul(Y), X));
    };
    const w0 = new Variable(np.zeros([3]));
    const ref = (X: NDArray, Y: NDArray) => {
      w0.value = w0.sub(np.dot(Y.mul(np.dot(X, w0)).sigmoid().sub(1).mul(Y), X));
    };
    const t2 = jit(step, { tier: "wasm" });
    const X1 = np.array([[1, 2, 3], [0.5, -1, 2], [3, 1, -2], [0, 0, 1]]);
    const X2 = X1.mul(-0.5);
    const Y = np.array([1, -1, 1, -1]);
    for (const X of [X1, X1, X2, X1, X2, X2]) {
      t2(X, Y);
      ref(X, Y);
      expect(vals(w)).toEqual(vals(w0));
    }
  });
});
