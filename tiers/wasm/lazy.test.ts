// binaryen (~0.4 s of a core and ~100 MB on its worker) loads only for programs on
// their way to tier 2: a function that never leaves the interpreter never starts the
// compile worker; the first signature that reaches tier 1 starts it in the background,
// so tier 2's compiler is ready by the time something is hot enough for it, and no call
// waits for it. (Its own file: vitest isolates module state per file.)

import { expect, it } from "vitest";
import { jit, np } from "../../index.js";
import { gelu } from "../../perf/workloads.js";
import { serviceStarted } from "./service.js";

it("programs that stay in the interpreter never load binaryen; reaching tier 1 starts the load without waiting", () => {
  const f = jit(gelu, { hot: { js: { calls: 3, ms: 1e9 } } }); // by calls only: a cold first call may take over 1 ms
  const x = np.random.normal([1000]);
  for (let i = 0; i < 2; i++) f(x);
  expect(f.inspect().signatures[0]!.tier).toBe("interpreter");
  expect(serviceStarted()).toBe(false);
  f(x);

  f(x);
  expect(f.inspect().signatures[0]!.tier).toBe("js");
  expect(serviceStarted()).toBe(true);
});
