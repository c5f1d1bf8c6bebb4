// The fusion pass: which instructions share a kernel, what each kernel reads and
// writes, and that kernels come in dependency order.

import { describe, expect, it } from "vitest";
import { np, type NDArray } from "../index.js";
import { LogisticRegression, gelu, regressionData } from "../perf/workloads.js";
import { traceProgram } from "../testing/programs.js";
import { fuse, printFused } from "./fusion.js";
import type { Kernel } from "./kernel.js";

const kinds = (ks: readonly Kernel[]) => ks.map((k) => k.kind);
const fused = (fn: (...xs: NDArray[]) => NDArray | NDArray[] | void, ...args: NDArray[]) => fuse(traceProgram(fn, args).program);

describe("fuse", () => {
  it("gelu is one elementwise kernel: a tree, x read once, only the result written", () => {
    const fp = fused(gelu, np.ones([1000]));
    expect(kinds(fp.kernels)).toEqual(["elementwise"]);
    const k = fp.kernels[0]!;
    expect(k.writes).toEqual([fp.program.outputs[0]]);
    expect(k.body.length).toBe(fp.program.body.length);
  });
  it("a value also used outside its group is written; one used only inside stays a temporary", () => {
    const fp = fused((x: NDArray) => {
      const t = np.exp(x);
      return [t.add(1).mul(t), t.sum()];
    }, np.ones([8]));
    const ew = fp.kernels.find((k) => k.kind === "elementwise")!;
    const expId = fp.program.body.find((i) => i.op === "exp")!.out;
    expect(ew.writes).toContain(expId); // read by the reduction too
    expect(ew.writes.length).toBe(2);
  });
  it("a reduction absorbs its elementwise producer as prologue and its consumers as epilogue", () => {
    const fp = fused((x: NDArray) => np.exp(x.mul(2)).sum(1).mul(3).add(1), np.ones([4, 6]));
    expect(kinds(fp.kernels)).toEqual(["reduce"]);
    const k = fp.kernels[0]!;
    if (k.kind !== "reduce") throw new Error("unreachable");
    expect(k.prologue.map((i) => i.op)).toEqual(["mul", "exp"]);
    expect(k.epilogue.map((i) => i.op)).toEqual(["mul", "add"]);
    expect(k.writes).toEqual(fp.program.outputs);
  });
  it("the logistic-regression step is two matmul kernels, the elementwise chain an epilogue of the first", () => {
    const { X, Y } = regressionData(50, 10, 1);
    const m = new LogisticRegression(X, Y);
    const fp = fused(() => m.call());
    expect(kinds(fp.kernels)).toEqual(["single", "matmul", "matmul"]); // the single one is w's reshape (aliased)
    const [, k1, k2] = fp.kernels as [Kernel, Kernel, Kernel];
    if (k1.kind !== "matmul" || k2.kind !== "matmul") throw new Error("unreachable");
    expect(k1.epilogue.map((i) => i.op)).toEqual(["reshape", "mul", "neg", "exp", "add", "div", "sub", "mul", "reshape"]);
    expect(k2.epilogue.map((i) => i.op)).toEqual(["reshape", "sub"]);
    expect(printFused(fp)).toMatch(/kernel 1: matmul/);
  });
  it("as model(X, Y) with an int32 Y argument, Y's cast joins the matmul epilogue instead of a loop of its own", () => {
    const { X, Y } = regressionData(50, 10, 1);
    const w = np.zeros([10]);
    const fp = fused((x: NDArray, y: NDArray) => np.dot(np.exp(y.mul(np.dot(x, w)).neg()).mul(y), x), X, Y);
    expect(kinds(fp.kernels)).toEqual(["matmul", "matmul"]);
    const k1 = fp.kernels[0]!;
    if (k1.kind !== "matmul") throw new Error("unreachable");
    expect(k1.epilogue.map((i) => i.op)).toEqual(["reshape", "cast", "mul", "neg", "exp", "mul", "reshape"]);
    // A cast computed before the matmul cannot be its epilogue: it and the multiply stay a loop of their own.
    const fp2 = fused((x: NDArray, y: NDArray) => {
      const yf = y.astype("float32");
      return yf.mul(np.dot(x, w));
    }, X, Y);
    expect(kinds(fp2.kernels)).toEqual(["matmul", "elementwise"]);
  });
  it("does not recompute a matmul prologue per output column", () => {
    const fp = fused((a: NDArray, b: NDArray) => np.matmul(np.exp(a), b), np.ones([3, 4]), np.ones([4, 5]));
    expect(kinds(fp.kernels)).toEqual(["elementwise", "matmul"]);
    const fp2 = fused((a: NDArray, b: NDArray) => np.dot(np.exp(a), b), np.ones([3, 4]), np.ones([4]));
    expect(fp2.kernels.some((k) => k.kind === "matmul" && k.prologue.length === 1)).toBe(true);
  });
  it("broadcast reads only where the instruction has the loop shape; transposes are single kernels", () => {
    const fp = fused((x: NDArray, b: NDArray) => np.transpose(x.add(b)).mul(2), np.ones([3, 4]), np.ones([4]));
    expect(kinds(fp.kernels)).toEqual(["elementwise", "single", "elementwise"]);
    const order = fp.kernels.flatMap((k) => k.body.map((i) => i.out));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
  it("merges two groups that meet, and never forms a cycle", () => {
    const fp = fused((x: NDArray) => {
      const a = x.mul(2); // group A
      const s = a.sum(); // reads A
      const b = x.add(1).mul(s); // group B depends on s, which depends on A
      return a.add(b); // A and B meet: merging would create a cycle through s
    }, np.ones([5]));
    const pos = new Map<number, number>();
    fp.kernels.forEach((k, i) => k.writes.forEach((w) => pos.set(w, i)));
    fp.kernels.forEach((k, i) => k.reads.forEach((r) => expect(pos.get(r) ?? -1).toBeLessThan(i)));
  });
});
