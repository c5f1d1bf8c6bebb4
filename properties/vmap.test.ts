// vmap on random programs (properties/vmap.ts): batched = per-example loop, stacked,
// eagerly and in every tier, bit for bit.

import { describe, expect, it } from "vitest";
import type { TierName } from "../index.js";
import { isControl, type Step } from "./recipe.js";
import { assertProperty, budget } from "./runner.js";
import { arbVmapCase, batched, prepare, snap } from "./vmap.js";

const CONFIGS: (TierName | "eager")[] = ["eager", "interpreter", "js", "wasm"];

describe("vmap on random programs", () => {
  it("equals running f on each example and stacking, eagerly and in every tier", { timeout: 600_000 }, () => {
    const seen = new Map<string, number>();
    const add = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    const walk = (steps: readonly Step[]) => steps.forEach((s) => (isControl(s) && add(s.def.kind), walk([...(s.body ?? []), ...(s.alt ?? [])])));
    assertProperty("vmap = per-example loop", arbVmapCase, (c) => {
      const r = prepare(c);
      if (r.want === null) return;
      add("checked");
      walk(c.recipe.steps);
      if (r.inAxes.some((a, i) => a !== null && a === c.inputs[i]!.shape.length)) add("batch axis last");
      if (r.inAxes.includes(null)) add("unbatched input");
      if (r.outAxes.some((a) => a < 0)) add("negative out axis");
      const want = r.want.map(snap);
      for (const config of CONFIGS) expect(batched(r, config).map(snap), `${config}; inAxes ${JSON.stringify(r.inAxes)}, outAxes ${JSON.stringify(r.outAxes)}`).toEqual(want);
    }, budget(150));
    const n = (k: string) => seen.get(k) ?? 0;
    expect(n("checked")).toBeGreaterThan(100);
    for (const k of ["forLoop", "scan", "whileLoop", "cond", "batch axis last", "unbatched input", "negative out axis"]) expect(n(k), k).toBeGreaterThan(0);
  });
});
