// Bytecode listing, one instruction per line, clox-style:
//   0000  mul        r3 <- r0, r1            f32[100000]   ; %4
//   0001  reshape    r5 =  r3                f32[100,1000] ; %6 (alias)

import { shortName } from "../../ir/dtype.js";
import { fmtShape } from "../../ir/errors.js";
import { SUB_NAMES, type Program } from "../../ir/program.js";
import { FRESH, Opcode, WIDTH, type Bytecode } from "./bytecode.js";


/** `sub(slot, k)` lists sub-program k of control slot `slot` (compiled separately). */
export function disassemble(p: Program, bc: Bytecode, sub: (slot: number, k: number) => string = () => ""): string {
  const lines: string[] = [];
  const regName = (r: number) => `r${r}`;
  const ins = p.inputs.map((id, i) => `${regName(bc.inputRegs[i]!)}=%${id}`).join(" ");
  const consts = [...p.consts.keys()].length;
  lines.push(`; ${bc.code.length / WIDTH} instructions, ${bc.registers.length} registers (${consts} constants), inputs: ${ins || "none"}`);
  for (let pc = 0; pc < bc.code.length; pc += WIDTH) {
    const word = bc.code[pc]!;
    const k = bc.code[pc + 1]!;
    const out = bc.code[pc + 2]!;
    const args = [bc.code[pc + 3]!, bc.code[pc + 4]!, bc.code[pc + 5]!].filter((r) => r >= 0).map(regName);
    const reg = bc.registers[out]!;
    const instr = k >= 0 ? p.body[k] : undefined;
    const kind = (word & 0xff) as Opcode;
    if (kind === Opcode.CTRL) {
      const slot = bc.controls[bc.code[pc + 3]!]!;
      const ctl = slot.ins;
      const attrs = ctl.op === "loop" ? ` [${ctl.lo}, ${ctl.hi})` : "";
      lines.push(`${String(pc / WIDTH).padStart(4, "0")}  ${(ctl.op + attrs).padEnd(12)} ${slot.outRegs.map(regName).join(", ")} <- ${slot.argRegs.map(regName).join(", ")}`);
      ctl.subs.forEach((_, k) => lines.push(`      ${SUB_NAMES[ctl.op][k] ?? `sub${k}`}:`, ...sub(bc.code[pc + 3]!, k).split("\n").map((l) => `        ${l}`)));
      continue;
    }
    const name = kind === Opcode.OP && instr ? instr.op : kind === Opcode.ALIAS ? "alias" : "copy";
    const arrow = kind === Opcode.ALIAS ? "= " : "<-";
    const type = `${shortName(reg.dtype)}[${reg.length}]`;
    const note = [instr ? `%${instr.out}` : "", instr && "axes" in instr ? `axes=${fmtShape(instr.axes)}` : "", instr && "axis" in instr ? `axis=${instr.axis}` : "", instr?.op === "transpose" ? `perm=${fmtShape(instr.perm)}` : "", word & FRESH ? "fresh" : ""]
      .filter(Boolean)
      .join(" ");
    lines.push(`${String(pc / WIDTH).padStart(4, "0")}  ${name.padEnd(12)} ${regName(out)} ${arrow} ${args.join(", ").padEnd(16)} ${type.padEnd(14)} ; ${note}`);
  }
  const outs = [...bc.outputRegs].map((r, i) => `${regName(r)}${i >= p.outputs.length - p.stateOutputs ? " (state)" : ""}`);
  lines.push(`; outputs: ${outs.join(", ") || "none"}`);
  return lines.join("\n");
}
