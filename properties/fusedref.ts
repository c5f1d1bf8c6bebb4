// Fusion checked on its own, apart from any code generator: a tier that runs the
// kernels of `fuse(program)` (ir/fusion.ts) in their listed order with the reference
// kernels, and enforces the fused-program contract of ir/kernel.ts while doing so:
// a kernel reads only values already in memory (inputs, constants, earlier kernels'
// writes) or defined earlier in its own body; a value it does not list in `writes`
// is a temporary that no later kernel may read; every instruction runs exactly once;
// every program output ends up in memory. Registered in place of a tier in a test,
// the agreement property then shows that fusion preserves meaning (results equal
// eager's) and that tiers 1 and 2 receive a well-formed contract. Control-flow
// instructions (one "single" kernel each) run their sub-programs the same way,
// recursively, so bodies are fused and checked too.

import { allocate, type TypedArray } from "../ir/dtype.js";
import { runInstr } from "../ir/kernels/index.js";
import { fuse } from "../ir/fusion.js";
import { isControlInstr, resultsOf, type Program } from "../ir/program.js";
import { sizeOf } from "../ir/shape.js";
import type { Executable, Tier, TierName } from "../tiers/tier.js";
import { runControlRef } from "./controlref.js";

function contractError(what: string): Error {
  return new Error(`fused-program contract violated: ${what}`);
}

function execute(program: Program, inputs: readonly TypedArray[], dest?: readonly (TypedArray | undefined)[]): TypedArray[] {
  const fp = fuse(program);
  const memory = new Map<number, TypedArray>();
  program.inputs.forEach((id, i) => memory.set(id, inputs[i]!));
  for (const [id, data] of program.consts) memory.set(id, data);
  const ran = new Set<number>();
  fp.kernels.forEach((k, n) => {
    for (const r of k.reads) if (!memory.has(r)) throw contractError(`kernel ${n} reads %${r}, which is not in memory yet`);
    const local = new Map<number, TypedArray>();
    const get = (id: number) => local.get(id) ?? (k.reads.includes(id) ? memory.get(id) : undefined);
    for (const ins of k.body) {
      const idx = program.body.indexOf(ins);
      if (idx < 0 || ran.has(idx)) throw contractError(`kernel ${n} runs an instruction ${idx < 0 ? "not in the program" : "twice"}`);
      ran.add(idx);
      const args = ins.args.map((a) => {
        const v = get(a);
        if (!v) throw contractError(`kernel ${n} uses %${a} without reading it or computing it first`);
        return v;
      });
      if (isControlInstr(ins)) {
        const outs = runControlRef(ins, args, (sub, ins2) => execute(sub, ins2));
        resultsOf(ins).forEach((r, k) => local.set(r, outs[k]!));
        continue;
      }
      const info = program.values[ins.out]!;
      const out = allocate(info.dtype, sizeOf(info.shape));
      runInstr(ins, program.values, args, out);
      for (const r of resultsOf(ins)) local.set(r, out);
    }
    for (const w of k.writes) {
      const v = local.get(w);
      if (!v) throw contractError(`kernel ${n} writes %${w}, which it does not compute`);
      memory.set(w, v);
    }
  });
  if (ran.size !== program.body.length) throw contractError(`${program.body.length - ran.size} instruction(s) belong to no kernel`);
  const nResults = program.outputs.length - program.stateOutputs;
  const outs = program.outputs.map((id) => {
    const v = memory.get(id);
    if (!v) throw contractError(`output %${id} is never written to memory`);
    return v.slice();
  });
  return outs.map((o, k) => {
    const d = k >= nResults ? dest?.[k] : undefined;
    if (!d) return o;
    d.set(o);
    return d;
  });
}

/** A tier answering to `name` that runs the fused form of each program with the reference kernels. */
export function fusedReferenceTier(name: TierName): Tier {
  return {
    name,
    compile: (program: Program): Executable => ({
      tier: name,
      run: (inputs, dest) => execute(program, inputs, dest),
      describe: () => "fused reference: fuse(program) run kernel by kernel with the reference kernels",
    }),
  };
}
