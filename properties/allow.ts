// The allow-list: ops whose results may differ between tiers, each with the bound the
// suite enforces and the reason exact agreement is impossible. It is EMPTY: every op is
// bit-exact in every registered tier, and the suite requires it.
//
// How an entry is enforced: the op alone, on random operands (the suite's special and
// ordinary values), must agree with eager within `ulps` in every tier (checkAllowance).
// Random programs that use the op are still run in every configuration and must agree
// on shapes, dtypes, errors and untouched inputs, but not on values: a difference of
// one ulp can flip any later comparison, floor or cast, so no bound on a whole
// program's outputs follows from a bound on one op.

import fc from "fast-check";
import { allocate } from "../ir/dtype.js";
import { ELEMENTWISE, type ElementwiseOp } from "../ir/ops.js";
import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";
import { npFunction } from "./catalog.js";
import { evaluators } from "./evaluators.js";
import { arbValue, showValue, ulpError } from "./values.js";

export interface Allowance {
  /** An elementwise op of the op table. */
  readonly op: Exclude<ElementwiseOp, "cast">;
  readonly ulps: number;
  readonly reason: string;
}

export const ALLOW: readonly Allowance[] = [];

/**
 * Whether a traced program (its IR listings, one per configuration) contains an
 * allow-listed op. Read from the IR, not from the recipe's step names: a composed step
 * (logsumexp, var, a loop body) contains ops its name does not say.
 */
export function usesAllowed(irs: readonly (string | undefined)[], allow: readonly Allowance[]): boolean {
  return allow.some((a) => {
    const instr = new RegExp(`= ${a.op}\\b`);
    return irs.some((ir) => ir !== undefined && instr.test(ir));
  });
}

export const arbOperands: fc.Arbitrary<[number, number][]> = fc.array(fc.tuple(arbValue, arbValue), { minLength: 1, maxLength: 48 });

/** Throws unless `a.op` alone agrees with eager within `a.ulps` in every tier, in float32 and float64. */
export function checkAllowance(a: Allowance, operands: readonly [number, number][]): void {
  const arity = ELEMENTWISE[a.op].arity;
  const fn = (x: NDArray, y: NDArray, z: NDArray) => npFunction(a.op)(...[x, y, z].slice(0, arity));
  const [eager, ...tiers] = evaluators();
  for (const dtype of ["float32", "float64"] as const) {
    const args = [0, 1, 0].map((k) => {
      const t = allocate(dtype, operands.length);
      t.set(operands.map((p) => p[k]!));
      return np.array(t);
    }) as [NDArray, NDArray, NDArray];
    const want = eager!.wrap(fn)(...args).toTypedArray();
    for (const e of tiers) {
      const got = e.wrap(fn)(...args).toTypedArray();
      for (let i = 0; i < want.length; i++) {
        const err = ulpError(got[i]!, want[i]!, dtype);
        if (err > a.ulps) {
          throw new Error(`allow-list: ${a.op} in ${e.name} is ${err} ulp from eager (allowed ${a.ulps}) at ${dtype} operands ${operands[i]}: eager ${showValue(want[i]!, dtype)}, got ${showValue(got[i]!, dtype)}`);
        }
      }
    }
  }
}
