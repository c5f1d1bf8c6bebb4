// The default float32 algorithms (float32.ts): their error bounds against float64
// Math.* on sampled inputs (every 4999th float32 bit pattern of both signs, plus dense
// neighbourhoods of each switch), their special values, and the agreement of the
// generated JS with the direct evaluation of the same definition (arith.ts NUM32).
// The wasm forms are checked against the JS ones in tiers/wasm/math32.test.ts.

import { describe, expect, it } from "vitest";
import { NUM32, f32Bits, f32FromBits, jsFunction, jsSource, type Algorithm } from "./arith.js";
import { EXP32, FLOAT32_ALGORITHMS, FLOAT32_ULPS, LOG32, SIGMOID32, TANH32 } from "./float32.js";
import { COS32, SIN32, TAN32, TRIG32_ULPS, TWO_OVER_PI_DIGITS } from "./trig32.js";

const fr = Math.fround;

function ulp32(ref: number): number {
  const a = Math.abs(ref);
  if (a >= 2 ** 128) return 2 ** 104;
  let e = a < 2 ** -126 ? -126 : Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  return 2 ** (Math.max(e, -126) - 23);
}

/** Error of a float32 result in float32 ulps of the reference; Inf counts as 2^128. */
function err(res: number, ref: number): number {
  if (Number.isNaN(ref)) return Number.isNaN(res) ? 0 : Infinity;
  if (res === ref) return 0;
  const cap = (v: number) => Math.max(Math.min(v, 2 ** 128), -(2 ** 128));
  return Math.abs(cap(res) - cap(ref)) / ulp32(ref);
}

/** The float32 values within `radius` steps of x. */
function around(x: number, radius: number): number[] {
  const out: number[] = [];
  const b = f32Bits(fr(x)) & 0x7fffffff;
  for (let i = -radius; i <= radius; i++) if (b + i >= 0) out.push(f32FromBits(b + i), -f32FromBits(b + i));
  return out;
}

function samples(step: number, extra: number[]): number[] {
  const out = extra.slice();
  for (let i = 0; i < 2 ** 32; i += step) out.push(f32FromBits(i | 0));
  return out;
}

/**
 * sin/cos: the nearest float32 to a multiple of pi/2 in each binade up to 2^19 (the
 * cancellation worst cases of the reduction, found by a scan), both sides of the
 * switch to the large-argument path at 8192, and the largest finite values.
 */
const TRIG_HARD = [
  1.5707963705062866, 3.1415927410125732, 4.71238899230957, 9.42477798461914, 18.84955596923828, 37.69911193847656, 75.39822387695312,
  252.89820861816406, 505.7964172363281, 1011.5928344726562, 2023.1856689453125, 2238.384765625, 4476.76953125, 8953.5390625,
  17907.078125, 52516.43359375, 105032.8671875, 210065.734375, 267058.9375, 534117.875,
].flatMap((x) => around(x, 20)).concat(around(8192, 200), around(3.4028234663852886e38, 100), around(2 ** 24, 50), around(2 ** 37, 50), around(2 ** 100, 50));
const sigmoidRef = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const CASES: [Algorithm, (x: number) => number, number, number[]][] = [
  [EXP32, Math.exp, FLOAT32_ULPS.exp, [...around(88.72283, 50), ...around(-87.33654, 50), ...around(-103.97208, 50), ...around(Math.LN2 / 2, 50)]],
  [TANH32, Math.tanh, FLOAT32_ULPS.tanh, [...around(0.625, 2000), ...around(9, 50), ...around(1e-4, 50)]],
  [SIGMOID32, sigmoidRef, FLOAT32_ULPS.sigmoid, [...around(0, 2000), ...around(-87.3, 100), ...around(-103.97, 100), ...around(16.6, 100)]],
  [LOG32, Math.log, FLOAT32_ULPS.log, [...around(1, 4000), ...around(Math.SQRT1_2, 100), ...around(2 ** -126, 100), ...around(Math.SQRT2 * 2 ** -140, 100)]],
  [SIN32, Math.sin, TRIG32_ULPS.sin, TRIG_HARD],
  [COS32, Math.cos, TRIG32_ULPS.cos, TRIG_HARD],
  [TAN32, Math.tan, TRIG32_ULPS.tan, TRIG_HARD.concat(around(Math.PI / 4, 2000), around(1019234.0625, 200))],
];

