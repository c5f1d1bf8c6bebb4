// Accuracy of every float op and of the contractions, in every tier (see accuracy.ts
// and reductions.ts for the references and bounds).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, type DType, type TypedArray } from "../ir/dtype.js";
import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";
import { accuracySpecs, type AccuracySpec } from "./accuracy.js";
import { npFunction } from "./catalog.js";
import { evaluators } from "./evaluators.js";
import { checkContraction, type Contraction } from "./reductions.js";
import { assertProperty, budget } from "./runner.js";
import { arbValue, sameValue, ulpError } from "./values.js";

const FLOATS = ["float32", "float64"] as const;
const arbOf = (d: DType) => (d === "float64" ? fc.oneof(arbValue, fc.double()) : arbValue);

function typed(values: readonly number[], dtype: DType): TypedArray {
  const t = allocate(dtype, values.length);
  t.set(values);
  return t;
}

function elementError(spec: AccuracySpec, dtype: "float32" | "float64", x: number, y: number, got: number): string | null {
  const dom = spec.accurate?.[dtype === "float32" ? "f32" : "f64"];
  if (dom !== undefined && !(Math.abs(x) < dom)) {
    return !spec.unbounded && Number.isFinite(x) && !(got >= -1 && got <= 1) ? `outside the accurate range the result must still be in [-1, 1]` : null;
  }
  const ref = spec.ref(x, y);
  const bound = dtype === "float32" ? spec.ulps32 : spec.ulps64;
  if (bound === 0) {
    const want = dtype === "float32" ? Math.fround(ref) : ref;
    return sameValue(got, want) ? null : `must be correctly rounded: want ${Object.is(want, -0) ? "-0" : want}`;
  }
  const e = ulpError(got, ref, dtype);
  return e <= bound ? null : `${e.toPrecision(4)} ulp from ${ref} (bound ${bound})`;
}

describe("elementwise ops are within their ulp bounds of a float64 reference", () => {
  for (const { op, arity, spec } of accuracySpecs()) {
    for (const dtype of FLOATS) {
      it(`${op} ${dtype}`, () => {
        const fn = arity === 1 ? (x: NDArray) => npFunction(op)(x) : (x: NDArray, y: NDArray) => npFunction(op)(x, y);
        const runs = evaluators().map((e) => ({ name: e.name, f: e.wrap(fn) as (...a: NDArray[]) => NDArray }));
        const arb = fc.array(fc.tuple(arbOf(dtype), arbOf(dtype)), { minLength: 1, maxLength: 48 });
        assertProperty(`${op} ${dtype} accuracy`, arb, (pairs) => {
          const a = typed(pairs.map((p) => p[0]), dtype);
          const b = typed(pairs.map((p) => p[1]), dtype);
          for (const { name, f } of runs) {
            const out = f(np.array(a), np.array(b)).toTypedArray();
            for (let i = 0; i < a.length; i++) {
              const why = elementError(spec, dtype, a[i]!, b[i]!, out[i]!);
              if (why) throw new Error(`${op}(${a[i]}${arity === 2 ? `, ${b[i]}` : ""}) in ${dtype} gave ${out[i]} in ${name}: ${why}`);
            }
          }
        }, budget(150));
      });
    }
  }
});

const finite32 = fc.oneof(fc.float({ min: Math.fround(-1e30), max: Math.fround(1e30), noNaN: true }), fc.float({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -100, max: 100 }));
const finite64 = fc.oneof(fc.double({ min: -1e300, max: 1e300, noNaN: true }), finite32);
const int32 = fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.integer({ min: -9, max: 9 }));
const small32 = fc.float({ min: Math.fround(-1e15), max: Math.fround(1e15), noNaN: true });

const arbFor = (dtype: DType, kind: Contraction | "max") =>
  kind === "max" ? arbOf(dtype) : dtype === "int32" ? int32 : kind === "matmul" ? (dtype === "float32" ? small32 : fc.double({ min: -1e150, max: 1e150, noNaN: true })) : dtype === "float32" ? finite32 : finite64;

