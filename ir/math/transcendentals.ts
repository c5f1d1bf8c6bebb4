/**
 * Every transcendental written once over a Kit (kit.ts) for both precisions, with its
 * float64 reference (JS Math.*, used by the sampled tests) and its error bounds in ulps
 * (float32 ulps for float32, float64 ulps for float64), measured as CONTRIBUTING.md
 * "Transcendentals" records. The tests (transcendentals.test.ts, tiers/wasm/kit.test.ts)
 * and the exhaustive float32 scan (perf/exhaustive32.ts) iterate this list.
 */

import type { Op2 } from "./kit.js";
import { EXP2, EXPM1, LOG10, LOG1P, LOG2 } from "./logexp.js";

export interface Transcendental {
  readonly name: string;
  readonly op: Op2;
  readonly ref: (x: number, y: number) => number;
  /** The promised bounds (the tests enforce them on samples). */
  readonly ulps32: number;
  readonly ulps64: number;
}

export const TRANSCENDENTALS: readonly Transcendental[] = [
  { name: "log1p", op: LOG1P, ref: Math.log1p, ulps32: 1, ulps64: 1 },
  { name: "expm1", op: EXPM1, ref: Math.expm1, ulps32: 1, ulps64: 1 },
  { name: "log2", op: LOG2, ref: Math.log2, ulps32: 1, ulps64: 1 },
  { name: "log10", op: LOG10, ref: Math.log10, ulps32: 1, ulps64: 1 },
  { name: "exp2", op: EXP2, ref: (x) => 2 ** x, ulps32: 2, ulps64: 2 },
];
