// A loop that wants tier 2 while binaryen is still loading is postponed, not given
// up: it keeps running in its tier, asks again every `osr.ms`, and moves to wasm in
// the same call once the compiler is ready. (Its own file: binaryen must not have
// started loading in this process.)

import { expect, it } from "vitest";
import { jit, np, type NDArray } from "../../index.js";
import { standInTier } from "../../testing/standin.js";
import { registerTier } from "../../vm/tiers.js";
import { serviceStarted } from "./service.js";

registerTier(standInTier("js"));

it("a postponed loop reaches wasm mid-call once binaryen has loaded", () => {
  // Long enough to outlast binaryen's load (about 0.5 s) several times over in the stand-in tier.
  const sim = (x: NDArray) => np.forLoop(0, 3_000_000, (i, c: NDArray) => c.mul(0.5).add(i.astype("float32").mul(1e-6)), x);
  const x = np.linspace(0, 1, 3);
  expect(serviceStarted()).toBe(false);
  const f = jit(sim, { osr: { iterations: 100, ms: 10 }, hot: { js: { calls: 1e9, ms: 1e9 } } });
  const got = f(x);
  const ev = f.inspect().signatures[0]!.events;
  expect(ev.map((e) => [e.from, e.to])).toEqual([[null, "interpreter"], ["interpreter", "js"], ["js", "js"], ["js", "wasm"]]);
  expect(ev[2]!.reason).toMatch(/on-stack replacement to wasm postponed at iteration \d+: its compiler is still loading/);
  expect(ev[3]!.reason).toMatch(/^on-stack replacement of a loop at iteration \d+$/);
  const at = Number(/iteration (\d+)/.exec(ev[3]!.reason)![1]);
  expect(at).toBeGreaterThan(200);
  // Tier 2 pinned gives tier 0's bits (the property suite's claim); eagerly this loop would take seconds.
  expect(Array.from(got.toTypedArray())).toEqual(Array.from(jit(sim, { tier: "wasm" })(x).toTypedArray()));
}, 60_000);
