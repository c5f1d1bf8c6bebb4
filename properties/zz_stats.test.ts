import { it } from "vitest";
import fc from "fast-check";
import { arbCase } from "./recipe.js";
import { runConfig } from "./agree.js";
import { sizeOf } from "../ir/shape.js";
it("stats", () => {
  const cases = fc.sample(arbCase, { numRuns: 2000, seed: 1 });
  let nanOnly = 0, total = 0, ops = 0, irLines = 0, zero = 0, consts=0;
  const kinds: Record<string, number> = {};
  for (const c of cases) {
    for (const s of c.recipe.steps) kinds[s.def.kind] = (kinds[s.def.kind] ?? 0) + 1;
    const o = runConfig(c, { name: "i", jit: { tier: "interpreter" } }, 1);
    const e = runConfig(c, { name: "e" }, 1);
    if (e.error) { console.log("ERR", e.error); continue; }
    total++;
    const out = o.calls[0]![0]!;
    if (out.data.length === 0) zero++;
    else if (Array.from(out.data).every((x) => x !== x)) nanOnly++;
    irLines += (o.ir ?? "").split("\n").length - 3;
  }
  console.log({ total, nanOnly, zero, avgIr: irLines / total, kinds });
});
