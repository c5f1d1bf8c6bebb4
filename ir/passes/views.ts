// View forwarding: a static slice or a reshape reads its operand's elements unchanged,
// so a chain of them can read the original array directly, and a concat whose slice
// lies inside one of its operands need not be built for it:
// - slice of a concat, within one operand along the concat axis -> slice of that operand;
// - slice of a slice -> one slice (starts s1 + s2 * t1, steps t1 * t2);
// - reshape of a reshape -> one reshape of the original;
// - a slice or reshape to its operand's own shape that reads every element in order
//   (an identity) -> later instructions read the operand.
// So `np.stack(windows)` read back row by row (`W.slice(k)`) reads each window where it
// lives, the stacked copy is dead (dce removes it), and the rows' loops fuse as
// slices do. Outputs are never renamed: an identity that is an output stays, so no
// output becomes an input. Same elements, same order: exact by construction.

import type { Instr, InstrOf, Program } from "../program.js";
import { shapesEqual } from "../shape.js";

export function views(p: Program): Program {
  const rename = new Map<number, number>();
  const r = (id: number) => rename.get(id) ?? id;
  const def = new Map<number, Instr>();
  const body: Instr[] = [];
  for (const ins0 of p.body) {
    const args = ins0.args.map(r);
    let ins = { ...ins0, args } as Instr;
    if (ins.op === "slice") {
      for (let prev: Instr | undefined; prev !== ins; ) {
        prev = ins;
        ins = forwardSlice(p, ins, def);
      }
    }
    else if (ins.op === "reshape") {
      const src = def.get(args[0]!);
      if (src?.op === "reshape") ins = { ...ins, args: [src.args[0]!] };
    }
    if ((ins.op === "slice" && isIdentitySlice(p, ins)) || (ins.op === "reshape" && shapesEqual(p.values[ins.args[0]!]!.shape, p.values[ins.out]!.shape))) {
      rename.set(ins.out, ins.args[0]!);
    }
    def.set(ins.out, ins);
    body.push(ins);
  }
  return { ...p, body };
}

function isIdentitySlice(p: Program, ins: InstrOf<"slice">): boolean {
  return shapesEqual(p.values[ins.args[0]!]!.shape, p.values[ins.out]!.shape) && ins.starts.every((s) => s === 0) && ins.steps.every((t) => t === 1);
}

/** The slice reading past a concat or an inner slice, where it can. */
function forwardSlice(p: Program, ins: InstrOf<"slice">, def: ReadonlyMap<number, Instr>): InstrOf<"slice"> {
  const src = def.get(ins.args[0]!);
  if (src?.op === "slice") {
    return { ...ins, args: [src.args[0]!], starts: src.starts.map((s1, d) => s1 + ins.starts[d]! * src.steps[d]!), steps: src.steps.map((t1, d) => t1 * ins.steps[d]!) };
  }
  if (src?.op !== "concat") return ins;
  const a = src.axis;
  const len = p.values[ins.out]!.shape[a]!;
  if (len === 0) return ins;
  const first = ins.starts[a]!;
  const last = first + (len - 1) * ins.steps[a]!;
  const lo = Math.min(first, last);
  const hi = Math.max(first, last);
  let off = 0;
  for (const part of src.args) {
    const n = p.values[part]!.shape[a]!;
    if (lo >= off && hi < off + n) return { ...ins, args: [part], starts: ins.starts.map((s, d) => (d === a ? s - off : s)) };
    off += n;
  }
  return ins;
}
