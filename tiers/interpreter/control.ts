// Tier-0 execution of structured control flow. A loop runs its body sub-program once
// per iteration with the carries living in the loop's own result registers: the body
// reads them as inputs and writes its new carries into them as destinations (the
// Executable contract lets a destination alias an input). A long loop offers its
// continuation to the OSR hook and, if a faster tier takes it, finishes there.

import { allocate, type TypedArray } from "../../ir/dtype.js";
import { continuation } from "../../ir/continuation.js";
import type { Instr, Program } from "../../ir/program.js";
import { sizeOf } from "../../ir/shape.js";
import type { Executable, OsrHook } from "../tier.js";
import type { ControlSlot } from "./bytecode.js";

export interface ControlContext {
  readonly program: Program;
  /** Compiled sub-programs of each control slot. */
  readonly subs: readonly (readonly Executable[])[];
  readonly osr: OsrHook | undefined;
  /** The continuation compiled for each slot (or undefined if the hook declined), with its start iteration. */
  readonly osrCache: Map<number, { from: number; exec: Executable | undefined }>;
}

export function runControl(ctx: ControlContext, slotIndex: number, slot: ControlSlot, regs: (TypedArray | undefined)[]): void {
  const ins = ctx.program.body[slot.instr]!;
  const outs = ins.outs ?? [ins.out];
  slot.outRegs.forEach((r, k) => {
    if (slot.fresh[k]) {
      const v = ctx.program.values[outs[k]!]!;
      regs[r] = allocate(v.dtype, sizeOf(v.shape));
    }
  });
  const args = slot.argRegs.map((r) => regs[r]!);
  const res = slot.outRegs.map((r) => regs[r]!);
  const subs = ctx.subs[slotIndex]!;
  if (ins.op === "cond") {
    const branch = args[0]![0] ? subs[0]! : subs[1]!;
    branch.run(args.slice(1), res);
  } else if (ins.op === "loop") {
    runLoop(ctx, slotIndex, ins, args, res, subs[0]!);
  } else {
    runWhile(ctx, slotIndex, ins, args, res, subs[0]!, subs[1]!);
  }
}

function runLoop(ctx: ControlContext, slotIndex: number, ins: Instr, args: TypedArray[], res: TypedArray[], body: Executable): void {
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
  const t0 = performance.now();
  for (let it = lo; it < hi; it++) {
    i[0] = it;
    const row = it - lo;
    for (let k = 0; k < nX; k++) inputs[1 + nC + k] = xs[k]!.subarray(row * xRow[k]!, (row + 1) * xRow[k]!);
    for (let k = 0; k < ys.length; k++) dest[nC + k] = ys[k]!.subarray(row * yRow[k]!, (row + 1) * yRow[k]!);
    body.run(inputs, dest);
    if (ctx.osr && it + 1 < hi && (row + 1 >= ctx.osr.iterations || performance.now() - t0 >= ctx.osr.ms)) {
      const done = it + 1 - lo;
      const exec = osrExecutable(ctx, slotIndex, ins, it + 1, done);
      if (exec) {
        const out = exec.run([...carries, ...xs.map((x, k) => x.subarray(done * xRow[k]!)), ...captured]);
        carries.forEach((c, k) => c.set(out[k]!));
        ys.forEach((y, k) => y.set(out[nC + k]!, done * yRow[k]!));
        return;
      }
    }
  }
}

function runWhile(ctx: ControlContext, slotIndex: number, ins: Instr, args: TypedArray[], res: TypedArray[], cond: Executable, body: Executable): void {
  const nC = ins.nCarry!;
  res.forEach((c, k) => c.set(args[k]!));
  const inputs = [...res, ...args.slice(nC)];
  const flag = [new Uint8Array(1)];
  const t0 = performance.now();
  for (let it = 0; ; it++) {
    cond.run(inputs, flag);
    if (!flag[0]![0]) return;
    body.run(inputs, res);
    if (ctx.osr && (it + 1 >= ctx.osr.iterations || performance.now() - t0 >= ctx.osr.ms)) {
      const exec = osrExecutable(ctx, slotIndex, ins, 0, it + 1);
      if (exec) {
        const out = exec.run(inputs);
        res.forEach((c, k) => c.set(out[k]!));
        return;
      }
    }
  }
}

/**
 * Asks the hook at most once per loop instruction: the continuation is compiled for
 * one start iteration and reused by later calls that reach OSR at the same point.
 */
function osrExecutable(ctx: ControlContext, slotIndex: number, ins: Instr, from: number, iteration: number): Executable | undefined {
  let entry = ctx.osrCache.get(slotIndex);
  if (entry === undefined) {
    entry = { from, exec: ctx.osr!.compile(continuation(ins, ctx.program.values, from), iteration, "interpreter") };
    ctx.osrCache.set(slotIndex, entry);
  }
  return entry.from === from ? entry.exec : undefined;
}
