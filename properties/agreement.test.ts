import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ELEMENTWISE, REDUCE } from "../ir/ops.js";
import { availableTiers } from "../vm/tiers.js";
import { agreeingOutcomes, configsFor, type Outcome } from "./agree.js";
import { CATALOG, CONTROL, npFunction } from "./catalog.js";
import { ALLOW, arbOperands, checkAllowance } from "./allow.js";
import { minimizeCase } from "./minimize.js";
import { arbCase, hasLoop, isControl, type Case, type Step } from "./recipe.js";
import { assertProperty, budget } from "./runner.js";

/** What the checked programs contained, so the test shows the generators reach what they claim to. */
function tally(seen: Map<string, number>, c: Case, outcomes: readonly Outcome[]): void {
  const add = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
  const walk = (steps: readonly Step[], depth: number) => {
    for (const s of steps) {
      if (isControl(s)) add(`${s.def.kind} at depth ${depth}`);
      if (s.def.kind === "random" && depth > 0) add("random draw in a body");
      if (s.def.kind === "assign" && depth > 0) add("Variable assigned in a body");
      walk([...(s.body ?? []), ...(s.alt ?? [])], depth + 1);
    }
  };
  walk(c.recipe.steps, 0);
  add("programs");
  if (c.recipe.steps.some(isControl)) add("programs with control flow");
  if (hasLoop(c.recipe.steps)) add("programs with loops");
  for (const t of new Set(outcomes.find((o) => o.config === "osr")?.transitions)) add(t);
  for (const o of outcomes) if (o.config.startsWith("eager compiled")) add(o.config);
}

describe("every tier agrees with eager mode", () => {
  it("on random programs (with loops, conds and random draws), bit for bit", { timeout: 600_000 }, () => {
    const seen = new Map<string, number>();
    const r = assertProperty("tiers agree", arbCase, (c) => tally(seen, c, agreeingOutcomes(c)), budget(1000), minimizeCase);
    expect(r.numRuns).toBeGreaterThanOrEqual(1000);
    const n = (k: string) => seen.get(k) ?? 0;
    const programs = n("programs");
    expect(n("programs with control flow")).toBeGreaterThan(programs / 4);
    for (const def of CONTROL) {
      expect(n(`${def.kind} at depth 0`), def.kind).toBeGreaterThan(programs / 100);
      expect(n(`${def.kind} at depth 1`), `${def.kind} nested`).toBeGreaterThan(0);
    }
    expect(n("random draw in a body")).toBeGreaterThan(programs / 100);
    expect(n("Variable assigned in a body")).toBeGreaterThan(programs / 100);
    // Compiled eager mode (tier-1 kernels, and tier 2 for a quarter of the cases) is checked against the reference kernels.
    expect(n("eager compiled")).toBe(programs);
    if (availableTiers().includes("wasm")) expect(n("eager compiled, tier 2")).toBeGreaterThan(programs / 8);
    // The "osr" configuration really hands loops over mid-loop, through every tier.
    const tiers = availableTiers();
    for (let k = 1; k < tiers.length; k++) expect(n(`osr:${tiers[k - 1]}->${tiers[k]}`), `OSR ${tiers[k - 1]} -> ${tiers[k]}`).toBeGreaterThan(n("programs with loops") / 5);
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
