// The pass pipeline: one readable list of named program-to-program passes. Every
// pass preserves meaning exactly (the property suite runs programs with passes on
// and off and requires identical bits).

import type { Program } from "../program.js";
import { cse } from "./cse.js";
import { dce } from "./dce.js";
import { fold } from "./fold.js";

export type PassName = "fold" | "cse" | "dce";
export const PASSES: readonly { name: PassName; run: (p: Program) => Program }[] = [
  { name: "fold", run: fold },
  { name: "cse", run: cse },
  { name: "dce", run: dce },
];

export function optimize(p: Program, skip: readonly PassName[] = []): Program {
  return PASSES.reduce((q, pass) => (skip.includes(pass.name) ? q : pass.run(q)), p);
}

export { cse, dce, fold };
