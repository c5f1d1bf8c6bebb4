// The hostile-call property (properties/hostile.ts): every public function, called with
// bad shapes, dtypes, extreme numbers, wrong argument counts and types, traced values
// where static ones are needed, and re-entrant and recursive jit, returns or throws a
// named tierjit Error within a second.
import { expect, it } from "vitest";
import { arbHostile, checkHostile, runHostile } from "./hostile.js";
import { assertProperty, budget } from "./runner.js";

it("hostile calls return or throw a named tierjit Error, within a second", () => {
  assertProperty("hostile calls", arbHostile, checkHostile, budget(3000));
}, 600_000);

it("recursive jit is a TracerError, not a stack overflow", () => {
  
  expect(runHostile({ target: "jit", args: [{ a: "other", v: "recursive" }, { a: "other", v: "undefined" }, { a: "array", shape: [2], dtype: "float32", fill: 1 }], traced: false })).toEqual({ threw: "TracerError" });
});
