// The suite can fail: a deliberately broken tier, registered through the tier
// interface in place of the fastest real tier, is caught and shrunk to a minimal
// program whose report shows the IR, every configuration's outputs and the replay seed.
// (Vitest isolates test files, so the substitution never leaks into other files.)
// Programs for the op mutants have no control flow: shrinking removes whole top-level
// steps, and an op inside a loop body could not be brought to the top level. A mutant
// loop is hunted with control flow on.

import type fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Tier } from "../tiers/tier.js";
import { availableTiers, getTier, registerTier } from "../vm/tiers.js";
import { checkAgreement } from "./agree.js";
import { arbOperands, checkAllowance, type Allowance } from "./allow.js";
import { EXP_ONE_ULP, LOOP_ONE_SHORT, MAX_SIGNED_ZERO, mutantTier, type Mutation } from "./mutants.js";
import { minimizeCase } from "./minimize.js";
import { arbCase, arbPlainCase, type Case } from "./recipe.js";
import { assertProperty, ciSeed, PropertyFailure } from "./runner.js";

const slot = availableTiers().at(-1)!;

function withTier<T>(t: Tier, body: () => T): T {
  const prev = getTier(t.name);
  registerTier(t);
  try {
    return body();
  } finally {
    if (prev) registerTier(prev);
  }
}

function catchFailure(m: Mutation, arb: fc.Arbitrary<Case> = arbPlainCase): PropertyFailure {
  let failure: unknown;
  withTier(mutantTier(slot, m), () => {
    try {
      assertProperty("tiers agree", arb, (c) => checkAgreement(c), { numRuns: 3000, seed: ciSeed() }, minimizeCase);
    } catch (e) {
      failure = e;
    }
  });
  expect(failure).toBeInstanceOf(PropertyFailure);
  return failure as PropertyFailure;
}

describe("a broken tier is caught and shrunk", () => {
  for (const m of [EXP_ONE_ULP, MAX_SIGNED_ZERO]) {
    it(`${m.doc}`, { timeout: 300_000 }, () => {
      const f = catchFailure(m);
      const c = f.counterexample as Case;
      // Shrunk to (nearly) the single broken op: at most one unrelated step, tiny inputs.
      // The op may sit inside a composed step (logsumexp calls exp), so the IR says where it is.
      expect(c.recipe.steps.length).toBeLessThanOrEqual(2);
      expect(c.inputs.every((s) => s.shape.every((d) => d <= 2))).toBe(true);
      expect(f.report).toContain(`configuration "${slot}`);
      expect(f.report).toContain("IR as traced (no passes):");
      expect(f.report).toMatch(new RegExp(`= ${m.op} `));
      expect(f.report).toContain("results:\n  eager:");
      expect(f.message).toContain(`SEED=${f.seed} PROPERTIES_PATH="${f.path}"`);
      // The printed seed and path replay exactly the shrunk case.
      withTier(mutantTier(slot, m), () => {
        expect(() => assertProperty("replay", arbPlainCase, (x) => checkAgreement(x), { numRuns: 1, seed: f.seed, path: f.path })).toThrow(PropertyFailure);
      });
    });
  }

  it(`${LOOP_ONE_SHORT.doc} (programs with control flow)`, { timeout: 300_000 }, () => {
    const f = catchFailure(LOOP_ONE_SHORT, arbCase);
    const c = f.counterexample as Case;
    // Shrunk to a single loop step: a loop that runs (and so can stop early) and nothing else.
    expect(c.recipe.steps.length).toBe(1);
    expect(["forLoop", "forVars", "scan", "scanLength"]).toContain(c.recipe.steps[0]!.def.kind);
    expect(f.report).toMatch(/np\.(forLoop|scan)\(/);
    expect(f.report).toMatch(/= loop\[lo=/);
  });

  it("an allow-list entry is enforced by its bound", { timeout: 300_000 }, () => {
    withTier(mutantTier(slot, EXP_ONE_ULP), () => {
      const oneUlp: Allowance = { op: "exp", ulps: 1, reason: "test: the mutant is exactly one ulp off" };
      expect(assertProperty("allowed programs", arbPlainCase, (c) => checkAgreement(c, [oneUlp]), { numRuns: 300, seed: ciSeed() }).numRuns).toBe(300);
      expect(assertProperty("allowance holds", arbOperands, (o) => checkAllowance(oneUlp, o), { numRuns: 300, seed: ciSeed() }).numRuns).toBe(300);
      const tooTight: Allowance = { ...oneUlp, ulps: 0.5, reason: "test: tighter than the mutant" };
      expect(() => assertProperty("too tight", arbOperands, (o) => checkAllowance(tooTight, o), { numRuns: 3000, seed: ciSeed() })).toThrow(new RegExp(`exp in ${slot} is 1 ulp from eager`));
    });
  });
});
