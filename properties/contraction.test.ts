// np.matmul over random shapes in every tier, bit for bit against eager mode: batches
// whose leading axes broadcast, 1-D operands, and sizes large enough to reach every
// edge of the tiers' blocked kernels (partial register tiles in both directions, K
// tails of every length mod 4, panels past the cache blocks). The random programs of
// agreement.test.ts reach matmul too, but rarely with such sizes or batches.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, type DType } from "../ir/dtype.js";
import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";
import { evaluators } from "./evaluators.js";
import { assertProperty, budget } from "./runner.js";
import { arbValue } from "./values.js";

const BATCHES: readonly (readonly number[])[] = [[], [], [1], [2], [3], [2, 1], [1, 3], [2, 3]];

/** Two batch shapes that broadcast (each entry equal or 1), from a pair of list picks. */
function batches(i: number, j: number): [number[], number[]] {
  const a = [...BATCHES[i]!];
  const b = [...BATCHES[j]!];
  const r = Math.min(a.length, b.length);
  for (let t = 1; t <= r; t++) {
    const x = a[a.length - t]!;
    const y = b[b.length - t]!;
    if (x !== y && x !== 1 && y !== 1) b[b.length - t] = 1;
  }
  return [a, b];
}

const arbCase = fc.record({
  dtype: fc.constantFrom<DType>("float32", "float32", "float64", "int32"),
  ba: fc.nat(BATCHES.length - 1),
  bb: fc.nat(BATCHES.length - 1),
  m: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 70 })),
  k: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 10, max: 300 })),
  n: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 70 })),
  oneD: fc.constantFrom(0, 0, 0, 1, 2),
  // Mostly small finite values (sums stay finite), with the suite's special values mixed in.
  vals: fc.array(fc.oneof({ weight: 12, arbitrary: fc.float({ min: -4, max: 4, noNaN: true }) }, { weight: 1, arbitrary: arbValue }), { minLength: 1, maxLength: 97 }),
});

function fill(shape: readonly number[], vals: readonly number[], off: number, dtype: DType): NDArray {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = dtype === "int32" ? Math.trunc(vals[(i * 7 + off) % vals.length]! * 3) | 0 : vals[(i * 7 + off) % vals.length]!;
  return np.array(data, { dtype, shape: [...shape] });
}

const bits = (t: ArrayLike<number>) => Array.from(t, (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe("matmul agrees bit for bit in every tier", () => {
  it("over random batches, 1-D operands and blocked-kernel edges", () => {
    const runs = evaluators().map((e) => ({ name: e.name, f: e.wrap((a: NDArray, b: NDArray) => np.matmul(a, b)) }));
    assertProperty("matmul agreement", arbCase, ({ dtype, ba, bb, m, k, n, oneD, vals }) => {
      const [sa, sb] = batches(ba, bb);
      const as = oneD === 1 ? [k] : [...sa, m, k];
      const bs = oneD === 2 ? [k] : [...sb, k, n];
      if (as.reduce((p, d) => p * d, 1) > 40000 || bs.reduce((p, d) => p * d, 1) > 40000) return;
      const a = fill(as, vals, 0, dtype);
      const b = fill(bs, vals, 5, dtype);
      const want = runs[0]!.f(a, b);
      for (const { name, f } of runs.slice(1)) {
        const got = f(a, b);
        expect(got.shape, name).toEqual(want.shape);
        const g = bits(got.toTypedArray());
        const w = bits(want.toTypedArray());
        const i = g.findIndex((v, j) => v !== w[j]);
        if (i >= 0) throw new Error(`${name}: np.matmul(${dtype}${JSON.stringify(as)}, ${JSON.stringify(bs)}) element ${i}: got ${g[i]}, eager ${w[i]}`);
      }
    }, budget(120));
  });

  it("past tier 2's row blocks (M above the rows of a over K that fill its L2 block)", () => {
    const runs = evaluators().map((e) => ({ name: e.name, f: e.wrap((a: NDArray, b: NDArray) => np.matmul(a, b)) }));
    const vals = Array.from({ length: 89 }, (_, i) => Math.fround(Math.sin(i) * 3));
    for (const [dtype, m, k, n] of [["float32", 67, 2050, 6], ["int32", 40, 4099, 5], ["float32", 2, 33000, 4]] as const) {
      const a = fill([m, k], vals, 0, dtype);
      const b = fill([k, n], vals, 5, dtype);
      const want = bits(runs[0]!.f(a, b).toTypedArray());
      for (const { name, f } of runs.slice(1)) expect(bits(f(a, b).toTypedArray()), `${name} ${dtype} [${m},${k}]x[${k},${n}]`).toEqual(want);
    }
  });
});
