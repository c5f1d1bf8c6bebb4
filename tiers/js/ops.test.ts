// Tier 1 against tier 0, bit for bit, on every elementwise op of the op table in every
// dtype it has semantics for (generated from the table, not listed by hand), with
// special values, odd lengths, scalar constants and broadcasting; and on reductions
// and matmul in every dtype, over every axis set, including empty and short sums.

import { describe, expect, it } from "vitest";
import { DTYPES, type DType, type TypedArray } from "../../ir/dtype.js";
import { ELEMENTWISE, REDUCE, reduceSupports, type ElementwiseOp } from "../../ir/ops.js";
import { ProgramBuilder, type Program } from "../../ir/program.js";
import { broadcastShapes, sizeOf, type Shape } from "../../ir/shape.js";
import { interpreterTier } from "../interpreter/index.js";
import { compileJs } from "./index.js";
import { bits, fill } from "../../testing/programs.js";

function agree(p: Program, inputs: TypedArray[]): void {
  const want = interpreterTier.compile(p, { calls: 0, meanMs: 0 }).run(inputs.map((x) => x.slice()), []);
  const got = compileJs(p).run(inputs.map((x) => x.slice()), []);
  expect(got.map(bits)).toEqual(want.map(bits));
}

/** The operand dtypes an op has semantics for, from the table (cast: every dtype). */
function dtypesOf(op: ElementwiseOp): DType[] {
  return op === "cast" ? [...DTYPES] : DTYPES.filter((d) => ELEMENTWISE[op].scalar[d] !== undefined);
}

const OPS = [...Object.keys(ELEMENTWISE), "cast"] as ElementwiseOp[];
const LAYOUTS: { name: string; shapes: Shape[] }[] = [
  { name: "same shape, odd length", shapes: [[37], [37], [37]] },
  { name: "scalar operand", shapes: [[2, 19], [], [1]] },
  { name: "broadcast rows x columns", shapes: [[3, 1], [1, 5], [5]] },
  { name: "broadcast inner vector", shapes: [[4, 7], [7], [4, 7]] },
];

describe("tier js: every elementwise op and dtype agrees with tier 0", () => {
  for (const op of OPS) {
    for (const dt of dtypesOf(op)) {
      it(`${op} ${dt}`, () => {
        const arity = op === "cast" ? 1 : ELEMENTWISE[op].arity;
        const targets: DType[] = op === "cast" ? [...DTYPES] : [dt];
        for (const to of targets) {
          for (const { shapes } of LAYOUTS) {
            const b = new ProgramBuilder();
            const ins = shapes.slice(0, arity);
            const dts = ins.map((_, i) => (op === "where" && i === 0 ? "bool" : dt));
            const ids = ins.map((s, i) => b.input({ shape: s, dtype: dts[i]! }, `x${i}`));
            const shape = broadcastShapes(op, ins);
            const outDt: DType = op === "cast" ? to : ELEMENTWISE[op].result === "bool" ? "bool" : dt;
            const r = b.emit(op, ids, { shape, dtype: outDt });
            // A scalar constant operand is inlined as a literal: check that path too.
            const c = b.constant({ shape: [], dtype: dts.at(-1)! }, fill(dts.at(-1)!, 1));
            const r2 = arity === 1 ? r : b.emit(op, [...ids.slice(0, -1), c], { shape: broadcastShapes(op, [...ins.slice(0, -1), []]), dtype: outDt });
            agree(b.finish([r, r2], ["a", "b"]), ins.map((s, i) => fill(dts[i]!, sizeOf(s))));
          }
        }
      });
    }
  }
});

describe("tier js: reductions and matmul agree with tier 0", () => {
  const shapes: Shape[] = [[0], [1], [3], [9], [4, 5], [3, 0], [2, 3, 5], [6, 1, 7]];
  for (const op of Object.keys(REDUCE) as (keyof typeof REDUCE)[]) {
    for (const dt of DTYPES.filter((d) => reduceSupports(op, d))) {
      it(`${op} ${dt} over every axis set`, () => {
        for (const s of shapes) {
          for (let mask = 1; mask < 1 << s.length; mask++) {
            const axes = s.map((_, i) => i).filter((i) => mask & (1 << i));
            if (REDUCE[op].empty(dt) === undefined && axes.some((a) => s[a] === 0)) continue; // an empty max/min is a user error
            const b = new ProgramBuilder();
            const x = b.input({ shape: s, dtype: dt }, "x");
            const out = s.filter((_, i) => !axes.includes(i));
            const r = b.emit(op, [x], { shape: out, dtype: dt }, { axes, keepdims: false });
            agree(b.finish([r], ["r"]), [fill(dt, sizeOf(s))]);
          }
        }
      });
    }
  }
  for (const dt of ["float32", "float64", "int32"] as DType[]) {
    it(`matmul ${dt}: rows, columns, single row, single column, K = 0..9`, () => {
      for (const [m, k, n] of [[3, 5, 4], [1, 9, 6], [7, 6, 1], [1, 3, 1], [2, 0, 3], [1, 0, 4], [5, 1, 2], [4, 7, 3], [1, 2, 5]] as const) {
        const b = new ProgramBuilder();
        const a = b.input({ shape: [m, k], dtype: dt }, "a");
        const c = b.input({ shape: [k, n], dtype: dt }, "b");
        const r = b.emit("matmul", [a, c], { shape: [m, n], dtype: dt });
        agree(b.finish([r], ["r"]), [fill(dt, m * k), fill(dt, k * n)]);
      }
    });
  }
});
