// Buffer and state-write planning, decided once for every tier: which values share
// storage (alias roots), when each value's storage is last read (so it may hold a
// later value), and whether a new value may be written over an input's storage (a
// Variable's new state over its old one, a loop carry over the old carry). Each tier
// maps the plan to its own storage: tier 0 to registers (one step per instruction),
// tier 1 to JS slots (one step per fused kernel), tier 2 to memory regions (one step
// per fused kernel or one-pass pair).
//
// A step reads values from storage and writes values into it; a reshape step writes
// nothing and shares its operand's storage (an alias), unless the tier says its value
// must own storage (`own`: tier 0's fresh results, tier 1's outputs). Outputs are read
// at END (after the last step): what the caller receives must survive every step.
//
// Writing over: steps [from, to] may write a new value into storage holding `v` when
// no later step and no output needs v (or an alias of v) any more and every read of it
// inside those steps is aligned: it reads element i before anything is written at i.
// Which reads are aligned depends on how the tier's code runs a kernel, one fact per
// kind stated here (kernelStep):
// - an elementwise loop loads every operand at index i before it stores at i;
// - a contraction's main instruction reads whole operands while writing: never;
// - its epilogue runs at the result's index: aligned;
// - its prologue is aligned only if the tier runs it as a loop of its own before the
//   main loop (`prologue: "first"`, tier 2). Tier 1 evaluates the prologue per term
//   inside the main loop (`"fused"`), interleaved with the result's stores, so there
//   a prologue read of the old value is a hazard (the recurrent `v = W · tanh(v)`
//   writes v[0] before tanh(v[1]) is read).

import type { Kernel } from "./kernel.js";
import { isElementwise } from "./ops.js";
import { isControlInstr, resultsOf, type Program } from "./program.js";
import { sizeOf } from "./shape.js";

/** One step of a tier's schedule: an instruction, a fused kernel or a group of kernels. */
export interface Step {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  /** Values this step reads only at the linear index it writes, each element before it is written. */
  readonly aligned: ReadonlySet<number>;
  /** A reshape: its one write may share its one read's storage. */
  readonly reshape: boolean;
}

/** Tier 0's schedule: one step per instruction. */
export function instrSteps(p: Program): Step[] {
  return p.body.map((ins) => {
    const n = isControlInstr(ins) ? -1 : sizeOf(p.values[ins.out]!.shape);
    const aligned = isElementwise(ins.op) ? ins.args.filter((a) => sizeOf(p.values[a]!.shape) === n) : [];
    return { reads: ins.args, writes: resultsOf(ins), aligned: new Set(aligned), reshape: ins.op === "reshape" };
  });
}

/** How a tier runs a contraction's prologue: before the main loop ("first") or per term inside it ("fused"). */
export type PrologueReads = "first" | "fused";

/** A fused kernel as a step (which of its reads are aligned: see the file comment). */
export function kernelStep(p: Program, k: Kernel, prologue: PrologueReads): Step {
  const size = (id: number) => sizeOf(p.values[id]!.shape);
  const aligned = new Set<number>();
  const unaligned = new Set<number>();
  const reads = new Set(k.reads);
  const consider = (instrs: readonly { readonly args: readonly number[] }[], n: number | "any" | "never") => {
    for (const ins of instrs) for (const a of ins.args) if (reads.has(a)) (n === "any" || (n !== "never" && size(a) === n) ? aligned : unaligned).add(a);
  };
  if (k.kind === "elementwise") {
    // A static slice reads its operand at strided offsets, never at the index the loop writes.
    consider(k.body.filter((ins) => ins.op !== "slice"), sizeOf(k.shape));
    consider(k.body.filter((ins) => ins.op === "slice"), "never");
  }
  else if (k.kind !== "single") {
    consider(k.prologue, prologue === "first" ? "any" : "never");
    consider([k.main], "never");
    consider(k.epilogue, size(k.main.out));
  }
  for (const u of unaligned) aligned.delete(u);
  return { reads: k.reads, writes: k.writes, aligned, reshape: k.kind === "single" && k.main.op === "reshape" };
}

