// The float32 pow of pow32.ts: its error bound against float64 Math.pow on sampled
// pairs (every binade of x with y keeping the result finite, x near 1 with huge y,
// negative bases with integer exponents, subnormal and overflowing results, random
// bit patterns), Math.pow's special cases exactly, float32 results, and the agreement
// of the generated JS with the direct evaluation of the same definition. The wasm
// forms are checked against the JS in tiers/wasm/pow32.test.ts.

import { describe, expect, it } from "vitest";
import { NUM32 } from "./arith.js";
import { POW32, POW32_ULPS, pow32 } from "./pow32.js";
import { err32 } from "./ulps.js";
import { checkPowSpecials, powPairs } from "../../testing/pow.js";

const fr = Math.fround;

describe("float32 pow (pow32.ts)", () => {
  it(`<= ${POW32_ULPS} ulp against Math.pow, float32 results, generated JS = direct evaluation`, () => {
    let worst = 0;
    let at: [number, number] = [NaN, NaN];
    powPairs(40_000, 3).forEach(([x, y], i) => {
      const r = pow32(x, y);
      if (i % 7 === 0) {
        const d = POW32.define(NUM32, x, y);
        if (!Object.is(r, d) && !(r !== r && d !== d)) throw new Error(`pow32(${x}, ${y}): generated JS ${r}, direct ${d}`);
      }
      if (!(r !== r || Object.is(fr(r), r))) throw new Error(`pow32(${x}, ${y}) = ${r} is not a float32 value`);
      const e = err32(r, Math.pow(x, y));
      if (!(e <= worst)) [worst, at] = [e, [x, y]];
    });
    expect(worst, `worst at ${at.join(", ")}`).toBeLessThanOrEqual(POW32_ULPS);
  });

  it("Math.pow's special cases exactly", () => {
    checkPowSpecials((x, y) => pow32(fr(x), fr(y)), (x, y) => fr(Math.pow(fr(x), fr(y))), fr);
  });

  it("exact powers of two and small integer powers come out exact", () => {
    for (let k = -149; k <= 127; k++) expect(pow32(2, k), `2^${k}`).toBe(2 ** k);
    for (const [x, y] of [[3, 3], [-3, 3], [10, 4], [-2, -3], [5, 5], [0.5, 10], [4, 0.5], [4, 1.5], [-7, 2]] as const) expect(pow32(x, y), `${x}^${y}`).toBe(fr(Math.pow(x, y)));
  });
});
