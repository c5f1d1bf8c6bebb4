// Random program descriptions ("recipes") and their fast-check arbitraries.
//
// A recipe is a list of raw choices, not a finished program: each step names a
// catalog entry and a few small integers that pick its operands (indices into the pool
// of values computed so far, taken modulo its length) and its parameters (axes, target
// shapes, dtypes, scalars). build.ts turns the choices into valid np calls, repairing
// shapes deterministically where needed. So every recipe fast-check produces or shrinks
// to is a valid program, and shrinking a recipe (fewer steps, smaller numbers, smaller
// shapes, fewer distinct values) shrinks the program.
//
// Shapes: an input's shape is derived from one base shape per case (a suffix of it,
// some axes set to 1), so inputs broadcast against each other in every way: equal
// shapes, scalar against array, size-1 axes, missing leading axes. Dims include 0, 1,
// odd lengths and lengths that are not multiples of 4 or 8; sizes stay small.
//
// Control flow: a control step (catalog CONTROL) carries one or two bodies, each a few
// steps of its own, run on the body's pool (control.ts says what it holds). Body steps
// may be control steps again whose bodies are plain: nesting goes one level deep.

import fc from "fast-check";
import type { DType } from "../ir/dtype.js";
import { sizeOf } from "../ir/shape.js";
import { CATALOG, CONTROL, type StepDef } from "./catalog.js";
import { arbValue } from "./values.js";

export interface ArraySpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Where in the case's value pool this array starts reading its elements. */
  readonly offset: number;
}

export interface VarSpec extends ArraySpec {
  /** Whether the program reads the Variable before (possibly) writing it. */
  readonly read: boolean;
}

export interface Step {
  readonly def: StepDef;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Parameter choice: axes, shape, dtype or scalar, decoded per step kind. */
  readonly p: number;
  /** Control steps: the body (cond: the then branch). */
  readonly body?: readonly Step[];
  /** cond: the else branch. */
  readonly alt?: readonly Step[];
}

/** Carry (or cond result) leaves of a control step: one or two. */
export const leavesOf = (s: Step): number => 1 + (s.p & 1);

/** How many values a step adds to its pool (decided by the recipe alone, so the minimizer can renumber). */
export function valuesAdded(s: Step, nVars: number): number {
  switch (s.def.kind) {
    case "assign": return nVars > 0 ? 1 : 0;
    case "forVars": return nVars > 0 ? 1 : 0;
    case "forLoop": case "cond": return leavesOf(s);
    case "scan": case "scanLength": case "whileLoop": return leavesOf(s) + 1;
    default: return 1;
  }
}

export const isControl = (s: Step): boolean => s.body !== undefined;

/** Whether a recipe contains a loop (forLoop, scan or whileLoop) at any depth. */
export function hasLoop(steps: readonly Step[]): boolean {
  return steps.some((s) => (isControl(s) && s.def.kind !== "cond") || hasLoop(s.body ?? []) || hasLoop(s.alt ?? []));
}

/** The op names of a recipe's steps at any depth (the `np` functions it calls). */
export function opsOf(steps: readonly Step[], into = new Set<string>()): Set<string> {
  for (const s of steps) {
    into.add(s.def.op);
    opsOf(s.body ?? [], into);
    opsOf(s.alt ?? [], into);
  }
  return into;
}

export interface Recipe {
  readonly vars: readonly VarSpec[];
  readonly steps: readonly Step[];
  /** Extra pool values to return besides the last one. */
  readonly outs: readonly number[];
  /** Bit i set: skip pass i of ir/passes PASSES in the "some passes" configuration; the higher bits pick its tier. */
  readonly skip: number;
}

export interface Case {
  readonly recipe: Recipe;
  readonly inputs: readonly ArraySpec[];
  /** The values every array of the case is filled from. */
  readonly pool: readonly number[];
}

/** Dims, simplest first (fast-check shrinks constantFrom toward the first). */
export const DIMS = [1, 2, 0, 3, 4, 5, 7, 8, 9, 13, 17, 33] as const;
/** Size 0 is rarer than the others: one in ~25 dims, so most programs compute something. */
const arbDim = fc.oneof({ weight: 24, arbitrary: fc.constantFrom(...DIMS.filter((d) => d !== 0)) }, { weight: 1, arbitrary: fc.constant(0) });
/** Largest array a generated shape may have, so a case runs in well under a millisecond per tier. */
export const MAX_SIZE = 256;

