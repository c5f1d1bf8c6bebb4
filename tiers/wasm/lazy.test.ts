// A program whose functions never get hot never starts the compile worker, so it
// never loads binaryen. (Its own file: vitest isolates module state per file.)

import { expect, it } from "vitest";
import { jit, np } from "../../index.js";
import { gelu } from "../../perf/workloads.js";
import { serviceStarted } from "./service.js";

it("never-hot programs never load binaryen", () => {
  const f = jit(gelu);
  const x = np.random.normal([1000]);
  for (let i = 0; i < 10; i++) f(x);
  expect(f.inspect().signatures[0]!.tier).not.toBe("wasm");
  expect(serviceStarted()).toBe(false);
});
