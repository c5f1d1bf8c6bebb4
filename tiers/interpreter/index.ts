// Tier 0: the bytecode interpreter. It compiles the program to register bytecode
// (bytecode.ts) and runs the reference kernels (ir/kernels) per instruction, so it is
// the executable definition every faster tier must match bit for bit.

import type { TypedArray } from "../../ir/dtype.js";
import type { Program } from "../../ir/program.js";
import type { CompileHooks, Executable, ProfileView, Tier } from "../tier.js";
import { compileBytecode } from "./bytecode.js";
import type { ControlContext } from "./control.js";
import { disassemble } from "./disasm.js";
import { execute } from "./run.js";

export const interpreterTier: Tier = {
  name: "interpreter",
  compile(program: Program, profile: ProfileView, hooks: CompileHooks = {}): Executable {
    const bc = compileBytecode(program);
    const regs = [...bc.initial];
    const subs = bc.controls.map((c) => c.ins.subs.map((sub) => interpreterTier.compile(sub, profile, hooks)));
    const osr = bc.controls.map((c) => {
      const hook = hooks.osr;
      return hook && c.ins.op !== "cond" ? { hook, values: program.values, from: "interpreter" as const } : undefined;
    });
    const ctx: ControlContext = { program, subs, osr };
    return {
      tier: "interpreter",
      run: (inputs: readonly TypedArray[], dest?: readonly (TypedArray | undefined)[]) => execute(program, bc, regs, ctx, inputs, dest),
      describe: () => disassemble(program, bc, (slot, k) => subs[slot]![k]!.describe()),
    };
  },
};
