/**
 * Every transcendental written once over a Kit (kit.ts) for both precisions, with its
 * float64 reference (JS Math.*, used by the sampled tests) and its error bounds in ulps
 * (float32 ulps for float32, float64 ulps for float64), measured as CONTRIBUTING.md
 * "Transcendentals" records. The tests (transcendentals.test.ts, tiers/wasm/kit.test.ts)
 * and the exhaustive float32 scan (perf/exhaustive32.ts) iterate this list.
 */

import type { Op2 } from "./kit.js";
import { EXP2, EXPM1, LOG10, LOG1P, LOG2 } from "./logexp.js";
import { ACOSH, ASINH, ATANH, COSH, SINH } from "./hyperbolic.js";
import { CBRT, HYPOT } from "./roots.js";
import { ACOS, ASIN, ATAN, ATAN2 } from "./inverse-trig.js";
import { ERF } from "./erf.js";
import { TAN64, tan64 } from "./tan.js";
import { TAN32, tan32 } from "./trig32.js";
import { erfRef } from "./ulps.js";

/** tan: float32 over arith.ts (trig32.ts, sin/cos's reduction), float64 over arith64.ts (tan.ts). */
const TAN: Op2 = { f32: TAN32, f64: TAN64, js32: tan32, js64: tan64 };

export interface Transcendental {
  readonly name: string;
  readonly op: Op2;
  readonly ref: (x: number, y: number) => number;
  /** The promised bounds (the tests enforce them on samples). */
  readonly ulps32: number;
  readonly ulps64: number;
  readonly arity?: 2;
  /** The float64 reference's own error where it exceeds Math's ~1 ulp (erf's series: ~8). */
  readonly refErr64?: number;
  /** Accurate only for |x| below these (float64 tan's reduction, as sin/cos). */
  readonly accurate?: { readonly f32: number; readonly f64: number };
}

export const TRANSCENDENTALS: readonly Transcendental[] = [
  { name: "log1p", op: LOG1P, ref: Math.log1p, ulps32: 1, ulps64: 1 },
  { name: "expm1", op: EXPM1, ref: Math.expm1, ulps32: 2, ulps64: 1 },
  { name: "log2", op: LOG2, ref: Math.log2, ulps32: 1, ulps64: 1 },
  { name: "log10", op: LOG10, ref: Math.log10, ulps32: 1, ulps64: 1 },
  { name: "exp2", op: EXP2, ref: (x) => 2 ** x, ulps32: 2, ulps64: 2 },
  { name: "sinh", op: SINH, ref: Math.sinh, ulps32: 2, ulps64: 2 },
  { name: "cosh", op: COSH, ref: Math.cosh, ulps32: 2, ulps64: 2 },
  { name: "asinh", op: ASINH, ref: Math.asinh, ulps32: 2, ulps64: 2 },
  { name: "acosh", op: ACOSH, ref: Math.acosh, ulps32: 2, ulps64: 2 },
  { name: "atanh", op: ATANH, ref: Math.atanh, ulps32: 2, ulps64: 2 },
  { name: "cbrt", op: CBRT, ref: Math.cbrt, ulps32: 2, ulps64: 2 },
  { name: "hypot", op: HYPOT, ref: Math.hypot, ulps32: 2, ulps64: 2, arity: 2 },
  { name: "atan", op: ATAN, ref: Math.atan, ulps32: 2, ulps64: 2 },
  { name: "atan2", op: ATAN2, ref: Math.atan2, ulps32: 2, ulps64: 2, arity: 2 },
  { name: "asin", op: ASIN, ref: Math.asin, ulps32: 2, ulps64: 2 },
  { name: "acos", op: ACOS, ref: Math.acos, ulps32: 2, ulps64: 2 },
  { name: "tan", op: TAN, ref: Math.tan, ulps32: 2, ulps64: 2, accurate: { f32: Infinity, f64: 2 ** 19 * (Math.PI / 2) } },
  { name: "erf", op: ERF, ref: erfRef, ulps32: 2, ulps64: 2, refErr64: 8 },
];

/** The ops by name (the op table and the tiers' tables read them from here). */
export const KIT = {
  sinh: SINH, cosh: COSH, asinh: ASINH, acosh: ACOSH, atanh: ATANH, cbrt: CBRT, hypot: HYPOT,
  atan: ATAN, atan2: ATAN2, asin: ASIN, acos: ACOS, tan: TAN, erf: ERF,
} as const;
