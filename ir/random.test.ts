// The generator's float32 pieces against float64 Math, exhaustively over the inputs
// they can ever receive, and the normals' distribution and pair layout.

import { describe, expect, it } from "vitest";
import { np } from "../index.js";
import { TURN_UNIT, countersUsed, cosPoly, drawInto, lnUnit, sinPoly } from "./random.js";

const f = Math.fround;

/** Size of one float32 ulp at |x| (x a float64 reference value). */
function ulp32(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -126) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // log2 rounding up at a power of two
  return 2 ** (e - 23);
}

describe("ir/random float32 pieces (exhaustive)", () => {
  it("lnUnit(N) = ln(N * 2^-24) within 0.9 ulp for every N in [1, 2^24]", () => {
    let worst = 0;
    for (let N = 1; N <= 2 ** 24; N++) {
      const want = Math.log(N * 2 ** -24);
      const got = lnUnit(N);
      if (want === 0) expect(got).toBe(0);
      else worst = Math.max(worst, Math.abs(got - want) / ulp32(want));
    }
    expect(worst).toBeLessThan(0.9);
  });

  it("sinPoly and cosPoly are within 0.8 and 1.2 ulp at every reduced angle the generator forms", () => {
    let ws = 0;
    let wc = 0;
    for (let t = -(2 ** 21); t < 2 ** 21; t++) {
      const r = f(t * TURN_UNIT);
      const s = sinPoly(r);
      if (r === 0) expect(Object.is(s, r)).toBe(true);
      else ws = Math.max(ws, Math.abs(s - Math.sin(r)) / ulp32(Math.sin(r)));
      wc = Math.max(wc, Math.abs(cosPoly(r) - Math.cos(r)) / ulp32(Math.cos(r)));
    }
    expect(ws).toBeLessThan(0.8);
    expect(wc).toBeLessThan(1.2);
  });
});

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
function phi(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

describe("normal draws", () => {
  it("pass a Kolmogorov-Smirnov test against N(0, 1), both halves of the pairs apart", () => {
    const n = 200_000;
    const out = new Float32Array(n);
    drawInto("normal", 0x1234567, 99, out);
    for (const parity of [0, 1]) {
      const xs = Array.from(out.filter((_, i) => i % 2 === parity)).sort((a, b) => a - b);
      let d = 0;
      xs.forEach((v, i) => {
        const c = phi(v);
        d = Math.max(d, Math.abs(c - i / xs.length), Math.abs(c - (i + 1) / xs.length));
      });
      expect(d).toBeLessThan(1.63 / Math.sqrt(xs.length)); // the 1% critical value
    }
    // The cosine and sine of one pair are uncorrelated.
    let sxy = 0;
    for (let i = 0; i < n; i += 2) sxy += out[i]! * out[i + 1]!;
    expect(Math.abs(sxy / (n / 2))).toBeLessThan(0.01);
  });

  it("come in pairs: a draw of n advances by n rounded up to even, so split even draws equal one draw", () => {
    expect([0, 1, 2, 3, 7].map((n) => countersUsed("normal", n))).toEqual([0, 2, 2, 4, 8]);
    expect(countersUsed("uniform", 7)).toBe(7);
    np.random.seed(5);
    const whole = np.random.normal([6]).toArray();
    np.random.seed(5);
    const parts = [...np.random.normal([2]).toArray(), ...np.random.normal([4]).toArray()];
    expect(parts).toEqual(whole);
    np.random.seed(5);
    const odd = np.random.normal([3]).toArray(); // uses pairs 0 and 1, drops pair 1's sine
    const next = np.random.normal([1]).toArray(); // pair 2's cosine
    expect(odd).toEqual(whole.slice(0, 3));
    expect(next).toEqual(whole.slice(4, 5));
  });
});
