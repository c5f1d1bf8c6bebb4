// The ways the suite runs a single user function for the per-op properties
// (accuracy, reductions): eagerly on the reference kernels (the definition), eagerly
// on tier-1 kernels (vm/eager.ts), and under jit pinned to each registered tier.

import { withEager } from "../vm/eager.js";
import { jit } from "../vm/jit.js";
import { availableTiers } from "../vm/tiers.js";

export interface Evaluator {
  readonly name: string;
  /** `staticArgnums`: arguments that are compile-time constants under jit (an axis). */
  wrap<F extends (...args: any[]) => any>(fn: F, staticArgnums?: readonly number[]): F;
}

export function evaluators(): Evaluator[] {
  return [
    { name: "eager", wrap: <F extends (...args: any[]) => any>(fn: F) => ((...a: unknown[]) => withEager({ kernels: "reference" }, () => fn(...a))) as unknown as F },
    { name: "eager compiled", wrap: <F extends (...args: any[]) => any>(fn: F) => ((...a: unknown[]) => withEager({ kernels: "compiled", wasm: "never", compileAt: 0 }, () => fn(...a))) as unknown as F },
    ...availableTiers().map((tier) => ({ name: tier, wrap: <F extends (...args: any[]) => any>(fn: F, staticArgnums?: readonly number[]) => jit(fn, { tier, ...(staticArgnums ? { staticArgnums } : {}) }) as unknown as F })),
  ];
}