export function kernelSteps(p: Program, kernels: readonly Kernel[], prologue: PrologueReads): Step[] {
  return kernels.map((k) => kernelStep(p, k, prologue));
}

/** Several kernels run as one loop (tier 2's one-pass pairs): they read whole arrays while writing, so nothing is aligned. */
export function groupStep(steps: readonly Step[]): Step {
  return { reads: [...new Set(steps.flatMap((s) => s.reads))], writes: steps.flatMap((s) => s.writes), aligned: new Set(), reshape: false };
}

export interface BufferPlan {
  readonly steps: readonly Step[];
  /** steps.length: the position at which outputs are read. */
  readonly end: number;
  /** Per step: a reshape sharing its operand's storage (it runs no code). */
  readonly alias: readonly boolean[];
  /** Per value id: the value whose storage it shares (itself unless it is an alias). */
  readonly root: Int32Array;
  /** Per root value: the last step reading it (`end` for outputs), -1 if none. */
  readonly lastUse: Int32Array;
  /** Per step: the roots whose last read it is. */
  readonly dying: readonly (readonly number[])[];
  /** Per value id: the program input whose storage its root is, -1 if none. */
  readonly inputAt: Int32Array;
}

/**
 * Plans storage for `steps` (in run order) of program p. `own(v)`: the value of a
 * reshape that must have storage of its own instead of aliasing its operand.
 */
export function planBuffers(p: Program, steps: readonly Step[], own: (v: number) => boolean = () => false): BufferPlan {
  const nv = p.values.length;
  const root = Int32Array.from({ length: nv }, (_, i) => i);
  const alias = steps.map((s) => {
    if (!s.reshape || own(s.writes[0]!)) return false;
    root[s.writes[0]!] = root[s.reads[0]!]!;
    return true;
  });
  const end = steps.length;
  const lastUse = new Int32Array(nv).fill(-1);
  steps.forEach((s, i) => {
    if (!alias[i]) for (const a of s.reads) lastUse[root[a]!] = i;
  });
  for (const o of p.outputs) lastUse[root[o]!] = end;
  const dying: number[][] = steps.map(() => []);
  steps.forEach((s, i) => {
    if (alias[i]) return;
    for (const r of new Set(s.reads.map((a) => root[a]!))) if (lastUse[r] === i) dying[i]!.push(r);
  });
  const inputAt = new Int32Array(nv).fill(-1);
  p.inputs.forEach((id, j) => (inputAt[id] = j));
  for (let v = 0; v < nv; v++) inputAt[v] = inputAt[root[v]!]!;
  return { steps, end, alias, root, lastUse, dying, inputAt };
}

/** Whether steps [from, to] may write a new value into the storage holding `v` (see the file comment). */
export function mayWriteOver(plan: BufferPlan, v: number, from: number, to = from): boolean {
  const r = plan.root[v]!;
  if (plan.lastUse[r]! > to) return false;
  for (let s = from; s <= to; s++) {
    const step = plan.steps[s]!;
    for (const a of step.reads) if (plan.root[a] === r && !step.aligned.has(a)) return false;
  }
  return true;
}

/** Whether root `r` is read only aligned by step s (so storage dying there may take the step's result). */
export function readsOnlyAligned(plan: BufferPlan, s: number, r: number): boolean {
  const step = plan.steps[s]!;
  return step.reads.every((a) => plan.root[a] !== r || step.aligned.has(a));
}

/**
 * The new values a sub-program may compute over its inputs' storage (a loop carry's
 * new value over its old one), as output id -> input id, for outputs `outs[k]` over
 * inputs `ins[k]`: the new value is computed (no input, constant or alias), fills one
 * output position, and the old value is not an output again (a swap or pass-through).
 * The steps writing it then decide with mayWriteOver.
 */
export function overwriteCandidates(p: Program, pairs: readonly (readonly [out: number, input: number])[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const [out, input] of pairs) {
    const computed = !p.inputs.includes(out) && !p.consts.has(out);
    if (computed && !p.outputs.includes(input) && p.outputs.indexOf(out) === p.outputs.lastIndexOf(out)) m.set(out, input);
  }
  return m;
}
