// pow's special cases for the tests of every pow algorithm (ir/math/math.test.ts for
// the float64-core pow32 and pow64, ir/math/pow32.test.ts for the float32 one): every
// case decided by Math.pow's special-value rules alone must give Math.pow's bits.

import { expect } from "vitest";

const INF = Infinity;
const fr = Math.fround;
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

export const POW_SPECIAL = [
  0, -0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 1.5, -1.5, 0.25, 10, -10, 1e-40, -1e-40, 1e30, -1e30,
  2 ** 24, -(2 ** 24), 2 ** 25 + 2, 2 ** 53, -(2 ** 53) - 2, 1e300, INF, -INF, NaN, 7, -7, 0.9999999, 1.0000001,
];

/** Cases decided by the special-value rules alone must equal Math.pow exactly. */
export function checkPowSpecials(
  pow: (x: number, y: number) => number,
  ref: (x: number, y: number) => number,
  cast: (v: number) => number,
): void {
  let checked = 0;
  for (const x0 of POW_SPECIAL) {
    for (const y0 of POW_SPECIAL) {
      const x = cast(x0);
      const y = cast(y0);
      const ruleDecided =
        !Number.isFinite(x) || !Number.isFinite(y) || x === 0 || y === 0 || Math.abs(x) === 1 ||
        (x < 0 && Math.floor(y) !== y) || y === 1 || y === -1 || y === 2 || y === 0.5;
      if (!ruleDecided) continue;
      checked++;
      expect(same(pow(x, y), ref(x, y)), `pow(${x}, ${y}) = ${pow(x, y)}, Math.pow: ${ref(x, y)}`).toBe(true);
    }
  }
  expect(checked).toBeGreaterThan(400);
  // Sign of results for negative bases with integer exponents.
  expect(pow(-2, 3)).toBe(-8);
  expect(pow(-2, 2)).toBe(4);
  expect(pow(-2, -3)).toBe(-0.125);
  expect(pow(-8, 1 / 3)).toBeNaN();
}

/** Sampled float32 (x, y) pairs for pow's accuracy and bit-identity tests (5 per n). */
export function powPairs(n: number, seed: number): [number, number][] {
  let s = seed;
  const u = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const b = new Uint32Array(2);
  const f = new Float32Array(b.buffer);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const x = fr(2 ** (u() * 276 - 150) * (1 + u()));
    out.push([x, fr(((u() * 2 - 1) * 150) / Math.abs(Math.log2(x) || 1))]);
    out.push([fr(1 + (u() * 2 - 1) * 2 ** (-u() * 24)), fr((u() * 2 - 1) * 2 ** (u() * 34))]);
    out.push([fr(-(2 ** (u() * 40 - 20)) * (1 + u())), Math.floor((u() * 2 - 1) * 60)]);
    out.push([Math.floor(u() * 300), fr((u() * 2 - 1) * 30)]);
    b[0] = u() * 2 ** 32;
    b[1] = u() * 2 ** 32;
    out.push([f[0]!, f[1]!]);
  }
  return out;
}
