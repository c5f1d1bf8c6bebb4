// `exact: false` within its proven bound of exact mode (relaxed.ts states the bound and why it holds).

import { describe, expect, it } from "vitest";
import { availableTiers } from "../vm/tiers.js";
import { arbChain, checkRelaxed, relaxedOps, RULES, type RelaxedTally } from "./relaxed.js";
import { assertProperty, budget } from "./runner.js";

describe.runIf(availableTiers().includes("js"))("jit option exact: false", () => {
  it("stays within the forward-error bound of exact mode on random elementwise chains", { timeout: 300_000 }, () => {
    const tally: RelaxedTally = { checked: 0, skipped: 0, maxUlps: 0, maxUsed: 0 };
    const r = assertProperty("exact: false bound", arbChain, (c) => checkRelaxed(c, tally), budget(400));
    expect(r.numRuns).toBeGreaterThanOrEqual(400);
    // Not vacuous: most elements get a bound, and relaxed mode does differ from exact mode.
    expect(tally.checked).toBeGreaterThan(2 * tally.skipped);
    expect(tally.maxUlps).toBeGreaterThan(0);
  });
  it("has an error rule for every continuous float op of the table", () => {
    for (const { op } of relaxedOps()) expect(RULES[op], op).toBeTypeOf("function");
  });
});
