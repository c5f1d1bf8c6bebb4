// Compiled eager mode loads binaryen only for a process whose eager ops are hot: a few
// ops never start the compile worker; once eager kernels have spent 30 ms in tier 1 the
// load starts in the background, no op waits for it, and hot entries move to tier 2
// when it is ready. (Its own file: vitest isolates module state per file.)

import { expect, it } from "vitest";
import { np } from "../index.js";
import { serviceStarted } from "../tiers/wasm/service.js";
import { eagerCacheStats } from "./eager.js";

it("eager ops start binaryen's load only once they are hot, and move to tier 2 without waiting", { timeout: 60_000 }, () => {
  const small = np.random.normal([100]);
  for (let i = 0; i < 20; i++) small.tanh().mul(2);
  expect(serviceStarted()).toBe(false);
  const x = np.random.normal([200_000]);
  let calls = 0;
  const t0 = performance.now();
  while (eagerCacheStats().wasm === 0 && performance.now() - t0 < 50_000) {
    x.tanh();
    calls++;
  }
  expect(serviceStarted()).toBe(true);
  expect(eagerCacheStats().wasm).toBe(1);
  // The load ran in the background while tier 1 kept computing: many calls, not one that waited.
  expect(calls).toBeGreaterThan(5);
});
