// Tier 1's own fusion policy (split.ts): a matmul epilogue with a long-latency op runs
// as a separate elementwise loop, a cheap one stays fused, and either way the bits are
// tier 0's, including broadcast epilogue reads and a matmul result that is also an output.

import { describe, expect, it } from "vitest";
import { fuse } from "../../ir/fusion.js";
import { np, type NDArray } from "../../index.js";
import { LogisticRegression, regressionData } from "../../perf/workloads.js";
import { interpreterTier } from "../interpreter/index.js";
import { compileJs } from "./index.js";
import { splitEpilogues } from "./split.js";
import { bits, fill, traceProgram } from "./testprograms.js";

const profile = { calls: 0, meanMs: 0 };
const kinds = (fn: (...xs: NDArray[]) => NDArray | NDArray[], args: NDArray[]) =>
  splitEpilogues(fuse(traceProgram(fn, args).program)).kernels.map((k) => k.kind);

function agree(fn: (...xs: NDArray[]) => NDArray | NDArray[], args: NDArray[]) {
  const { program, inputs } = traceProgram(fn, args);
  const want = interpreterTier.compile(program, profile).run(inputs).map((o) => bits(o));
  expect(compileJs(program).run(inputs).map((o) => bits(o))).toEqual(want);
}

const rand = (shape: number[]) => np.array(Array.from(fill("float32", shape.reduce((a, b) => a * b, 1))), "float32").reshape(...shape);

describe("split matmul epilogues", () => {
  it("the regression step's sigmoid epilogue becomes its own loop", () => {
    const { X, Y } = regressionData(50, 7, 2);
    const model = new LogisticRegression(X, Y);
    const { program, inputs } = traceProgram(() => model.call(), []);
    const fp = splitEpilogues(fuse(program));
    expect(fp.kernels.map((k) => k.kind)).toEqual(["single", "matmul", "elementwise", "matmul"]);
    const mm = fp.kernels[1]!;
    expect(mm.kind === "matmul" && mm.epilogue.length).toBe(0);
    expect(mm.writes).toEqual([mm.body.at(-1)!.out]);
    const want = interpreterTier.compile(program, profile).run(inputs).map((o) => bits(o));
    expect(compileJs(program).run(inputs).map((o) => bits(o))).toEqual(want);
  });

  it("a cheap epilogue stays fused", () => {
    expect(kinds((a, b, c) => a.matmul(b).mul(c).add(1), [rand([5, 3]), rand([3, 4]), rand([4])])).toEqual(["matmul"]);
  });

  it("broadcast reads, a result that is also an output, and special values keep tier 0's bits", () => {
    const a = rand([6, 5]);
    const b = rand([5, 7]);
    const row = rand([7]);
    const col = rand([6, 1]);
    const f = (x: NDArray, y: NDArray, r: NDArray, c: NDArray) => {
      const m = x.matmul(y);
      return [m, np.exp(m.mul(r)).div(c.add(2)), np.tanh(m).sqrt()];
    };
    expect(kinds(f, [a, b, row, col])).toEqual(["elementwise", "matmul", "elementwise"]); // c + 2 has its own size
    agree(f, [a, b, row, col]);
    agree((x: NDArray, w: NDArray) => np.log(x.matmul(w).abs()).reshape(9), [rand([9, 4]), rand([4, 1])]);
    agree((v: NDArray, x: NDArray) => v.reshape(1, 4).matmul(x).sigmoid(), [rand([4]), rand([4, 3])]);
  });
});
