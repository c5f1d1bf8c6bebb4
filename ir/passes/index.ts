// The pass pipeline: one readable list of named program-to-program passes. Every
// pass preserves meaning exactly (the property suite runs programs with passes on
// and off and requires identical bits).

import { isControlInstr, withSubs, type Instr, type Program } from "../program.js";
import { cse } from "./cse.js";
import { dce } from "./dce.js";
import { fold } from "./fold.js";
import { views } from "./views.js";

export type PassName = "fold" | "views" | "cse" | "dce";
export const PASSES: readonly { name: PassName; run: (p: Program) => Program }[] = [
  { name: "fold", run: fold },
  { name: "views", run: views },
  { name: "cse", run: cse },
  { name: "dce", run: dce },
];

/** Runs the pipeline on `p` and, first, on every sub-program of its control flow. */
export function optimize(p: Program, skip: readonly PassName[] = []): Program {
  const inner = p.body.some(isControlInstr) ? { ...p, body: p.body.map((i): Instr => (isControlInstr(i) ? withSubs(i, (s) => optimize(s, skip)) : i)) } : p;
  return PASSES.reduce((q, pass) => (skip.includes(pass.name) ? q : pass.run(q)), inner);
}

export { cse, dce, fold, views };
