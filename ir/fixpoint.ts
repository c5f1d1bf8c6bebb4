// The fixpoint of a loop body's carry flags, shared by the transforms that mark values
// (autodiff's activity, vmap's batchedness): a flag that a body's output gains in some
// iteration holds for that carry in every iteration.

import type { Program } from "./program.js";

/**
 * Raises `carry` (in place) until `outFlags(body, [...before, ...carry, ...after])` adds
 * no carry flag, and returns the body's output flags at the fixpoint. Flags only rise,
 * so it ends after at most `carry.length` rounds.
 */
export function carryFixpoint(
  outFlags: (body: Program, inputs: readonly boolean[]) => boolean[],
  body: Program,
  carry: boolean[],
  before: readonly boolean[],
  after: readonly boolean[],
): boolean[] {
  for (;;) {
    const outs = outFlags(body, [...before, ...carry, ...after]);
    let changed = false;
    carry.forEach((c, j) => {
      if (!c && outs[j]) (carry[j] = true), (changed = true);
    });
    if (!changed) return outs;
  }
}
