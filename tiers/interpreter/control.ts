// Tier-0 glue for structured control flow: gives a control slot's fresh result
// registers their buffers, then runs the instruction with the shared driver
// (tiers/control.ts) over the sub-programs this tier compiled.

import { allocate, type TypedArray } from "../../ir/dtype.js";
import type { Program } from "../../ir/program.js";
import { sizeOf } from "../../ir/shape.js";
import { runControl as drive, type OsrState } from "../control.js";
import type { Executable } from "../tier.js";
import type { ControlSlot } from "./bytecode.js";

export interface ControlContext {
  readonly program: Program;
  /** Compiled sub-programs of each control slot. */
  readonly subs: readonly (readonly Executable[])[];
  /** On-stack replacement state of each slot (undefined: no OSR, e.g. a cond). */
  readonly osr: readonly (OsrState | undefined)[];
}

export function runControl(ctx: ControlContext, slotIndex: number, slot: ControlSlot, regs: (TypedArray | undefined)[]): void {
  const ins = slot.ins;
  const outs = ins.outs;
  slot.outRegs.forEach((r, k) => {
    if (slot.fresh[k]) {
      const v = ctx.program.values[outs[k]!]!;
      regs[r] = allocate(v.dtype, sizeOf(v.shape));
    }
  });
  drive(ins, ctx.subs[slotIndex]!, slot.argRegs.map((r) => regs[r]!), slot.outRegs.map((r) => regs[r]!), ctx.osr[slotIndex]);
}