describe("float32 algorithms (ulps vs float64 Math.*)", () => {
  for (const [alg, ref, bound, extra] of CASES) {
    it(`${alg.name} <= ${bound} ulp, a float32 result, the same bits from the generated JS and the direct evaluation`, () => {
      const fn = jsFunction(alg);
      let worst = 0;
      let at = NaN;
      for (const x of samples(4999, extra)) {
        const y = fn(x, 0);
        const direct = alg.define(NUM32, x, 0);
        if (!Object.is(y, direct) && !(y !== y && direct !== direct)) throw new Error(`${alg.name}(${x}): generated JS ${y}, direct evaluation ${direct}`);
        if (!(y !== y || Object.is(fr(y), y))) throw new Error(`${alg.name}(${x}) = ${y} is not a float32 value`);
        const e = err(y, ref(x));
        if (!(e <= worst)) {
          worst = e;
          at = x;
        }
      }
      expect(worst, `${alg.name} worst at x = ${at}`).toBeLessThanOrEqual(bound);
    });
  }

  it("special values", () => {
    const exp = jsFunction(EXP32);
    const tanh = jsFunction(TANH32);
    const sig = jsFunction(SIGMOID32);
    const log = jsFunction(LOG32);
    const is = (a: number, b: number) => expect(Object.is(a, b) || (a !== a && b !== b), `${a} vs ${b}`).toBe(true);
    is(exp(0, 0), 1); is(exp(-0, 0), 1); is(exp(Infinity, 0), Infinity); is(exp(-Infinity, 0), 0); is(exp(NaN, 0), NaN);
    is(exp(89, 0), Infinity); is(exp(-104, 0), 0); expect(exp(-100, 0)).toBeGreaterThan(0); // subnormal result
    is(tanh(0, 0), 0); is(tanh(-0, 0), -0); is(tanh(Infinity, 0), 1); is(tanh(-Infinity, 0), -1); is(tanh(NaN, 0), NaN); is(tanh(fr(1e-40), 0), fr(1e-40));
    is(sig(0, 0), 0.5); is(sig(-0, 0), 0.5); is(sig(Infinity, 0), 1); is(sig(-Infinity, 0), 0); is(sig(NaN, 0), NaN); expect(sig(-100, 0)).toBeGreaterThan(0);
    is(log(0, 0), -Infinity); is(log(-0, 0), -Infinity); is(log(-1, 0), NaN); is(log(Infinity, 0), Infinity); is(log(NaN, 0), NaN); is(log(1, 0), 0);
    is(log(fr(1e-45), 0), fr(Math.log(fr(1e-45))));
    const sin = jsFunction(SIN32);
    const cos = jsFunction(COS32);
    is(sin(0, 0), 0); is(sin(-0, 0), -0); is(sin(fr(1e-45), 0), fr(1e-45)); is(sin(-fr(1e-45), 0), -fr(1e-45));
    is(sin(Infinity, 0), NaN); is(sin(-Infinity, 0), NaN); is(sin(NaN, 0), NaN);
    const tan = jsFunction(TAN32);
    is(tan(0, 0), 0); is(tan(-0, 0), -0); is(tan(fr(1e-45), 0), fr(1e-45)); is(tan(Infinity, 0), NaN); is(tan(-Infinity, 0), NaN); is(tan(NaN, 0), NaN);
    is(cos(0, 0), 1); is(cos(-0, 0), 1); is(cos(fr(1e-45), 0), 1); is(cos(Infinity, 0), NaN); is(cos(-Infinity, 0), NaN); is(cos(NaN, 0), NaN);
  });

  it("sin/cos: the 12-bit digits of 2/pi are those of a 400-bit Machin pi", () => {
    const N = 400n;
    const one = 1n << N;
    const atanInv = (m: bigint) => {
      let sum = 0n;
      let term = one / m;
      for (let k = 0n; term !== 0n; k++, term /= m * m) sum += ((k & 1n) === 0n ? 1n : -1n) * (term / (2n * k + 1n));
      return sum;
    };
    const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
    const twoOverPi = (2n * one * one) / pi;
    const want = [0, ...Array.from({ length: TWO_OVER_PI_DIGITS.length - 1 }, (_, j) => Number((twoOverPi >> (N - 12n * BigInt(j + 1))) & 0xfffn))];
    expect([...TWO_OVER_PI_DIGITS]).toEqual(want);
  });

  it("generated JS is straight-line code over the helpers only", () => {
    for (const a of FLOAT32_ALGORITHMS) {
      const src = jsSource(a);
      expect(src).not.toMatch(/\bif\b/);
      expect(src.startsWith(`function ${a.name}(x) {`)).toBe(true);
      const names = new Set(src.match(/\b[A-Za-z_]\w*(?=\()/g));
      for (const n of names) expect(["F", "f32Bits", "f32FromBits", "truncSat32", "min", "max", "abs", "floor", "sqrt", "imul", "trunc", a.name]).toContain(n);
    }
  });

  it("rejects a constant that is not a float32 value", () => {
    const bad: Algorithm = { name: "bad", arity: 1, define: (A, x) => A.mul(x, 0.1) };
    expect(() => jsSource(bad)).toThrow(/0.1 is not a float32 value/);
  });
});
