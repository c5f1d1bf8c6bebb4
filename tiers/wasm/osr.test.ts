// On-stack replacement INTO tier 2: a loop's continuation program is compiled by
// wasmTier.compile synchronously, mid-call, and finishes the loop in wasm with the
// same bits. A stand-in "js" tier (the interpreter offering OSR as "js") puts wasm
// next in line, as a tier 1 running loops would.

import { beforeAll, expect, it } from "vitest";
import { jit, np, type NDArray } from "../../index.js";
import { standInTier } from "../../testing/standin.js";
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

it("a loop with a known trip count leaves a slow tier as soon as its rest is predicted to take osr.ms", () => {
  // 400 iterations on 20,000 elements: the first interpreter iteration alone predicts far
  // more than 20 x 5 ms, so the loop goes straight to the fastest ready tier.
  const sim = (x: NDArray) => np.forLoop(0, 400, (_i, c: NDArray) => c.mul(0.99).add(x.sin()), x);
  const x = np.linspace(0, 1, 20_000);
  const f = jit(sim, { osr: { iterations: 1e9, ms: 5 }, hot: { js: { calls: 1e9, ms: 1e9 } } });
  const got = f(x);
  const ev = f.inspect().signatures[0]!.events;
  expect(ev.map((e) => [e.from, e.to])).toEqual([[null, "interpreter"], ["interpreter", "wasm"]]);
  expect(ev[1]!.reason).toMatch(/^on-stack replacement of a loop at iteration 1, straight past js \(\d+ ms predicted in interpreter\)$/);
  expect(Array.from(got.toTypedArray())).toEqual(Array.from(jit(sim, { tier: "interpreter" })(x).toTypedArray()));
  // A short loop is not worth a compile: it finishes where it started. (ms: 50, not 5: on a
  // loaded machine one stalled iteration of 0.3 ms predicted 5 ms for the other 19 and compiled.)
  const short = jit((a: NDArray) => np.forLoop(0, 20, (_i, c: NDArray) => c.add(1), a), { osr: { iterations: 1e9, ms: 50 }, hot: { js: { calls: 1e9, ms: 1e9 } } });
  short(np.zeros([3]));
  expect(short.inspect().signatures[0]!.events.map((e) => e.to)).toEqual(["interpreter"]);
});

it("a signature called again after its loop reached wasm by OSR is promoted straight to wasm", () => {
  const sim = (x: NDArray) => np.forLoop(0, 300, (_i, c: NDArray) => c.mul(0.99).add(x.cos()), x);
  const x = np.linspace(0, 1, 20_000);
  const f = jit(sim, { osr: { iterations: 1e9, ms: 5 } });
  const want = Array.from(jit(sim, { tier: "interpreter" })(x).toTypedArray());
  f(x);
  expect(f.inspect().tier).toBe("wasm"); // the call finished in wasm (by OSR)
  expect(f.inspect().signatures[0]!.lastCallFinishedIn).toBe("wasm");
  expect(f.inspect().signatures[0]!.tier).toBe("interpreter"); // the signature itself still starts there
  for (let k = 0; k < 200 && f.inspect().signatures[0]!.tier !== "wasm"; k++) expect(Array.from(f(x).toTypedArray())).toEqual(want);
  const ev = f.inspect().signatures[0]!.events.filter((e) => !e.reason.startsWith("on-stack"));
  expect(ev.map((e) => [e.from, e.to])).toEqual([[null, "interpreter"], ["interpreter", "wasm"]]);
  expect(ev[1]!.reason).toMatch(/^a loop in it reached wasm by on-stack replacement; compiled in the background/);
  const requestedAfter = ev[1]!.call - Number(/switched (\d+) calls/.exec(ev[1]!.reason)![1]);
  expect(requestedAfter).toBe(2); // requested after the second call: a program called once pays for no second compile
});