const fill = (vals: readonly number[], n: number, dtype: DType) => typed(Array.from({ length: n }, (_, i) => vals[(i * 7 + (i >> 3)) % vals.length]!), dtype);

describe("reductions are within the bound of their summation order", () => {
  for (const kind of ["sum", "mean", "max"] as const) {
    for (const dtype of ["float32", "float64", "int32"] as const) {
      if (kind === "mean" && dtype === "int32") continue;
      it(`${kind} ${dtype}`, () => {
        const runs = evaluators().map((e) => ({ name: e.name, f: e.wrap((x: NDArray, axis?: number) => npFunction(kind)(x, axis) as NDArray, [1]) }));
        // Small shapes, and shapes whose reductions span several blocks of the summation
        // order (REDUCE_BLOCK = 256 terms) along either axis or over all of them.
        const shape = fc.oneof(
          { weight: 3, arbitrary: fc.record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: kind === "max" ? 1 : 0, max: 70 }) }) },
          { weight: 1, arbitrary: fc.record({ rows: fc.integer({ min: 1, max: 3 }), cols: fc.integer({ min: 257, max: 1400 }) }) },
          { weight: 1, arbitrary: fc.record({ rows: fc.integer({ min: 257, max: 1100 }), cols: fc.integer({ min: 1, max: 3 }) }) },
        );
        const arb = fc.record({
          shape,
          axis: fc.constantFrom(0, 1, undefined),
          vals: fc.array(arbFor(dtype, kind), { minLength: 1, maxLength: 64 }),
        }).map(({ shape: { rows, cols }, axis, vals }) => ({ rows, cols, axis, vals }));
        assertProperty(`${kind} ${dtype} bound`, arb, ({ rows, cols, axis, vals }) => {
          const data = fill(vals, rows * cols, dtype);
          const at = (i: number, j: number) => data[i * cols + j]!;
          const groups: number[][] =
            axis === 0 ? Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => at(i, j)))
            : axis === 1 ? Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => at(i, j)))
            : [Array.from(data)];
          for (const { name, f } of runs) {
            const out = f(np.array(data, { shape: [rows, cols] }), axis).toTypedArray();
            expect(out.length).toBe(groups.length);
            groups.forEach((terms, o) => {
              const why = kind === "max"
                ? sameValue(out[o]!, terms.reduce((m, x) => Math.max(m, x), -Infinity)) ? null : "max must be exact"
                : checkContraction(kind, dtype, terms, out[o]!);
              if (why) throw new Error(`${kind} over axis ${axis} of ${dtype}[${rows},${cols}], output ${o}, in ${name}: got ${out[o]}: ${why}`);
            });
          }
        }, budget(150));
      });
    }
  }

  for (const dtype of ["float32", "float64", "int32"] as const) {
    it(`matmul ${dtype}`, () => {
      const runs = evaluators().map((e) => ({ name: e.name, f: e.wrap((a: NDArray, b: NDArray) => np.matmul(a, b)) }));
      const arb = fc.record({
        m: fc.integer({ min: 1, max: 4 }),
        k: fc.integer({ min: 0, max: 70 }),
        n: fc.integer({ min: 1, max: 4 }),
        vals: fc.array(arbFor(dtype, "matmul"), { minLength: 1, maxLength: 64 }),
      });
      assertProperty(`matmul ${dtype} bound`, arb, ({ m, k, n, vals }) => {
        const a = fill(vals, m * k, dtype);
        const b = fill([...vals].reverse(), k * n, dtype);
        for (const { name, f } of runs) {
          const out = f(np.array(a, { shape: [m, k] }), np.array(b, { shape: [k, n] })).toTypedArray();
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              const terms = Array.from({ length: k }, (_, t) => (dtype === "int32" ? Math.imul(a[i * k + t]!, b[t * n + j]!) : a[i * k + t]! * b[t * n + j]!));
              const why = checkContraction("matmul", dtype, terms, out[i * n + j]!);
              if (why) throw new Error(`matmul ${dtype} [${m},${k}]x[${k},${n}] output (${i},${j}) in ${name}: got ${out[i * n + j]}: ${why}`);
            }
          }
        }
      }, budget(150));
    });
  }
});
