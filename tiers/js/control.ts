// Tier-1 structured control flow (loop, while, cond; semantics in ir/program.ts).
// Each sub-program is compiled by tier 1 itself, and the instruction runs as a plain
// JS loop calling those executables: carries live in the instruction's own result
// buffers, which the body reads as inputs and writes as destinations (the Executable
// contract's no-clobber rule makes that aliasing safe). Same semantics as tier 0's
// tiers/interpreter/control.ts; no on-stack replacement from here (a long loop that
// started in tier 1 finishes in tier 1).

import type { TypedArray } from "../../ir/dtype.js";
import { InternalError } from "../../ir/errors.js";
import type { Instr } from "../../ir/program.js";
import type { Executable } from "../tier.js";

/** Runs control instruction `ins` with its sub-programs compiled as `subs`. */
export function runControl(ins: Instr, subs: readonly Executable[], args: TypedArray[], res: TypedArray[]): void {
  if (ins.op === "cond") {
    const branch = args[0]![0] ? subs[0]! : subs[1]!;
    branch.run(args.slice(1), res);
  } else if (ins.op === "loop") runLoop(ins, args, res, subs[0]!);
  else if (ins.op === "while") runWhile(ins, args, res, subs[0]!, subs[1]!);
  else throw new InternalError(`tier js: ${ins.op} is not a control op`);
}

function runLoop(ins: Instr, args: TypedArray[], res: TypedArray[], body: Executable): void {
  const nC = ins.nCarry!;
  const nX = ins.nXs ?? 0;
  const lo = ins.lo!;
  const hi = ins.hi!;
  const carries = res.slice(0, nC);
  const ys = res.slice(nC);
  carries.forEach((c, k) => c.set(args[k]!));
  const xs = args.slice(nC, nC + nX);
  const captured = args.slice(nC + nX);
  const xRow = xs.map((x) => x.length / Math.max(1, hi - lo));
  const yRow = ys.map((y) => y.length / Math.max(1, hi - lo));
  const i = new Int32Array(1);
  const inputs: TypedArray[] = [i, ...carries, ...xs, ...captured];
  const dest: TypedArray[] = [...carries, ...ys];
  for (let it = lo; it < hi; it++) {
    i[0] = it;
    const row = it - lo;
    for (let k = 0; k < nX; k++) inputs[1 + nC + k] = xs[k]!.subarray(row * xRow[k]!, (row + 1) * xRow[k]!);
    for (let k = 0; k < ys.length; k++) dest[nC + k] = ys[k]!.subarray(row * yRow[k]!, (row + 1) * yRow[k]!);
    body.run(inputs, dest);
  }
}

function runWhile(ins: Instr, args: TypedArray[], res: TypedArray[], cond: Executable, body: Executable): void {
  const nC = ins.nCarry!;
  res.forEach((c, k) => c.set(args[k]!));
  const inputs = [...res, ...args.slice(nC)];
  const flag = [new Uint8Array(1)];
  for (;;) {
    cond.run(inputs, flag);
    if (!flag[0]![0]) return;
    body.run(inputs, res);
  }
}
