// Common-subexpression elimination: two instructions with the same op, operands,
// attributes and result type compute the same value; later uses read the first.
// Equal small constants are merged the same way.

import { isControlInstr, type Instr, type Program } from "../program.js";

export function cse(p: Program): Program {
  const rename = new Map<number, number>();
  const r = (id: number) => rename.get(id) ?? id;
  const seenConst = new Map<string, number>();
  for (const [id, data] of p.consts) {
    if (data.length !== 1) continue;
    const v = p.values[id]!;
    const x = data[0]!;
    const key = `${v.dtype}|${v.shape.join(",")}|${Object.is(x, -0) ? "-0" : String(x)}`;
    const first = seenConst.get(key);
    if (first === undefined) seenConst.set(key, id);
    else rename.set(id, first);
  }
  const seen = new Map<string, number>();
  const body: Instr[] = [];
  for (const ins of p.body) {
    const args = ins.args.map(r);
    if (isControlInstr(ins)) {
      body.push({ ...ins, args }); // control flow is never merged: its identity is its sub-programs
      continue;
    }
    const v = p.values[ins.out]!;
    // Every parameter of the op is part of its identity: the key takes them all from the instruction.
    const { op, args: _args, out: _out, ...params } = ins;
    const key = JSON.stringify([op, args, params, v.dtype, v.shape]);
    const first = seen.get(key);
    if (first !== undefined) {
      rename.set(ins.out, first);
      continue;
    }
    seen.set(key, ins.out);
    body.push({ ...ins, args });
  }
  return { ...p, body, outputs: p.outputs.map(r) };
}
