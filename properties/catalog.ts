// The catalog of program steps, derived from the op table (ir/ops.ts): every
// elementwise op by its arity (binary ops also once with a JS-number operand, which
// exercises weak-type promotion), every reduction, plus the user-level ops that the
// table does not list one by one (mean, dot/matmul, movement, astype), constants,
// Variable assignment and random draws; CONTROL lists the control-flow steps. Adding
// an op to the table adds it here with no edit; the op must also exist in `np` under
// its table name (the catalog test checks that).

import { ARG_REDUCE, ELEMENTWISE, REDUCE, SCAN, SORT } from "../ir/ops.js";
import { np } from "../vm/np.js";
import { INDEX_STEPS, type IndexKind } from "./indexsteps.js";
import { ASSEMBLY_OPS } from "./assembly.js";

export type StepKind =
  | "unary" | "binary" | "scalar" | "ternary" | "reduce" | "argReduce" | "cumulative" | "sort"
  | "matmul" | "reshape" | "transpose" | "flip" | "broadcastTo" | "expandDims" | "squeeze" | "astype" | "assembly"
  | "const" | "assign" | "random" | "nn" | "outer"
  | "forLoop" | "forVars" | "scan" | "scanLength" | "whileLoop" | "cond"
  | IndexKind;

export interface StepDef {
  readonly kind: StepKind;
  /** The `np` function name the step calls (or the step's own name for const/assign). */
  readonly op: string;
}

function fromTable(): StepDef[] {
  const out: StepDef[] = [];
  for (const [op, def] of Object.entries(ELEMENTWISE)) {
    if (def.arity === 1) out.push({ kind: "unary", op });
    else if (def.arity === 2) out.push({ kind: "binary", op }, { kind: "scalar", op });
    else out.push({ kind: "ternary", op });
  }
  for (const op of Object.keys(REDUCE)) out.push({ kind: "reduce", op });
  for (const op of Object.keys(ARG_REDUCE)) out.push({ kind: "argReduce", op });
  for (const op of Object.keys(SCAN)) out.push({ kind: "cumulative", op });
  for (const op of Object.keys(SORT)) out.push({ kind: "sort", op });
  return out;
}

/** Every step a generated program can take; simple ones first so shrinking lands on them. */
export const CATALOG: readonly StepDef[] = [
  ...fromTable(),
  { kind: "reduce", op: "mean" },
  { kind: "matmul", op: "matmul" },
  { kind: "matmul", op: "dot" },
  { kind: "reshape", op: "reshape" },
  { kind: "transpose", op: "transpose" },
  { kind: "flip", op: "flip" },
  { kind: "broadcastTo", op: "broadcastTo" },
  { kind: "expandDims", op: "expandDims" },
  { kind: "squeeze", op: "squeeze" },
  { kind: "astype", op: "astype" },
  ...ASSEMBLY_OPS.map((op) => ({ kind: "assembly", op }) as const),
  { kind: "const", op: "const" },
  { kind: "assign", op: "assign" },
  { kind: "random", op: "random" },
  // Indexing (properties/indexing.ts): slices, gathers, scatters in every mode, dynamic windows.
  ...INDEX_STEPS,
  // Compositions (vm/statistics.ts), called as sum is: through them the suite checks the composition in every tier.
  { kind: "reduce", op: "var" },
  { kind: "reduce", op: "std" },
  { kind: "reduce", op: "logsumexp" },
  // The nn namespace (vm/nn.ts) and np.outer (vm/outer.ts), compositions as well.
  ...(["relu", "softplus", "silu", "gelu", "softmax", "logSoftmax"] as const).map((op) => ({ kind: "nn", op }) as const),
  { kind: "outer", op: "outer" },
];

/**
 * Control-flow steps (vm/control.ts), whose bodies are small random sub-programs:
 * forLoop with a tree carry, forLoop with no carry that updates Variables, scan over
 * xs, scan with a length only, whileLoop on a counter plus data carries, and cond.
 */
export const CONTROL: readonly StepDef[] = [
  { kind: "forLoop", op: "forLoop" },
  { kind: "forVars", op: "forLoop" },
  { kind: "scan", op: "scan" },
  { kind: "scanLength", op: "scan" },
  { kind: "whileLoop", op: "whileLoop" },
  { kind: "cond", op: "cond" },
];

/** The `np` function a step calls; throws if the op table has an op `np` lacks. */
export function npFunction(op: string): (...args: any[]) => any {
  const fn = (np as Record<string, unknown>)[op];
  if (typeof fn !== "function") {
    throw new Error(`properties: op "${op}" is in the op table but np.${op} does not exist; add it to vm/np.ts`);
  }
  return fn as (...args: any[]) => any;
}
