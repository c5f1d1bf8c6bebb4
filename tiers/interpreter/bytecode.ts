// Tier-0 bytecode: the program compiled to a flat Int32Array over array registers.
//
// Each instruction is WIDTH words:  [opcode, instr, out, a, b, c]
//   OP     r_out <- kernel of program.body[instr] applied to r_a, r_b, r_c
//   ALIAS  r_out = r_a                 (reshape: same buffer, new shape)
//   COPY   r_out <- copy of r_a        (an output that would alias an input/const)
//   CTRL   control[a] of program.body[instr]: a loop/while/cond over the registers in
//          the control slot (args, results); its sub-programs are compiled separately
// The FRESH bit on an opcode allocates a new buffer for r_out before the instruction
// runs: results handed to the caller are never reused. Every other register is a
// scratch buffer allocated once per signature and reused as soon as its value is
// dead (linear-scan over the straight-line program, keyed by dtype and length).

import { allocate, type DType, type TypedArray } from "../../ir/dtype.js";
import { instrSteps, planBuffers, readsOnlyAligned } from "../../ir/buffers.js";
import { isControlInstr, type ControlInstr, type Program } from "../../ir/program.js";
import { sizeOf } from "../../ir/shape.js";

export const WIDTH = 6;
export const enum Opcode {
  OP = 0,
  ALIAS = 1,
  COPY = 2,
  CTRL = 3,
}

/** Registers of one control-flow instruction (too many to fit an instruction word). */
export interface ControlSlot {
  readonly instr: number;
  /** The instruction at `instr`. */
  readonly ins: ControlInstr;
  readonly argRegs: readonly number[];
  readonly outRegs: readonly number[];
  /** Result registers that get a fresh buffer per call (returned to the caller). */
  readonly fresh: readonly boolean[];
}
export const FRESH = 0x100;

export interface RegisterInfo {
  readonly dtype: DType;
  readonly length: number;
}

export interface Bytecode {
  readonly code: Int32Array;
  readonly registers: RegisterInfo[];
  /** Register of each program input, in input order. */
  readonly inputRegs: Int32Array;
  /** Register holding each output when the program ends. */
  readonly outputRegs: Int32Array;
  /** Preallocated buffers (scratch) and constants; FRESH/input registers are filled per call. */
  readonly initial: (TypedArray | undefined)[];
  readonly controls: readonly ControlSlot[];
}

export function compileBytecode(p: Program): Bytecode {
  const registers: RegisterInfo[] = [];
  const initial: (TypedArray | undefined)[] = [];
  const regOf = new Int32Array(p.values.length).fill(-1);
  const newReg = (id: number, buf?: TypedArray): number => {
    const v = p.values[id]!;
    registers.push({ dtype: v.dtype, length: sizeOf(v.shape) });
    initial.push(buf);
    return registers.length - 1;
  };
  const pinned = new Set<number>(); // registers never returned to the free pool
  for (const id of p.inputs) pinned.add((regOf[id] = newReg(id)));
  for (const [id, data] of p.consts) pinned.add((regOf[id] = newReg(id, data)));

  // Aliases and last uses: ir/buffers.ts over one step per instruction; fresh results own their buffers.
  const nResults = p.outputs.length - p.stateOutputs;
  const freshOut = new Set(p.outputs.slice(0, nResults));
  const plan = planBuffers(p, instrSteps(p), (v) => freshOut.has(v));

  const free = new Map<string, number[]>();
  const keyOf = (r: number) => `${registers[r]!.dtype}:${registers[r]!.length}`;
  const release = (r: number) => {
    if (pinned.has(r)) return;
    const k = keyOf(r);
    (free.get(k) ?? free.set(k, []).get(k)!).push(r);
  };
  const acquire = (id: number): number => {
    const v = p.values[id]!;
    const reg = free.get(`${v.dtype}:${sizeOf(v.shape)}`)?.pop();
    return reg ?? newReg(id, allocate(v.dtype, sizeOf(v.shape)));
  };

  const code: number[] = [];
  const controls: ControlSlot[] = [];
  const emitted = new Set<number>(); // values some instruction wrote into their register
  p.body.forEach((ins, i) => {
    const a = ins.args.map((x) => regOf[x]!);
    if (isControlInstr(ins)) {
      // Args stay live for the whole loop, so results never take a dying arg's buffer.
      const outs = ins.outs;
      const fresh = outs.map((o) => freshOut.has(o));
      const outRegs = outs.map((o, k) => {
        if (!fresh[k]) return acquire(o);
        const r = newReg(o);
        pinned.add(r);
        return r;
      });
      outs.forEach((o, k) => {
        regOf[o] = outRegs[k]!;
        emitted.add(o);
      });
      controls.push({ instr: i, ins, argRegs: a, outRegs, fresh });
      code.push(Opcode.CTRL, i, outRegs[0]!, controls.length - 1, -1, -1);
      plan.dying[i]!.forEach((r) => release(regOf[r]!));
      return;
    }
    if (plan.alias[i]) {
      regOf[ins.out] = a[0]!;
      code.push(Opcode.ALIAS, i, a[0]!, a[0]!, -1, -1);
      return;
    }
    // A dying operand read only at the element being written (elementwise) can hold the result.
    const early = plan.dying[i]!.filter((r) => readsOnlyAligned(plan, i, r));
    const late = plan.dying[i]!.filter((r) => !early.includes(r));
    early.forEach((r) => release(regOf[r]!));
    let opcode: number = Opcode.OP;
    if (freshOut.has(ins.out)) {
      regOf[ins.out] = newReg(ins.out);
      pinned.add(regOf[ins.out]!);
      opcode = (ins.op === "reshape" ? Opcode.COPY : Opcode.OP) | FRESH;
    } else regOf[ins.out] = acquire(ins.out);
    code.push(opcode, i, regOf[ins.out]!, a[0] ?? -1, a[1] ?? -1, a[2] ?? -1);
    late.forEach((r) => release(regOf[r]!));
    emitted.add(ins.out);
  });
  // Results that are inputs, constants or repeated get a fresh copy; new Variable states
  // that are some input's buffer are staged in scratch, so that writing one Variable
  // never clobbers another's old value before it is read (v, w = w, v).
  const outputRegs = new Int32Array(p.outputs.length);
  const claimed = new Set<number>();
  p.outputs.forEach((id, k) => {
    const r = regOf[id]!;
    if (k < nResults ? !emitted.has(id) || claimed.has(r) : plan.inputAt[id]! >= 0) {
      const copy = k < nResults ? newReg(id) : newReg(id, allocate(p.values[id]!.dtype, sizeOf(p.values[id]!.shape)));
      pinned.add(copy);
      code.push(Opcode.COPY | (k < nResults ? FRESH : 0), -1, copy, r, -1, -1);
      outputRegs[k] = copy;
    } else outputRegs[k] = r;
    claimed.add(outputRegs[k]!);
  });
  return {
    code: Int32Array.from(code),
    registers,
    inputRegs: Int32Array.from(p.inputs.map((id) => regOf[id]!)),
    outputRegs,
    initial,
    controls,
  };
}
