// Batching a traced program. vmap traces the function on one example's types (as jit
// does); `batchProgram` then walks the program and emits, through the np-level ops,
// every instruction for all lanes at once: an instruction none of whose operands is
// batched is emitted unchanged (it is the same for every lane), any other by its rule
// (ir/vmap/rules.ts), batch axis first. Emitting means: run at once when the operands
// are concrete (eager vmap), record into the active trace when they are traced
// (jit(vmap(f)), vmap(vmap(f)), grad of a vmap). Control instructions are batched
// here, structurally, into new np.forLoop / np.whileLoop / np.cond calls whose
// bodies batch the sub-programs, so loops stay loops in the batched program.

import { InternalError } from "../../ir/errors.js";
import { carryFixpoint } from "../../ir/fixpoint.js";
import { isControlInstr, type ControlInstr, type InstrOf, type Program, type SingleOp } from "../../ir/program.js";
import { RULES, withBatch, type Batched } from "../../ir/vmap/rules.js";
import { cond, runLoop, whileLoop } from "../control.js";
import { NDArray } from "../ndarray.js";
import { emit, reductions, reshape, transpose, where } from "../ops.js";
import { rngState } from "../random.js";
import { BND } from "./bops.js";

type B = Batched<NDArray>;
type LoopInstr = InstrOf<"loop">;
type WhileInstr = InstrOf<"while">;
type CondInstr = InstrOf<"cond">;

// ---- which values are batched ----

/** Per value of `p`: whether it has a batch axis, given which inputs do. */
export function batchedness(p: Program, inB: readonly boolean[]): boolean[] {
  const bat = new Array<boolean>(p.values.length).fill(false);
  p.inputs.forEach((id, k) => (bat[id] = inB[k] ?? false));
  for (const ins of p.body) {
    if (isControlInstr(ins)) {
      const outs = controlBatchedness(ins, ins.args.map((a) => bat[a]!));
      ins.outs.forEach((o, k) => (bat[o] = outs[k]!));
    } else {
      const rule = RULES[ins.op] as { always?: true };
      bat[ins.out] = rule.always === true || ins.args.some((a) => bat[a]);
    }
  }
  return bat;
}

function outBatchedness(sub: Program, inB: readonly boolean[]): boolean[] {
  const b = batchedness(sub, inB);
  return sub.outputs.map((o) => b[o]!);
}

function loopBatchedness(ins: LoopInstr, argB: readonly boolean[]): { carry: boolean[]; ys: boolean[] } {
  const carry = argB.slice(0, ins.nCarry);
  const outs = carryFixpoint(outBatchedness, ins.subs[0], carry, [false], argB.slice(ins.nCarry));
  return { carry, ys: outs.slice(ins.nCarry) };
}

/** The generator state's position among a sub-program's inputs (a Variable carried into it, labelled by the tracer), or -1. */
const rngInput = (sub: Program): number => sub.inputLabels.indexOf(`Variable#${rngState().uid}`);

/**
 * while: carries batched by the body's fixpoint; with a batched condition, every carry
 * but the generator state (finished lanes freeze by a select, which batches them).
 */
function whileBatchedness(ins: WhileInstr, argB: readonly boolean[]): { carry: boolean[]; pred: boolean } {
  const [c, b] = ins.subs;
  const nC = ins.nCarry;
  const carry = argB.slice(0, nC);
  const cap = argB.slice(nC);
  carryFixpoint(outBatchedness, b, carry, [], cap);
  const pred = outBatchedness(c, [...carry, ...cap])[0]!;
  if (pred) {
    const rng = rngInput(b);
    carry.forEach((_, j) => (carry[j] ||= j !== rng));
    carryFixpoint(outBatchedness, b, carry, [], cap);
  }
  return { carry, pred };
}

/** cond: an output is batched when either branch's is, or when the predicate is (a select), except the generator state. */
function condBatchedness(ins: CondInstr, argB: readonly boolean[]): boolean[] {
  const [t, e] = ins.subs;
  const ops = argB.slice(1);
  const tb = outBatchedness(t, ops);
  const eb = outBatchedness(e, ops);
  const rngOut = condRngOutput(ins);
  return tb.map((x, k) => x || eb[k]! || (argB[0]! && k !== rngOut));
}

