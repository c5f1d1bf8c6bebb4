// The native random kernel (random.ts) against eager draws, bit for bit, at every
// length around its loop structure: 8 per unrolled iteration, a leftover vector of 4,
// a scalar tail.

import { describe, expect, it } from "vitest";
import { jit, np, NDArray } from "../../index.js";

const bits = (a: NDArray) => Array.from(a.toTypedArray(), (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe("tier-2 random draws", () => {
  it("equal the eager stream for uniform and normal at lengths 0..21", () => {
    for (let n = 0; n <= 21; n++) {
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
