// On-stack replacement never blocks a running loop on binaryen's one-time load: in a
// process where binaryen has not loaded yet, the loop stays in its tier (with an
// event saying why), binaryen starts loading in the background, and the results are
// unchanged.

import { expect, it } from "vitest";
import { jit, np, type NDArray } from "../../index.js";
import { standInTier } from "../../testing/standin.js";
import { registerTier } from "../../vm/tiers.js";
import { serviceStarted } from "./service.js";

registerTier(standInTier("js"));

it("a loop skips tier 2 while binaryen loads, and binaryen starts loading", () => {
  const sim = (x: NDArray) => np.forLoop(0, 300, (i, c: NDArray) => c.mul(0.99).add(np.cos(i.astype("float32"))), x);
  const x = np.linspace(0, 1, 5);
  expect(serviceStarted()).toBe(false);
  const f = jit(sim, { osr: { iterations: 50, ms: 1e9 }, hot: { js: { calls: 1e9, ms: 1e9 } } });
  const got = f(x);
  expect(Array.from(got.toTypedArray())).toEqual(Array.from(sim(x).toTypedArray()));
  const ev = f.inspect().signatures[0]!.events;
  expect(ev.map((e) => [e.from, e.to])).toEqual([[null, "interpreter"], ["interpreter", "js"], ["js", "js"]]);
  expect(ev[2]!.reason).toMatch(/on-stack replacement to wasm postponed at iteration 100: its compiler is still loading/);
  expect(serviceStarted()).toBe(true);
});