/** The output of a cond that is the generator state's new value, or -1: Variables come last among both inputs and outputs. */
function condRngOutput(ins: CondInstr): number {
  const t = ins.subs[0];
  const at = rngInput(t);
  if (at < 0) return -1;
  const firstVar = t.inputLabels.findIndex((l) => l.startsWith("Variable#"));
  const nVars = t.inputLabels.filter((l) => l.startsWith("Variable#")).length;
  return t.outputs.length - nVars + (at - firstVar);
}

function controlBatchedness(ins: ControlInstr, argB: readonly boolean[]): boolean[] {
  switch (ins.op) {
    case "loop": {
      const { carry, ys } = loopBatchedness(ins, argB);
      return [...carry, ...ys];
    }
    case "while":
      return whileBatchedness(ins, argB).carry;
    case "cond":
      return condBatchedness(ins, argB);
  }
}

// ---- emitting ----

/** Values of a program as they are emitted; constants are wrapped on first use. */
class Env {
  private readonly vals: (B | undefined)[];
  constructor(private readonly p: Program, inputs: readonly B[]) {
    if (inputs.length !== p.inputs.length) throw new InternalError(`vmap: ${inputs.length} inputs for a program of ${p.inputs.length}`);
    this.vals = new Array(p.values.length);
    p.inputs.forEach((id, k) => (this.vals[id] = inputs[k]));
  }
  get(id: number): B {
    let v = this.vals[id];
    if (v === undefined) {
      const data = this.p.consts.get(id);
      if (data === undefined) throw new InternalError(`vmap: value %${id} used before it is defined`);
      const info = this.p.values[id]!;
      this.vals[id] = v = { v: new NDArray(info.shape, info.dtype, data), b: false };
    }
    return v;
  }
  set(id: number, v: B): void {
    this.vals[id] = v;
  }
}

type AnyEmit = (op: SingleOp, x: readonly NDArray[], info: unknown, params: unknown) => NDArray;

function emitSingle(p: Program, ins: InstrOf<SingleOp>, args: readonly B[], n: number): B {
  const rule = RULES[ins.op] as { always?: true; batch: (o: typeof BND, ins: unknown, x: readonly B[], out: unknown, n: number) => NDArray };
  if (rule.always !== true && !args.some((a) => a.b)) {
    const { op, args: _a, out, ...params } = ins as InstrOf<SingleOp> & Record<string, unknown>;
    return { v: (emit as AnyEmit)(op, args.map((a) => a.v), p.values[out]!, params), b: false };
  }
  return { v: rule.batch(BND, ins, args, p.values[ins.out]!, n), b: true };
}

/** Emits program `p` for n lanes on `inputs`; returns its outputs. */
export function batchProgram(p: Program, inputs: readonly B[], n: number): B[] {
  const env = new Env(p, inputs);
  for (const ins of p.body) {
    const args = ins.args.map((a) => env.get(a));
    if (isControlInstr(ins)) controlBatch(ins, args, n).forEach((v, k) => env.set(ins.outs[k]!, v));
    else env.set(ins.out, emitSingle(p, ins, args, n));
  }
  return p.outputs.map((o) => env.get(o));
}

/** `x` with a batch axis if `batched` says it must have one. */
const fit = (x: B, batched: boolean, n: number): NDArray => (batched && !x.b ? withBatch(BND, x, n) : x.v);
const swap01 = (x: NDArray): NDArray => (x.ndim < 2 ? x : transpose(x, [1, 0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)]));
const flags = (xs: readonly NDArray[], b: readonly boolean[]): B[] => xs.map((v, k) => ({ v, b: b[k]! }));

function controlBatch(ins: ControlInstr, args: readonly B[], n: number): B[] {
  switch (ins.op) {
    case "loop": return loopBatch(ins, args, n);
    case "while": return whileBatch(ins, args, n);
    case "cond": return condBatch(ins, args, n);
  }
}

