// Compiles skip printing the module (printing cost more than building it); the WAT
// is built by the worker when inspect() first asks for it, and kept.

import { expect, it } from "vitest";
import { jit, np } from "../../index.js";
import { gelu } from "../../perf/workloads.js";
import { Fn } from "./fn.js";
import { x } from "./recipe.js";
import { requestModule } from "./service.js";

it("a compile returns no WAT unless the recipe asks for it", () => {
  const fn = new Fn("k");
  fn.emit(x("f32.store", 0, 4, x("i32.const", 0), x("f32.const", 1.5)));
  const recipe = { pages: 1, imports: [], funcs: [fn.finish()] };
  expect(requestModule(recipe).wait(60_000)!.wat).toBeUndefined();
  expect(requestModule({ ...recipe, text: true }).wait(60_000)!.wat).toContain("(func $k");
});

it("inspect() shows the WAT of a tier-2 signature, printed on demand", () => {
  const f = jit(gelu, { tier: "wasm" });
  const x0 = np.linspace(-3, 3, 37);
  f(x0);
  const wat = f.inspect().signatures[0]!.wat!;
  expect(wat).toContain("(module");
  expect(wat).toContain("f32x4.mul");
  expect(f.inspect().signatures[0]!.wat).toBe(wat);
});
