// Fusion preserves meaning and produces a well-formed contract: the fused reference
// tier (fusedref.ts) takes the place of tier 1 in this file (vitest isolates files)
// and must agree with eager on random programs (only that tier runs: the others have
// their own suite in agreement.test.ts).

import { describe, expect, it } from "vitest";
import { registerTier } from "../vm/tiers.js";
import { checkAgreement } from "./agree.js";
import { fusedReferenceTier } from "./fusedref.js";
import { minimizeCase } from "./minimize.js";
import { arbCase } from "./recipe.js";
import { assertProperty, budget } from "./runner.js";

describe("fusion", () => {
  it("run kernel by kernel, gives eager's results and keeps the kernel contract", { timeout: 600_000 }, () => {
    registerTier(fusedReferenceTier("js"));
    const r = assertProperty("fusion preserves meaning", arbCase, (c) => checkAgreement(c, undefined, ["js"]), budget(300), minimizeCase);
    expect(r.numRuns).toBeGreaterThanOrEqual(300);
  });
});
