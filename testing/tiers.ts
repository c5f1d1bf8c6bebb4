// Test support: one case run eagerly and pinned to every tier, which must agree bit for bit.

import { expect } from "vitest";
import { jit, type NDArray, type TierName } from "../index.js";

const TIERS: TierName[] = ["interpreter", "js", "wasm"];

/** The result of `f(...args)` eagerly and in every tier, as plain arrays; all must agree bit for bit. */
export function everywhere(f: (...a: NDArray[]) => NDArray, ...args: NDArray[]): { shape: readonly number[]; dtype: string; values: number[] } {
  const eager = f(...args);
  const want = { shape: eager.shape, dtype: eager.dtype, values: Array.from(eager.toTypedArray()) };
  for (const tier of TIERS) {
    const j = jit(f, { tier });
    const r = j(...args);
    expect(j.inspect().signatures[0]!.tier).toBe(tier);
    expect({ shape: r.shape, dtype: r.dtype, values: Array.from(r.toTypedArray()) }, tier).toEqual(want);
    const bits = Array.from(r.toTypedArray()).map((v) => (Object.is(v, -0) ? "-0" : String(v)));
    expect(bits, tier).toEqual(want.values.map((v) => (Object.is(v, -0) ? "-0" : String(v))));
  }
  return want;
}

