// The transcendentals of ir/math/transcendentals.ts: float32 error bounds on every
// 4999th float32 bit pattern (both signs; perf/exhaustive32.ts scans all 2^32),
// float64 bounds on random inputs over many scales against Math.* (V8's Math.* is
// itself up to ~1 ulp off: the float64 assertion allows the bound plus 1; the figures
// against mpmath are in CONTRIBUTING.md), the same bits from the generated JS and the
// direct evaluation of the one definition, and special values.

import { describe, expect, it } from "vitest";
import { NUM32, f32FromBits } from "./arith.js";
import { NUM64 } from "./arith64.js";
import { TRANSCENDENTALS } from "./transcendentals.js";
import { err32, err64 } from "./ulps.js";

const same = (a: number, b: number) => Object.is(a, b) || (a !== a && b !== b);

describe("transcendentals (float32 and float64, one definition each)", () => {
  for (const t of TRANSCENDENTALS) {
    const lim32 = t.accurate?.f32 ?? Infinity;
    const lim64 = t.accurate?.f64 ?? Infinity;
    it(`${t.name}: float32 <= ${t.ulps32} ulp (sampled), generated JS = direct evaluation`, () => {
      let worst = 0;
      let at = "";
      for (let i = 0; i < 2 ** 32; i += 4999) {
        const x = f32FromBits(i | 0);
        const y = t.arity === 2 ? f32FromBits(Math.imul(i, 2654435761)) : x;
        const r = t.op.js32(x, y);
        const d = t.op.f32 ? t.op.f32.define(NUM32, x, y) : Math.fround(t.op.f32in64!.define(NUM64, x, y));
        if (!same(r, d)) throw new Error(`${t.name}32(${x}, ${y}): JS ${r}, direct ${d}`);
        if (!(r !== r || Math.fround(r) === r)) throw new Error(`${t.name}32(${x}) = ${r} is not a float32`);
        if (!(Math.abs(x) < lim32)) continue;
        const e = err32(r, t.ref(x, y));
        if (!(e <= worst)) [worst, at] = [e, `${x}, ${y}`];
      }
      expect(worst, `${t.name}32 worst at ${at}`).toBeLessThanOrEqual(t.ulps32);
    });
    it(`${t.name}: float64 within ${t.ulps64} ulp + Math's own error (sampled)`, () => {
      let s = 99;
      let worst = 0;
      let at = "";
      const scales = [1e-300, 1e-20, 1e-8, 1e-3, 0.1, 0.35, 0.7, 1, 2, 3, 10, 30, 300, 700, 1e5, 1e15, 1e300];
      const rnd = (i: number) => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return ((s / 2 ** 32) * 2 - 1) * scales[i % scales.length]!;
      };
      for (let i = 0; i < 40000; i++) {
        const x = rnd(i);
        const y = t.arity === 2 ? rnd(i * 7 + 3) : x;
        const r = t.op.js64(x, y);
        const d = t.op.f64.define(NUM64, x, y);
        if (!same(r, d)) throw new Error(`${t.name}64(${x}, ${y}): JS ${r}, direct ${d}`);
        if (!(Math.abs(x) < lim64)) continue;
        const e = err64(r, t.ref(x, y));
        if (!(e <= worst)) [worst, at] = [e, `${x}, ${y}`];
      }
      expect(worst, `${t.name}64 worst at ${at}`).toBeLessThanOrEqual(t.ulps64 + (t.refErr64 ?? 1));
    });
  }
});

const F = (name: string) => TRANSCENDENTALS.find((t) => t.name === name)!.op;
const both = (name: string, x: number) => [F(name).js32(Math.fround(x), 0), F(name).js64(x, 0)];

describe("special values (both precisions)", () => {
  const cases: [string, number, number][] = [
    ["log1p", 0, 0], ["log1p", -0, -0], ["log1p", -1, -Infinity], ["log1p", -2, NaN], ["log1p", Infinity, Infinity], ["log1p", -Infinity, NaN], ["log1p", NaN, NaN],
    ["expm1", 0, 0], ["expm1", -0, -0], ["expm1", Infinity, Infinity], ["expm1", -Infinity, -1], ["expm1", NaN, NaN], ["expm1", 1e4, Infinity], ["expm1", -1e4, -1],
    ["log2", 1, 0], ["log2", 8, 3], ["log2", 0.25, -2], ["log2", 0, -Infinity], ["log2", -0, -Infinity], ["log2", -1, NaN], ["log2", Infinity, Infinity], ["log2", NaN, NaN],
    ["log10", 1, 0], ["log10", 0, -Infinity], ["log10", -0, -Infinity], ["log10", -3, NaN], ["log10", Infinity, Infinity], ["log10", NaN, NaN],
    ["exp2", 0, 1], ["exp2", -0, 1], ["exp2", 10, 1024], ["exp2", -3, 0.125], ["exp2", Infinity, Infinity], ["exp2", -Infinity, 0], ["exp2", NaN, NaN], ["exp2", 1e4, Infinity], ["exp2", -1e4, 0],
  ];
  for (const [name, x, want] of cases) {
    it(`${name}(${Object.is(x, -0) ? "-0" : x}) = ${Object.is(want, -0) ? "-0" : want}`, () => {
      for (const got of both(name, x)) expect(same(got, want), `${got}`).toBe(true);
    });
  }
  it("tiny and subnormal arguments", () => {
    expect(F("log1p").js32(Math.fround(1e-30), 0)).toBe(Math.fround(1e-30));
    expect(F("expm1").js32(Math.fround(-1e-30), 0)).toBe(Math.fround(-1e-30));
    expect(F("log1p").js64(5e-324, 0)).toBe(5e-324);
    expect(F("log2").js32(2 ** -149, 0)).toBe(-149);
    expect(F("log2").js64(5e-324, 0)).toBe(-1074);
    expect(F("exp2").js32(-149, 0)).toBe(2 ** -149);
    expect(F("exp2").js64(-1074, 0)).toBe(5e-324);
    expect(F("exp2").js32(127, 0)).toBe(2 ** 127);
    expect(F("exp2").js64(1023, 0)).toBe(2 ** 1023);
  });
});
