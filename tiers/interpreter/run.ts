// The tier-0 interpreter loop: walks the bytecode and runs each instruction's
// reference kernel on register buffers. Results are bit-for-bit the op definitions.

import { allocate, type TypedArray } from "../../ir/dtype.js";
import { runInstr } from "../../ir/kernels/index.js";
import type { Program } from "../../ir/program.js";
import { FRESH, Opcode, WIDTH, type Bytecode } from "./bytecode.js";
import { runControl, type ControlContext } from "./control.js";

export function execute(p: Program, bc: Bytecode, regs: (TypedArray | undefined)[], ctx: ControlContext, inputs: readonly TypedArray[], dest?: readonly (TypedArray | undefined)[]): TypedArray[] {
  const { code, registers } = bc;
  for (let i = 0; i < inputs.length; i++) regs[bc.inputRegs[i]!] = inputs[i];
  const args: TypedArray[] = [];
  for (let pc = 0; pc < code.length; pc += WIDTH) {
    const word = code[pc]!;
    const out = code[pc + 2]!;
    if (word & FRESH) regs[out] = allocate(registers[out]!.dtype, registers[out]!.length);
    switch ((word & 0xff) as Opcode) {
      case Opcode.OP: {
        const ins = p.body[code[pc + 1]!]!;
        args.length = ins.args.length;
        for (let k = 0; k < ins.args.length; k++) args[k] = regs[code[pc + 3 + k]!]!;
        runInstr(ins, p.values, args, regs[out]!);
        break;
      }
      case Opcode.ALIAS:
        break;
      case Opcode.COPY:
        regs[out]!.set(regs[code[pc + 3]!]!);
        break;
      case Opcode.CTRL:
        runControl(ctx, code[pc + 3]!, bc.controls[code[pc + 3]!]!, regs);
        break;
    }
  }
  const nResults = p.outputs.length - p.stateOutputs;
  const results: TypedArray[] = new Array(p.outputs.length);
  for (let k = 0; k < p.outputs.length; k++) {
    const buf = regs[bc.outputRegs[k]!]!;
    if (k < nResults) results[k] = buf;
    else {
      const d = dest?.[k];
      if (d) {
        d.set(buf);
        results[k] = d;
      } else results[k] = buf.slice();
    }
  }
  for (let i = 0; i < inputs.length; i++) regs[bc.inputRegs[i]!] = undefined; // do not keep callers' arrays alive
  return results;
}
