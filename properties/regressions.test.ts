// Minimal programs the property suite found, kept as plain tests so they stay fixed.

import { describe, expect, it } from "vitest";
import { jit } from "../vm/jit.js";
import { np } from "../vm/np.js";
import type { TierName } from "../tiers/tier.js";
import type { NDArray } from "../vm/ndarray.js";
import { availableTiers } from "../vm/tiers.js";
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

  // Found by `properties:deep` (seed 2026, program 3539), shrunk to: the new state of a
  // Variable is computed in the same fused loop that still reads the Variable's old
  // value. Tier js wrote w0[i] (the Variable's buffer) before reading r1[i] (the same
  // buffer) in each iteration, so pow saw the new value: [0.707, ...] instead of eager's
  // [1.414, 0, 1.414, 0, ...]. Fixed in tier js by b509c2e (stores after loads).
  it("a fused loop that reads a Variable and writes its new state reads before it writes", () => {
    const run = (tier?: TierName) => {
      const v = new Variable(np.array([2, 0, 2, 0, 2, 0, 2, 0]));
      const step = (x: NDArray) => {
        const old = v.value;
        v.value = np.astype(np.broadcastTo(x, [8]), "float32");
        return np.pow(old, v.value);
      };
      const out = (tier ? jit(step, { tier }) : step)(np.array(0.5, "float64"));
      return [out.toArray(), v.toArray()];
    };
    const eager = run();
    for (const tier of availableTiers()) expect(run(tier), tier).toEqual(eager);
  });

  // Found by the agreement property (SEED=2, 2513th program), shrunk to: one Variable's
  // new state is another Variable's old value. Tier wasm (resident Variables) gave
  // b = the NEW value of a. Fixed in tier wasm by 71e6dd1 (stages such states).
  it("a Variable assigned another Variable's old value gets the old value", () => {
    const run = (tier?: TierName) => {
      const a = new Variable(np.array([1, 2]));
      const b = new Variable(np.array([3, 4]));
      const shift = (x: NDArray) => {
        const oldA = a.value;
        a.value = x;
        b.value = oldA;
      };
      (tier ? jit(shift, { tier }) : shift)(np.array([5, 6]));
      return [a.toArray(), b.toArray()];
    };
    expect(run()).toEqual([[5, 6], [1, 2]]);
    for (const tier of availableTiers()) expect(run(tier), tier).toEqual(run());
  });

  // Found by `properties:deep` (SEED=31337, program 2161), shrunk to: an int32 dot of two
  // empty vectors (K = 0 must give 0) after dead float64 work on a Variable, with passes
  // off so the dead work runs. Tier wasm returned stale memory (-536870912): the empty
  // contraction wrote nothing into a region that had held another value. Fixed in
  // tier wasm by d8a5da5 (an empty matmul writes +0).
  it("an empty int32 dot gives 0 even when its memory held other values", () => {
    const run = (tier?: TierName) => {
      const v = new Variable(np.array([708.3964233398438, 0, 708.3964233398438], "float64"));
      const f = (x: NDArray, y: NDArray) => {
        np.add(x, np.sum(v.value)); // dead, but computed with passes off
        return np.dot(y, y);
      };
      const g = tier ? jit(f, { tier, skipPasses: ["fold", "cse", "dce"] }) : f;
      return g(np.array([true, false, true]), np.array([], "int32")).toArray();
    };
    expect(run()).toBe(0);
    for (const tier of availableTiers()) expect(run(tier), tier).toBe(0);
  });
});