/** Shrinks the largest dims of `shape` until its size is at most MAX_SIZE. */
export function capShape(shape: readonly number[]): number[] {
  const out = [...shape];
  while (sizeOf(out) > MAX_SIZE) {
    const i = out.indexOf(Math.max(...out));
    out[i] = out[i]! > 8 ? 3 : 1;
  }
  return out;
}

export const arbDType: fc.Arbitrary<DType> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<DType>("float32") },
  { weight: 2, arbitrary: fc.constant<DType>("float64") },
  { weight: 2, arbitrary: fc.constant<DType>("int32") },
  { weight: 1, arbitrary: fc.constant<DType>("bool") },
);

export const arbShape: fc.Arbitrary<number[]> = fc.array(arbDim, { maxLength: 3 }).map(capShape);

const arbDerived = fc.record({
  drop: fc.nat(3),
  ones: fc.nat(7),
  own: fc.option(arbShape, { freq: 6 }),
  dtype: arbDType,
  offset: fc.nat(63),
});

/** minInputs..maxInputs input arrays whose shapes broadcast against each other (mostly). */
export function arbInputs(maxInputs = 3, minInputs = 1): fc.Arbitrary<ArraySpec[]> {
  return fc
    .record({ base: arbShape, ins: fc.array(arbDerived, { minLength: minInputs, maxLength: maxInputs }) })
    .map(({ base, ins }) =>
      ins.map(({ drop, ones, own, dtype, offset }) => {
        const shape = own ?? base.slice(Math.min(drop, base.length)).map((d, i) => ((ones >> i) & 1 ? 1 : d));
        return { shape, dtype, offset };
      }),
    );
}

const arbVar: fc.Arbitrary<VarSpec> = fc.record({ shape: arbShape, dtype: arbDType, offset: fc.nat(63), read: fc.boolean() });

// Variable assignment gets extra weight: in-place state updates are where tiers alias
// buffers, and with one catalog entry among dozens it would be rare.
const ASSIGN = CATALOG.find((s) => s.kind === "assign")!;

const operands = { a: fc.nat(15), b: fc.nat(15), c: fc.nat(15), p: fc.nat(1023) };

/** A step without control flow. */
export const arbStep: fc.Arbitrary<Step> = fc.record({
  def: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...CATALOG) }, { weight: 1, arbitrary: fc.constant(ASSIGN) }),
  ...operands,
});

/** A control step whose bodies are made of `inner` steps (a few: bodies run many times, and compile as sub-programs). */
function arbControl(inner: fc.Arbitrary<Step>): fc.Arbitrary<Step> {
  const body = fc.array(inner, { minLength: 1, maxLength: 3 });
  return fc
    .record({ def: fc.constantFrom(...CONTROL), ...operands, body, alt: body })
    .map(({ alt, ...s }) => (s.def.kind === "cond" ? { ...s, alt } : s));
}

const RANDOM = CATALOG.find((s) => s.kind === "random")!;

/** A step in a control step's body: control again, one level down, with plain bodies; random draws weighted up (a loop draws a fresh stream each iteration). */
const arbBodyStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: arbStep },
  { weight: 1, arbitrary: fc.record({ def: fc.constant(RANDOM), ...operands }) },
  { weight: 1, arbitrary: arbControl(arbStep) },
);

/** Top-level steps: about one in eight is control flow, so roughly half the programs contain some. */
export const arbTopStep: fc.Arbitrary<Step> = fc.oneof({ weight: 7, arbitrary: arbStep }, { weight: 1, arbitrary: arbControl(arbBodyStep) });

function recipeOf(step: fc.Arbitrary<Step>): fc.Arbitrary<Recipe> {
  return fc.record({
    vars: fc.array(arbVar, { maxLength: 3 }),
    steps: fc.array(step, { minLength: 1, maxLength: 10 }),
    outs: fc.array(fc.nat(15), { maxLength: 3 }),
    skip: fc.nat(4095),
  });
}

export const arbRecipe: fc.Arbitrary<Recipe> = recipeOf(arbTopStep);
/** Programs without control flow (the mutation tests, whose shrinking works on top-level steps). */
export const arbPlainRecipe: fc.Arbitrary<Recipe> = recipeOf(arbStep);

export const arbPool: fc.Arbitrary<number[]> = fc.array(arbValue, { minLength: 1, maxLength: 32 });

export const arbCase: fc.Arbitrary<Case> = fc.record({ recipe: arbRecipe, inputs: arbInputs(), pool: arbPool });
export const arbPlainCase: fc.Arbitrary<Case> = fc.record({ recipe: arbPlainRecipe, inputs: arbInputs(), pool: arbPool });
