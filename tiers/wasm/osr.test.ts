// On-stack replacement INTO tier 2: a loop's continuation program is compiled by
// wasmTier.compile synchronously, mid-call, and finishes the loop in wasm with the
// same bits. A stand-in "js" tier (the interpreter offering OSR as "js") puts wasm
// next in line, as a tier 1 running loops would.

import { beforeAll, expect, it } from "vitest";
import { jit, np, type NDArray } from "../../index.js";
import { standInTier } from "../interpreter/standin.js";
import { registerTier } from "../../vm/tiers.js";
import { wasmTier } from "./index.js";

registerTier(standInTier("js"));

// OSR skips tier 2 while binaryen is still loading (osr-loading.test.ts); here it is loaded first.
beforeAll(async () => {
  while (!wasmTier.warm!()) await new Promise((r) => setTimeout(r, 20));
});

it("a long loop moves to wasm mid-call and keeps the bits", () => {
  const sim = (x: NDArray) =>
    np.forLoop(0, 400, (i, c: { v: NDArray; n: NDArray }) => ({ v: c.v.mul(0.99).add(np.sin(i.astype("float32"))).add(np.random.normal([9]).mul(0.1)), n: c.n.add(1) }), { v: x, n: np.array(0, "int32") });
  const x = np.linspace(0, 1, 9);
  np.random.seed(4);
  const want = sim(x);
  np.random.seed(4);
  const f = jit(sim, { osr: { iterations: 50, ms: 1e9 }, hot: { js: { calls: 1e9, ms: 1e9 } } });
  const got = f(x);
  expect(Array.from(got.v.toTypedArray())).toEqual(Array.from(want.v.toTypedArray()));
  expect(got.n.item()).toBe(400);
  const ev = f.inspect().signatures[0]!.events;
  expect(ev.map((e) => [e.from, e.to])).toEqual([[null, "interpreter"], ["interpreter", "js"], ["js", "wasm"]]);
  expect(ev[2]!.reason).toBe("on-stack replacement of a loop at iteration 100"); // the loop index where wasm continues (js took over at 50)
});
