// Tier 1 runs structured control flow (np.forLoop, np.scan, np.whileLoop, np.cond)
// with tier-1 sub-programs, bit for bit like tier 0, Variables carried included.

import { expect, it } from "vitest";
import { jit, np, Variable, type NDArray } from "../../index.js";
import { bits } from "../../testing/programs.js";

const both = (f: (...a: any[]) => unknown, args: unknown[], after?: () => unknown) => {
  const run = (tier: "interpreter" | "js") => {
    const g = jit(f, { tier, osr: false });
    const r = [g(...args), g(...args)];
    expect(g.inspect().signatures[0]!.tier).toBe(tier);
    const flat = (x: unknown): unknown => (x instanceof Object && "toTypedArray" in (x as object) ? bits((x as NDArray).toTypedArray()) : Array.isArray(x) ? x.map(flat) : x);
    return JSON.stringify([flat(r), after?.()]);
  };
  expect(run("js")).toEqual(run("interpreter"));
};

it("forLoop, scan, whileLoop and cond agree with tier 0", () => {
  const x = np.random.normal([7]).mul(2);
  both((a: NDArray) => np.forLoop(0, 9, (i, c: NDArray) => c.mul(1.5).add(i.astype("float32")).tanh(), a), [x]);
  both((a: NDArray) => np.scan((c: NDArray, row: NDArray) => [c.add(row), c.mul(row).sum()], np.zeros([3]), a.reshape(7, 1).mul(np.ones([1, 3]))), [x]);
  both((a: NDArray) => np.whileLoop((c: NDArray) => c.sum().less(40), (c: NDArray) => c.mul(1.7).add(1), a.abs()), [x]);
  both((a: NDArray) => np.cond(a.sum().greater(0), (v: NDArray) => np.exp(v), (v: NDArray) => v.neg(), a), [x]);
});

it("a loop updating a Variable in place", () => {
  let v: Variable;
  const make = () => (v = new Variable(np.array([0.5, -1, 2])));
  make();
  const step = () => np.forLoop(0, 5, () => {
    v.value = v.mul(0.9).add(np.sin(v));
  });
  const a = jit(step, { tier: "interpreter" });
  a();
  const want = bits(v!.toTypedArray());
  make();
  const b = jit(step, { tier: "js" });
  b();
  expect(bits(v!.toTypedArray())).toEqual(want);
  expect(b.inspect().signatures[0]!.js).toMatch(/loop: a JS loop over 1 tier-1 sub-program/);
});
