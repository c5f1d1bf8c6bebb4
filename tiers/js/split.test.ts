// Tier 1's own fusion policy (split.ts, and fusion's matmulPrologueBroadcast): long-
// latency matmul epilogues and prologues that call ir/math run as separate elementwise
// loops, cheap ones (broadcasting prologues included) stay fused, and either way the
// bits are tier 0's, including broadcast reads and a matmul result that is also an output.

import { describe, expect, it } from "vitest";
import { fuse } from "../../ir/fusion.js";
import { np, type NDArray } from "../../index.js";
import { LogisticRegression, regressionData } from "../../perf/workloads.js";
import { interpreterTier } from "../interpreter/index.js";
import { compileJs } from "./index.js";
import { splitLongLatency } from "./split.js";
import { bits, fill, traceProgram } from "../../testing/programs.js";

const profile = { calls: 0, meanMs: 0 };
const kinds = (fn: (...xs: NDArray[]) => NDArray | NDArray[], args: NDArray[]) =>
  splitLongLatency(fuse(traceProgram(fn, args).program, { matmulPrologueBroadcast: true })).kernels.map((k) => k.kind);

function agree(fn: (...xs: NDArray[]) => NDArray | NDArray[], args: NDArray[]) {
  const { program, inputs } = traceProgram(fn, args);
  const want = interpreterTier.compile(program, profile).run(inputs).map((o) => bits(o));
  expect(compileJs(program).run(inputs).map((o) => bits(o))).toEqual(want);
}

const rand = (shape: number[]) => np.array(Array.from(fill("float32", shape.reduce((a, b) => a * b, 1))), "float32").reshape(...shape);

describe("split matmul epilogues and prologues", () => {
  it("the regression step's sigmoid epilogue becomes its own loop", () => {
    const { X, Y } = regressionData(50, 7, 2);
    const model = new LogisticRegression(X, Y);
    const { program, inputs } = traceProgram(() => model.call(), []);
    const fp = splitLongLatency(fuse(program));
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

  it("a broadcasting prologue fuses into the matmul, on either operand", () => {
    const x = rand([7, 5]);
    const mu = rand([5]);
    const col = rand([7, 1]);
    const w = rand([5, 1]);
    const f = (a: NDArray, m: NDArray, c: NDArray, b: NDArray) => a.sub(m).mul(c).matmul(b);
    expect(kinds(f, [x, mu, col, w])).toEqual(["matmul"]);
    agree(f, [x, mu, col, w]);
    const v = rand([1, 7]);
    const g = (r: NDArray, a: NDArray, m: NDArray, c: NDArray) => r.matmul(a.div(m).add(c));
    expect(kinds(g, [v, x, mu, col])).toEqual(["matmul"]);
    agree(g, [v, x, mu, col]);
    // Without the option (tier 2's grouping) the broadcast keeps its own loop.
    expect(fuse(traceProgram(f, [x, mu, col, w]).program).kernels.map((k) => k.kind)).toEqual(["elementwise", "matmul"]);
  });

  it("a prologue calling ir/math becomes its own loop per operand", () => {
    const x = rand([6, 4]);
    const s = rand([4]);
    const f = (a: NDArray, m: NDArray, b: NDArray) => np.tanh(a.mul(m)).matmul(np.exp(b));
    expect(kinds(f, [x, s, rand([4, 1])])).toEqual(["elementwise", "elementwise", "matmul"]);
    agree(f, [x, s, rand([4, 1])]);
    const g = (r: NDArray, a: NDArray) => np.sin(r).matmul(np.cos(a)).sigmoid();
    expect(kinds(g, [rand([1, 6]), rand([6, 3])])).toEqual(["elementwise", "elementwise", "matmul", "elementwise"]);
    agree(g, [rand([1, 6]), rand([6, 3])]);
  });
});
