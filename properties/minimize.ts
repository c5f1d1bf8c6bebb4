// A second shrinking stage for failing programs. fast-check shrinks a recipe field by
// field, but removing a step shifts the pool index of every later value, so a step in
// the middle of a chain can only go if later operand indices change with it, and a
// greedy shrinker cannot make both moves at once. This pass removes one step at a time
// and renumbers the later operands to keep pointing at the same values, keeping the
// removal whenever the case still fails. The result is what the report prints; the
// seed and path still replay fast-check's own (equivalent, possibly longer) case.

import { valuesAdded, type Case, type Recipe, type Step } from "./recipe.js";

/** Pool size before each step, and how many values each step adds (recipe.ts `valuesAdded`). */
function poolSizes(r: Recipe, nInputs: number): { before: number[]; adds: number[] } {
  let n = nInputs + r.vars.filter((v) => v.read).length;
  const before: number[] = [];
  const adds: number[] = [];
  for (const s of r.steps) {
    before.push(n);
    const add = valuesAdded(s, r.vars.length);
    adds.push(add);
    n += add;
  }
  before.push(n);
  return { before, adds };
}

/** The recipe without step j, later operands renumbered; null if a later step reads a value of step j. */
function withoutStep(r: Recipe, nInputs: number, j: number): Recipe | null {
  const { before, adds } = poolSizes(r, nInputs);
  const removed = before[j]!; // pool index of step j's first value
  const count = adds[j]!;
  const remap = (x: number, len: number): number | null => {
    const i = x % len;
    if (i < removed) return i;
    return i < removed + count ? null : i - count;
  };
  const steps: Step[] = [];
  for (let k = 0; k < r.steps.length; k++) {
    const s = r.steps[k]!;
    if (k < j) steps.push(s);
    if (k <= j) continue;
    const len = before[k]!;
    const a = remap(s.a, len);
    // An assign's b picks a Variable, not a pool value.
    const b = s.def.kind === "assign" ? s.b : remap(s.b, len);
    const c = remap(s.c, len);
    if (a === null || b === null || c === null) return null;
    steps.push({ ...s, a, b, c });
  }
  const end = before[r.steps.length]!;
  // The last value is always returned; if it is step j's, the new last value takes its place.
  const outs = r.outs.map((o) => remap(o, end)).filter((o): o is number => o !== null);
  return { ...r, steps, outs };
}

/** Removes steps (and extra outputs) while `fails` still holds; returns the smallest case found. */
export function minimizeCase(c: Case, fails: (c: Case) => boolean): Case {
  let cur = c;
  for (let changed = true; changed; ) {
    changed = false;
    for (let j = cur.recipe.steps.length - 1; j >= 0; j--) {
      const r = withoutStep(cur.recipe, cur.inputs.length, j);
      if (r && r.steps.length > 0 && fails({ ...cur, recipe: r })) {
        cur = { ...cur, recipe: r };
        changed = true;
      }
    }
    if (cur.recipe.outs.length > 0 && fails({ ...cur, recipe: { ...cur.recipe, outs: [] } })) {
      cur = { ...cur, recipe: { ...cur.recipe, outs: [] } };
      changed = true;
    }
  }
  return cur;
}
