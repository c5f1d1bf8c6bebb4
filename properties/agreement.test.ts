import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ELEMENTWISE, REDUCE } from "../ir/ops.js";
import { availableTiers } from "../vm/tiers.js";
import { checkAgreement, configsFor } from "./agree.js";
import { CATALOG, npFunction } from "./catalog.js";
import { ALLOW, arbOperands, checkAllowance } from "./allow.js";
import { minimizeCase } from "./minimize.js";
import { arbCase } from "./recipe.js";
import { assertProperty, budget } from "./runner.js";

describe("every tier agrees with eager mode", () => {
  it("on random programs, bit for bit", { timeout: 600_000 }, () => {
    const r = assertProperty("tiers agree", arbCase, (c) => checkAgreement(c), budget(1000), minimizeCase);
    expect(r.numRuns).toBeGreaterThanOrEqual(1000);
  });
});

describe("the allow-list", () => {
  // Empty today (every op is bit-exact); each entry added later is held to its bound here.
  for (const a of ALLOW) {
    it(`${a.op} stays within ${a.ulps} ulp in every tier`, () => {
      assertProperty(`${a.op} allowance`, arbOperands, (o) => checkAllowance(a, o), budget(500));
    });
  }
  it("names only elementwise ops, each with a reason", () => {
    for (const a of ALLOW) {
      expect(a.reason.length).toBeGreaterThan(0);
      expect(a.ulps).toBeGreaterThan(0);
    }
  });
});

describe("the generators come from the op table", () => {
  it("cover every elementwise and reduce op, each callable through np", () => {
    const covered = new Set(CATALOG.map((s) => s.op));
    for (const op of [...Object.keys(ELEMENTWISE), ...Object.keys(REDUCE)]) {
      expect(covered.has(op), op).toBe(true);
      expect(typeof npFunction(op)).toBe("function");
    }
  });
  it("run every registered tier with and without passes", () => {
    const names = configsFor(fc.sample(arbCase, { numRuns: 1, seed: 1 })[0]!).map((c) => c.name);
    for (const t of availableTiers()) expect(names).toEqual(expect.arrayContaining([t, `${t} (no passes)`]));
  });
});