/** A loop: batched xs are scanned along their second axis (the first is the batch), batched ys stacked the same way and turned back. */
function loopBatch(ins: LoopInstr, args: readonly B[], n: number): B[] {
  const { nCarry: nC, nXs: nX, lo, hi } = ins;
  const argB = args.map((a) => a.b);
  const { carry: cB, ys: yB } = loopBatchedness(ins, argB);
  const xs = args.slice(nC, nC + nX);
  const cap = args.slice(nC + nX);
  const init = args.slice(0, nC).map((a, j) => fit(a, cB[j]!, n));
  const xsIn = xs.map((x) => (x.b ? swap01(x.v) : x.v));
  const [carry, ys] = runLoop(ins.nXs > 0 ? "scan" : "forLoop", lo, hi, (i, c0, x0) => {
    const c = c0 as NDArray[];
    const x = (x0 as NDArray[] | undefined) ?? [];
    const outs = batchProgram(ins.subs[0], [{ v: i, b: false }, ...flags(c, cB), ...x.map((v, k) => ({ v, b: xs[k]!.b })), ...cap], n);
    return [outs.slice(0, nC).map((o, j) => fit(o, cB[j]!, n)), outs.slice(nC).map((o, k) => fit(o, yB[k]!, n))];
  }, init, nX > 0 ? xsIn : undefined, true);
  const ysOut = ((ys as NDArray[] | undefined) ?? []).map((y, k) => ({ v: yB[k] ? swap01(y) : y, b: yB[k]! }));
  return [...flags(carry as NDArray[], cB), ...ysOut];
}

/** A boolean per lane, shaped to select whole lanes of arrays of rank `rank` + 1. */
const laneMask = (p: NDArray, rank: number): NDArray => reshape(p, [p.shape[0]!, ...Array.from({ length: rank }, () => 1)]);

function whileBatch(ins: WhileInstr, args: readonly B[], n: number): B[] {
  const [c, b] = ins.subs;
  const nC = ins.nCarry;
  const { carry: cB, pred: predB } = whileBatchedness(ins, args.map((a) => a.b));
  const cap = args.slice(nC);
  const init = args.slice(0, nC).map((a, j) => fit(a, cB[j]!, n));
  const condOf = (x: NDArray[]) => batchProgram(c, [...flags(x, cB), ...cap], n)[0]!;
  const bodyOf = (x: NDArray[]) => batchProgram(b, [...flags(x, cB), ...cap], n).map((o, j) => fit(o, cB[j]!, n));
  if (!predB) return flags(whileLoop((x: NDArray[]) => condOf(x).v, bodyOf, init), cB);
  const rng = rngInput(b);
  const res = whileLoop(
    (x: NDArray[]) => reductions.any(condOf(x).v),
    (x: NDArray[]) => {
      const live = condOf(x).v;
      return bodyOf(x).map((v, j) => (j === rng ? v : where(laneMask(live, v.ndim - 1), v, x[j]!)));
    },
    init,
  );
  return flags(res, cB);
}

function condBatch(ins: CondInstr, args: readonly B[], n: number): B[] {
  const [t, e] = ins.subs;
  const outB = condBatchedness(ins, args.map((a) => a.b));
  const ops = args.slice(1);
  if (!args[0]!.b) {
    const branch = (sub: Program) => (...a: NDArray[]) => batchProgram(sub, a.map((v, k) => ({ v, b: ops[k]!.b })), n).map((o, k) => fit(o, outB[k]!, n));
    return flags(cond(args[0]!.v, branch(t), branch(e), ...ops.map((a) => a.v)), outB);
  }
  // Both branches run for every lane; the generator state goes through then, then else.
  const tOut = batchProgram(t, ops, n);
  const rngIn = rngInput(t);
  const rngOut = condRngOutput(ins);
  const eOps = rngIn < 0 ? ops : ops.map((a, k) => (k === rngIn ? tOut[rngOut]! : a));
  const eOut = batchProgram(e, eOps, n);
  const mask = args[0]!.v;
  return tOut.map((x, k) => {
    if (k === rngOut) return eOut[k]!;
    const rank = Math.max(x.b ? x.v.ndim - 1 : x.v.ndim, eOut[k]!.b ? eOut[k]!.v.ndim - 1 : eOut[k]!.v.ndim);
    return { v: where(laneMask(mask, rank), fit(x, true, n), fit(eOut[k]!, true, n)), b: true };
  });
}
