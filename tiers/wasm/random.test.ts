// The native random kernel (random.ts) against eager draws, bit for bit, at every
// length around its loop structures: uniforms 4 per vector and a scalar tail; normals
// 16 per unrolled iteration, a leftover 8, scalar pairs and a last odd normal.

import { describe, expect, it } from "vitest";
import { jit, np, NDArray } from "../../index.js";

const bits = (a: NDArray) => Array.from(a.toTypedArray(), (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe("tier-2 random draws", () => {
  it("equal the eager stream for uniform and normal at lengths 0..40", () => {
    for (let n = 0; n <= 40; n++) {
      const draws = () => [np.random.normal([n]), np.random.random([n]), np.random.normal([n])];
      np.random.seed(n * 31 - 5);
      const want = draws().map(bits);
      np.random.seed(n * 31 - 5);
      const f = jit(draws, { tier: "wasm" });
      const got = f().map(bits);
      expect(f.inspect().signatures[0]!.tier).toBe("wasm");
      expect(got).toEqual(want);
    }
  });
});
