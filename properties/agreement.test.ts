import { describe, expect, it } from "vitest";
import { checkAgreement } from "./agree.js";
import { arbCase } from "./recipe.js";
import { assertProperty, budget } from "./runner.js";

describe("every tier agrees with eager mode", () => {
  it("on random programs, bit for bit", { timeout: 600_000 }, () => {
    const r = assertProperty("tiers agree", arbCase, (c) => checkAgreement(c), budget(1000));
    expect(r.numRuns).toBeGreaterThanOrEqual(1000);
  });
});
