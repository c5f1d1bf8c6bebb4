// Dead-code elimination: keeps only the instructions and constants the outputs need.

import { resultsOf, type Instr, type Program } from "../program.js";

export function dce(p: Program): Program {
  const live = new Set<number>(p.outputs);
  const body: Instr[] = [];
  for (let i = p.body.length - 1; i >= 0; i--) {
    const ins = p.body[i]!;
    if (!resultsOf(ins).some((r) => live.has(r))) continue;
    body.push(ins);
    for (const a of ins.args) live.add(a);
  }
  body.reverse();
  const consts = new Map([...p.consts].filter(([id]) => live.has(id)));
  return { ...p, body, consts };
}
