// Minimal programs the property suite found, kept as plain tests so they stay fixed.

import { describe, expect, it } from "vitest";
import { jit } from "../vm/jit.js";
import { np } from "../vm/np.js";
import { Variable } from "../vm/variable.js";

describe("regressions found by the property suite", () => {
  // Shrunk case: `t = np.sub(x, v.value)` after `old = v.value; v.value = 0.001`
  // gave -0.001 eagerly and 0 under jit: eager `v.value` returned the Variable itself,
  // so a value read before an assignment changed with it.
  it("a Variable's value read before an assignment keeps its old value, eagerly as under jit", () => {
    const run = (mode: "eager" | "jit") => {
      const a = new Variable(np.array([1, 2]));
      const b = new Variable(np.array([3, 4]));
      const swap = () => {
        const old = a.value;
        a.value = b.value;
        b.value = old;
      };
      (mode === "jit" ? jit(swap) : swap)();
      return [a.toArray(), b.toArray()];
    };
    expect(run("eager")).toEqual([[3, 4], [1, 2]]);
    expect(run("jit")).toEqual(run("eager"));
  });
});
