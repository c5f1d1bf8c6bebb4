// The event-driven matvec (sparse.ts) against tier 0, bit for bit: constant matrices
// with signed zeros, negatives and subnormals; vectors that are all +0, a few spikes,
// -0, NaN and Inf entries, or dense (the dense branch); float32 and int32; a K that
// leaves a tail chunk. Matrices are large enough for the event-driven form.

import { describe, expect, it } from "vitest";
import { jit, np, NDArray } from "../../index.js";

const M = 260;
const K = 257;
const bits = (a: NDArray) => Array.from(a.toTypedArray(), (v) => (Object.is(v, -0) ? "-0" : String(v)));

let seed = 7;
function rnd(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
}

function matrix(dtype: "float32" | "int32", special: boolean, rows = M, poke?: [number, number]): NDArray {
  const vals = Array.from({ length: rows * K }, (_, i) => {
    if (poke && i === poke[0]) return poke[1];
    const u = rnd();
    if (dtype === "int32") return u < 0.8 ? 0 : Math.floor((rnd() - 0.5) * 100);
    if (u < 0.6) return 0;
    if (special && u < 0.75) return [-0, 1e-45, -1e-45, -3e-39][Math.floor(rnd() * 4)]!;
    return u < 0.85 ? -2.4 : 0.6 + rnd();
  });
  return np.array(dtype === "float32" ? Float32Array.from(vals) : Int32Array.from(vals)).reshape([rows, K]);
}

function vectors(dtype: "float32" | "int32"): NDArray[] {
  const make = (f: (i: number) => number) => np.array(dtype === "float32" ? Float32Array.from({ length: K }, (_, i) => f(i)) : Int32Array.from({ length: K }, (_, i) => f(i)));
  const vs = [
    make(() => 0),
    make((i) => (i === 13 ? 1 : 0)),
    make((i) => (i % 37 === 5 ? 1 : 0)),
    make((i) => (i === K - 1 ? 1 : 0)), // only in the tail chunk
    make(() => (rnd() < 0.9 ? 1 : 0)), // dense: the dense branch
  ];
  if (dtype === "float32") vs.push(make((i) => (i === 40 ? -0 : i === 90 ? 1 : 0)), make((i) => (i === 3 ? NaN : 0)), make((i) => (i === 200 ? Infinity : i === 201 ? -1.5 : 0)));
  return vs;
}

describe("tier-2 event-driven matvec", () => {
  for (const [dtype, special] of [["float32", false], ["float32", true], ["int32", false]] as const) {
    it(`agrees with tier 0 (${dtype}${special ? ", signed zeros and subnormals" : ""})`, () => {
      const W = matrix(dtype, special);
      const f = (b: NDArray) => np.dot(W, b);
      const t0 = jit(f, { tier: "interpreter" });
      const t2 = jit(f, { tier: "wasm" });
      for (const b of vectors(dtype)) expect(bits(t2(b))).toEqual(bits(t0(b)));
      expect(t2.inspect().signatures[0]!.wat).toContain("v128.any_true");
    });
  }

  it("knows the product with an all-+0 vector: -0 exactly in rows whose every element is negative or -0", () => {
    const W = np.array(Float32Array.from({ length: M * K }, (_, i) => {
      const row = Math.floor(i / K);
      return row % 3 === 0 ? -0 : row % 3 === 1 ? -1.5 - (i % 7) : i % 11 === 0 ? 0 : -2;
    })).reshape([M, K]);
    const f = (b: NDArray) => np.dot(W, b);
    const t0 = jit(f, { tier: "interpreter" });
    const t2 = jit(f, { tier: "wasm" });
    for (const b of vectors("float32")) expect(bits(t2(b))).toEqual(bits(t0(b)));
    expect(bits(t2(np.zeros([K])))).toContain("-0");
  });

  it("keeps the dense form for a matrix with non-finite entries", () => {
    const W = matrix("float32", false, M, [5 * K + 100, Infinity]);
    const f = (b: NDArray) => np.dot(W, b);
    const t2 = jit(f, { tier: "wasm" });
    const t0 = jit(f, { tier: "interpreter" });
    for (const b of vectors("float32")) expect(bits(t2(b))).toEqual(bits(t0(b))); // Inf * 0 is NaN: no term may be skipped
    expect(t2.inspect().signatures[0]!.wat).not.toContain("v128.any_true");
  });

  it("inside a loop over spikes (the recurrent network's shape)", () => {
    const W = matrix("float32", true, K);
    const f = (v0: NDArray) =>
      np.forLoop(0, 12, (_i, v: NDArray) => {
        const spike = v.greater(0.95);
        return np.where(spike, 0, v.mul(0.9).add(0.1).add(np.dot(W, spike.astype("float32")).mul(0.01)));
      }, v0);
    const v0 = np.array(Float32Array.from({ length: K }, () => rnd()));
    expect(bits(jit(f, { tier: "wasm" })(v0))).toEqual(bits(jit(f, { tier: "interpreter" })(v0)));
  });
});
