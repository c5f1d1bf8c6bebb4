// The ways the suite runs a single user function for the per-op properties
// (accuracy, reductions): eagerly, and under jit pinned to each registered tier.

import { jit } from "../vm/jit.js";
import { availableTiers } from "../vm/tiers.js";

export interface Evaluator {
  readonly name: string;
  /** `staticArgnums`: arguments that are compile-time constants under jit (an axis). */
  wrap<F extends (...args: any[]) => any>(fn: F, staticArgnums?: readonly number[]): F;
}

export function evaluators(): Evaluator[] {
  return [
    { name: "eager", wrap: (fn) => fn },
    ...availableTiers().map((tier) => ({ name: tier, wrap: <F extends (...args: any[]) => any>(fn: F, staticArgnums?: readonly number[]) => jit(fn, { tier, ...(staticArgnums ? { staticArgnums } : {}) }) as unknown as F })),
  ];
}
