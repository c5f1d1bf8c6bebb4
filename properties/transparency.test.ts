import { describe, expect, it } from "vitest";
import { assertProperty, budget } from "./runner.js";
import { arbTwoSignatures, checkTransparency } from "./transparency.js";

describe("jit is transparent", () => {
  it("matches eager call for call across two signatures, tracing once per signature", { timeout: 600_000 }, () => {
    const r = assertProperty("jit transparency", arbTwoSignatures, checkTransparency, budget(500));
    expect(r.numRuns).toBeGreaterThanOrEqual(500);
  });
});
