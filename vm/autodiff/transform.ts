// Differentiating a traced program. A function is traced into an IR program (as jit
// does); these functions then walk the program and emit, through the np-level ops,
// its primal values together with their tangents (forward mode, `jvpProgram`) or its
// primal values followed by a reverse sweep over the SSA list accumulating
// cotangents (reverse mode, `vjpProgram`). Emitting means: run at once when the
// operands are concrete (eager grad), record into the active trace when they are
// traced (jit(grad(f)), grad(grad(f))). Each op's derivative comes from the rule table
// (ir/autodiff/rules.ts); control instructions are transformed here, structurally,
// into new np.forLoop / np.whileLoop / np.cond calls whose bodies are the transformed
// sub-programs, so loops stay loops in the derivative.
//
// Reverse mode through a loop stores the carries entering every iteration that the
// reverse body reads (a scan of them in the forward pass: (hi - lo) x their size;
// carriesRead finds them by tracing the reverse body once) and recomputes each body's
// intermediates from its stored carry inside the reverse loop, which runs the
// iterations backwards (reading row n-1-k of the stored carries in place: no flipped
// copy) and accumulates the cotangents of captured values as extra carries.

import { RULES, reverseError } from "../../ir/autodiff/rules.js";
import type { DType } from "../../ir/dtype.js";
import { InternalError } from "../../ir/errors.js";
import { carryFixpoint } from "../../ir/fixpoint.js";
import type { ControlOp } from "../../ir/ops.js";
import { isControlInstr, type ControlInstr, type Instr, type InstrOf, type Program, type SingleOp } from "../../ir/program.js";
import { shapesEqual } from "../../ir/shape.js";
import { cond, runLoop, whileLoop } from "../control.js";
import { NDArray } from "../ndarray.js";
import { dynamicSlice } from "../indexing.js";
import { Trace, withTrace } from "../trace.js";
import { dce } from "../../ir/passes/dce.js";
import { add, broadcastTo, emit, flip, reshape, sub } from "../ops.js";
import { ND, unbroadcast, zeros } from "./adops.js";

type Maybe = NDArray | null;
type LoopInstr = InstrOf<"loop">;
type WhileInstr = InstrOf<"while">;
type CondInstr = InstrOf<"cond">;

export const isFloat = (d: DType): boolean => d === "float32" || d === "float64";

// ---- activity: which values depend on a differentiated input ----

/** Per value of `p`: whether it is a float that depends on an input marked in `inAct`. */
export function activity(p: Program, inAct: readonly boolean[]): boolean[] {
  const act = new Array<boolean>(p.values.length).fill(false);
  const fl = (id: number) => isFloat(p.values[id]!.dtype);
  p.inputs.forEach((id, k) => (act[id] = (inAct[k] ?? false) && fl(id)));
  for (const ins of p.body) {
    if (isControlInstr(ins)) {
      const outs = controlActivity(ins, ins.args.map((a) => act[a]!));
      ins.outs.forEach((o, k) => (act[o] = outs[k]! && fl(o)));
    } else if (!RULES[ins.op].zero) {
      act[ins.out] = fl(ins.out) && ins.args.some((a) => act[a]);
    }
  }
  return act;
}

function outActivity(sub: Program, inAct: readonly boolean[]): boolean[] {
  const a = activity(sub, inAct);
  return sub.outputs.map((o) => a[o]!);
}

function loopActivity(ins: LoopInstr, argAct: readonly boolean[]): { carry: boolean[]; ys: boolean[] } {
  const nC = ins.nCarry;
  const carry = argAct.slice(0, nC);
  const outs = carryFixpoint(outActivity, ins.subs[0], carry, [false], argAct.slice(nC));
  return { carry, ys: outs.slice(nC) };
}

function controlActivity(ins: ControlInstr, argAct: readonly boolean[]): boolean[] {
  switch (ins.op) {
    case "loop": {
      const { carry, ys } = loopActivity(ins, argAct);
      return [...carry, ...ys];
    }
    case "while": {
      const carry = argAct.slice(0, ins.nCarry);
      carryFixpoint(outActivity, ins.subs[1], carry, [], argAct.slice(ins.nCarry));
      return carry;
    }
    case "cond": {
      const [t, e] = ins.subs.map((s) => outActivity(s, argAct.slice(1)));
      return t!.map((a, k) => a || e![k]!);
    }
  }
}

// ---- forward evaluation ----

/** Values of a program as they are emitted; constants are wrapped on first use. */
class Env {
  private readonly vals: (NDArray | undefined)[];
  constructor(private readonly p: Program, inputs: readonly NDArray[]) {
    this.vals = new Array(p.values.length);
    if (inputs.length !== p.inputs.length) throw new InternalError(`autodiff: ${inputs.length} inputs for a program of ${p.inputs.length}`);
    p.inputs.forEach((id, k) => (this.vals[id] = inputs[k]));
  }
  get(id: number): NDArray {
    let v = this.vals[id];
    if (v === undefined) {
      const data = this.p.consts.get(id);
      if (data === undefined) throw new InternalError(`autodiff: value %${id} used before it is defined`);
      const info = this.p.values[id]!;
      this.vals[id] = v = new NDArray(info.shape, info.dtype, data);
    }
    return v;
  }
  set(id: number, v: NDArray): void {
    this.vals[id] = v;
  }
}

function emitSingle(p: Program, ins: InstrOf<SingleOp>, args: readonly NDArray[]): NDArray {
  const { op, args: _a, out, ...params } = ins as InstrOf<SingleOp> & Record<string, unknown>;
  return (emit as (op: SingleOp, x: readonly NDArray[], info: unknown, params: unknown) => NDArray)(op, args, p.values[out]!, params);
}

const loopName = (ins: LoopInstr) => (ins.nXs > 0 ? "scan" : "forLoop");

/**
 * A loop's forward pass; with `store` (one flag per carry), also the stacked values of
 * the flagged carries entering each iteration (null for the others).
 */
function loopForward(ins: LoopInstr, args: readonly NDArray[], store?: readonly boolean[]): { outs: NDArray[]; stored: Maybe[] } {
  const [body] = ins.subs;
  const { nCarry: nC, nXs: nX, lo, hi } = ins;
  const nY = ins.outs.length - nC;
  const cap = args.slice(nC + nX);
  const kept = hi > lo && store ? indices(store) : [];
  const [carry, ys] = runLoop(loopName(ins), lo, hi, (i, c, x) => {
    const r = replay(body, [i, ...(c as NDArray[]), ...((x as NDArray[] | undefined) ?? []), ...cap]);
    return [r.slice(0, nC), [...r.slice(nC), ...kept.map((j) => (c as NDArray[])[j]!)]];
  }, args.slice(0, nC), nX > 0 ? args.slice(nC, nC + nX) : undefined, true);
  const ysArr = (ys as NDArray[] | undefined) ?? [];
  return { outs: [...(carry as NDArray[]), ...ysArr.slice(0, nY)], stored: Array.from({ length: nC }, (_, j) => pick(kept, j, ysArr.slice(nY))) };
}

/**
 * Which carries' values entering an iteration the reverse body reads. The reverse
 * body is traced once on symbolic values (every active output given a cotangent: a
 * superset of any call's) and pruned; a carry it never reads (a running sum, say:
 * its derivative is 1 whatever its value) is not stored.
 */
function carriesRead(ins: LoopInstr, need: readonly boolean[]): boolean[] {
  const [body] = ins.subs;
  const nC = ins.nCarry;
  const { carry: cAct, ys: yAct } = loopActivity(ins, need);
  const mask = [false, ...cAct, ...need.slice(nC)];
  const t = new Trace("autodiff: the carries a reverse loop reads");
  const inputs = body.inputs.map((id, k) => t.input(body.values[id]!, `in${k}`));
  const outIds = withTrace(t, () => {
    const lin = vjpProgram(body, inputs, mask);
    const cts = body.outputs.map((o, k) => ((k < nC ? cAct[k] : yAct[k - nC]) ? t.input(body.values[o]!, `ct${k}`) : null));
    return lin.back(cts).flatMap((g) => (g === null ? [] : [t.idOf(g)]));
  });
  const pruned = dce(t.finish(outIds, outIds.map((_, k) => `g${k}`)).program);
  const used = new Set<number>(pruned.outputs);
  for (const i of pruned.body) for (const a of i.args) used.add(a);
  return Array.from({ length: nC }, (_, j) => used.has(pruned.inputs[1 + j]!));
}

function whileForward(ins: WhileInstr, args: readonly NDArray[]): NDArray[] {
  const [c, b] = ins.subs;
  const cap = args.slice(ins.nCarry);
  return whileLoop((x: NDArray[]) => replay(c, [...x, ...cap])[0]!, (x: NDArray[]) => replay(b, [...x, ...cap]), args.slice(0, ins.nCarry));
}

function condForward(ins: CondInstr, args: readonly NDArray[]): NDArray[] {
  const [t, e] = ins.subs;
  return cond(args[0]!, (...a: NDArray[]) => replay(t, a), (...a: NDArray[]) => replay(e, a), ...args.slice(1));
}

function controlForward(ins: ControlInstr, args: readonly NDArray[]): NDArray[] {
  switch (ins.op) {
    case "loop": return loopForward(ins, args).outs;
    case "while": return whileForward(ins, args);
    case "cond": return condForward(ins, args);
  }
}

/** Emits program `p` on `inputs`; returns its outputs. */
export function replay(p: Program, inputs: readonly NDArray[]): NDArray[] {
  const env = new Env(p, inputs);
  for (const ins of p.body) {
    const args = ins.args.map((a) => env.get(a));
    if (isControlInstr(ins)) controlForward(ins, args).forEach((v, k) => env.set(ins.outs[k]!, v));
    else env.set(ins.out, emitSingle(p, ins, args));
  }
  return p.outputs.map((o) => env.get(o));
}

// ---- forward mode ----

/** `t` (a tangent) as an array of exactly `like`'s shape. */
function fit(t: NDArray, like: { shape: readonly number[] }): NDArray {
  return shapesEqual(t.shape, like.shape) ? t : broadcastTo(t, like.shape);
}

const orZeros = (t: Maybe, like: NDArray): NDArray => t ?? zeros(like.shape, like.dtype);

/** Emits `p` on `inputs` with tangents (null: zero) propagated alongside; returns outputs and their tangents. */
export function jvpProgram(p: Program, inputs: readonly NDArray[], tangents: readonly Maybe[]): { outs: NDArray[]; touts: Maybe[] } {
  const env = new Env(p, inputs);
  const tan: Maybe[] = new Array(p.values.length).fill(null);
  p.inputs.forEach((id, k) => (tan[id] = isFloat(p.values[id]!.dtype) ? (tangents[k] ?? null) : null));
  for (const ins of p.body) {
    const args = ins.args.map((a) => env.get(a));
    const targs = ins.args.map((a) => tan[a]!);
    if (isControlInstr(ins)) {
      const { outs, touts } = controlJvp(ins, args, targs);
      ins.outs.forEach((o, k) => {
        env.set(o, outs[k]!);
        tan[o] = touts[k]!;
      });
      continue;
    }
    const y = emitSingle(p, ins, args);
    env.set(ins.out, y);
    const rule = RULES[ins.op];
    if (rule.zero || !isFloat(y.dtype) || targs.every((t) => t === null)) continue;
    const t = (rule.jvp as (o: typeof ND, p: unknown, dx: readonly Maybe[]) => Maybe)(ND, { ins, x: args, y }, targs);
    tan[ins.out] = t === null ? null : fit(t, y);
  }
  return { outs: p.outputs.map((o) => env.get(o)), touts: p.outputs.map((o) => tan[o]!) };
}

function controlJvp(ins: ControlInstr, args: readonly NDArray[], targs: readonly Maybe[]): { outs: NDArray[]; touts: Maybe[] } {
  const argAct = targs.map((t) => t !== null);
  switch (ins.op) {
    case "loop": {
      const [body] = ins.subs;
      const { nCarry: nC, nXs: nX, lo, hi } = ins;
      const { carry: cAct, ys: yAct } = loopActivity(ins, argAct);
      const cIdx = indices(cAct);
      const xIdx = indices(argAct.slice(nC, nC + nX));
      const yIdx = indices(yAct);
      const cap = args.slice(nC + nX);
      const capT = targs.slice(nC + nX);
      const xs = [...args.slice(nC, nC + nX), ...xIdx.map((k) => targs[nC + k]!)];
      const [carry, ys] = runLoop(loopName(ins), lo, hi, (i, c0, x0) => {
        const c = c0 as NDArray[];
        const x = (x0 as NDArray[] | undefined) ?? [];
        const subT: Maybe[] = [null, ...Array.from({ length: nC }, (_, j) => pick(cIdx, j, c.slice(nC))), ...Array.from({ length: nX }, (_, k) => pick(xIdx, k, x.slice(nX))), ...capT];
        const { outs, touts } = jvpProgram(body, [i, ...c.slice(0, nC), ...x.slice(0, nX), ...cap], subT);
        return [[...outs.slice(0, nC), ...cIdx.map((j) => orZeros(touts[j]!, outs[j]!))], [...outs.slice(nC), ...yIdx.map((k) => orZeros(touts[nC + k]!, outs[nC + k]!))]];
      }, [...args.slice(0, nC), ...cIdx.map((j) => orZeros(targs[j]!, args[j]!))], xs.length > 0 ? xs : undefined, true);
      const cs = carry as NDArray[];
      const yv = (ys as NDArray[] | undefined) ?? [];
      const nY = ins.outs.length - nC;
      return {
        outs: [...cs.slice(0, nC), ...yv.slice(0, nY)],
        touts: [...Array.from({ length: nC }, (_, j) => pick(cIdx, j, cs.slice(nC))), ...Array.from({ length: nY }, (_, k) => pick(yIdx, k, yv.slice(nY)))],
      };
    }
    case "while": {
      const [c, b] = ins.subs;
      const nC = ins.nCarry;
      const cAct = argAct.slice(0, nC);
      carryFixpoint(outActivity, b, cAct, [], argAct.slice(nC));
      const cIdx = indices(cAct);
      const cap = args.slice(nC);
      const capT = targs.slice(nC);
      const res = whileLoop(
        (x: NDArray[]) => replay(c, [...x.slice(0, nC), ...cap])[0]!,
        (x: NDArray[]) => {
          const subT = [...Array.from({ length: nC }, (_, j) => pick(cIdx, j, x.slice(nC))), ...capT];
          const { outs, touts } = jvpProgram(b, [...x.slice(0, nC), ...cap], subT);
          return [...outs, ...cIdx.map((j) => orZeros(touts[j]!, outs[j]!))];
        },
        [...args.slice(0, nC), ...cIdx.map((j) => orZeros(targs[j]!, args[j]!))],
      );
      return { outs: res.slice(0, nC), touts: Array.from({ length: nC }, (_, j) => pick(cIdx, j, res.slice(nC))) };
    }
    case "cond": {
      const ops = args.slice(1);
      const opIdx = indices(argAct.slice(1));
      const outAct = controlActivity(ins, argAct);
      const outIdx = indices(outAct);
      const n = ops.length;
      const branch = (sub: Program) => (...a: NDArray[]) => {
        const subT = Array.from({ length: n }, (_, m) => pick(opIdx, m, a.slice(n)));
        const { outs, touts } = jvpProgram(sub, a.slice(0, n), subT);
        return [...outs, ...outIdx.map((k) => orZeros(touts[k]!, outs[k]!))];
      };
      const res = cond(args[0]!, branch(ins.subs[0]), branch(ins.subs[1]), ...ops, ...opIdx.map((m) => targs[1 + m]!));
      const nOut = ins.outs.length;
      return { outs: res.slice(0, nOut), touts: Array.from({ length: nOut }, (_, k) => pick(outIdx, k, res.slice(nOut))) };
    }
  }
}

/** Positions where `mask` is true. */
function indices(mask: readonly boolean[]): number[] {
  return mask.flatMap((m, i) => (m ? [i] : []));
}

/** The entry of `packed` for position `k`, when `k` is among `idx` (packed in that order). */
function pick(idx: readonly number[], k: number, packed: readonly NDArray[]): Maybe {
  const at = idx.indexOf(k);
  return at < 0 ? null : packed[at]!;
}

// ---- reverse mode ----

export interface Linearized {
  readonly outs: NDArray[];
  /** Cotangents of the inputs (null: zero, or not asked for) from cotangents of the outputs (null: zero). */
  back(ctOuts: readonly Maybe[]): Maybe[];
}

/**
 * Emits `p`'s forward pass on `inputs` (storing what the reverse sweep needs) and
 * returns a function emitting the reverse sweep for the inputs marked in `inAct`.
 */
export function vjpProgram(p: Program, inputs: readonly NDArray[], inAct: readonly boolean[]): Linearized {
  const act = activity(p, inAct);
  const env = new Env(p, inputs);
  const stored = new Map<Instr, Maybe[]>();
  for (const ins of p.body) {
    const args = ins.args.map((a) => env.get(a));
    if (!isControlInstr(ins)) {
      env.set(ins.out, emitSingle(p, ins, args));
      continue;
    }
    const live = ins.args.some((a) => act[a]);
    if (live && ins.op === "while") throw reverseError(ins.op as ControlOp)!;
    let outs: NDArray[];
    if (live && ins.op === "loop") {
      const r = loopForward(ins, args, carriesRead(ins, ins.args.map((a) => act[a]!)));
      stored.set(ins, r.stored);
      outs = r.outs;
    } else outs = controlForward(ins, args);
    outs.forEach((v, k) => env.set(ins.outs[k]!, v));
  }
  const outs = p.outputs.map((o) => env.get(o));
  const back = (ctOuts: readonly Maybe[]): Maybe[] => {
    const ct: Maybe[] = new Array(p.values.length).fill(null);
    const acc = (id: number, g: NDArray) => {
      const info = p.values[id]!;
      const v = unbroadcast(g, info.shape);
      if (v.dtype !== info.dtype) throw new InternalError(`autodiff: cotangent of %${id} is ${v.dtype}, the value is ${info.dtype}`);
      ct[id] = ct[id] === null ? v : add(ct[id]!, v);
    };
    p.outputs.forEach((o, k) => {
      const g = ctOuts[k];
      if (g && act[o]) acc(o, g);
    });
    for (let n = p.body.length - 1; n >= 0; n--) {
      const ins = p.body[n]!;
      const need = ins.args.map((a) => act[a]!);
      if (!need.some(Boolean)) continue;
      const args = ins.args.map((a) => env.get(a));
      let gs: readonly Maybe[];
      if (isControlInstr(ins)) {
        const ctOut = ins.outs.map((o) => ct[o]!);
        if (ctOut.every((g) => g === null)) continue;
        gs = controlVjp(ins, args, ctOut, need, stored.get(ins) ?? []);
      } else {
        const g = ct[ins.out];
        if (g === null || g === undefined) continue;
        gs = (RULES[ins.op].vjp as (o: typeof ND, p: unknown, ct: NDArray, need: readonly boolean[]) => readonly Maybe[])(ND, { ins, x: args, y: env.get(ins.out) }, g, need);
      }
      gs.forEach((g, i) => {
        if (g && need[i]) acc(ins.args[i]!, g);
      });
    }
    return p.inputs.map((id) => ct[id]!);
  };
  return { outs, back };
}

const flip0 = (x: NDArray) => (x.shape[0]! > 1 ? flip(x, 0) : x);

/** Row `r` (a traced int32 scalar) of a stacked array. */
function row(a: NDArray, r: NDArray): NDArray {
  const rest = a.shape.slice(1);
  return reshape(dynamicSlice(a, [r, ...rest.map(() => 0)], [1, ...rest]), rest);
}

function controlVjp(ins: ControlInstr, args: readonly NDArray[], ctOut: readonly Maybe[], need: readonly boolean[], stored: readonly Maybe[]): Maybe[] {
  switch (ins.op) {
    case "loop": return loopVjp(ins, args, ctOut, need, stored);
    case "cond": return condVjp(ins, args, ctOut, need);
    case "while": throw reverseError("while")!;
  }
}

/**
 * The reverse loop: iteration k (0 ≤ k < n) handles forward iteration i = hi - 1 - k,
 * recomputing its body from the stored carry and sweeping it backwards; the carries
 * are the carries' cotangents and the captured values' accumulated cotangents, the
 * stacked ys the cotangents of the xs rows (flipped back afterwards).
 */
function loopVjp(ins: LoopInstr, args: readonly NDArray[], ctOut: readonly Maybe[], need: readonly boolean[], stored: readonly Maybe[]): Maybe[] {
  const [body] = ins.subs;
  const { nCarry: nC, nXs: nX, lo, hi } = ins;
  const n = hi - lo;
  if (n <= 0) return args.map((_, k) => (k < nC ? ctOut[k]! : null)); // no iteration: the outputs are the initial carries
  const { carry: cAct } = loopActivity(ins, need);
  const cIdx = indices(cAct);
  const xIdx = indices(need.slice(nC, nC + nX));
  const capIdx = indices(need.slice(nC + nX));
  const yIdx = indices(ctOut.slice(nC).map((g) => g !== null));
  const xs = args.slice(nC, nC + nX);
  const cap = args.slice(nC + nX);
  const mask = [false, ...cAct, ...need.slice(nC)];
  const init = [...cIdx.map((j) => orZeros(ctOut[j]!, args[j]!)), ...capIdx.map((m) => zeros(cap[m]!.shape, cap[m]!.dtype))];
  // Row n-1-k of the stored carries, the xs and the ys' cotangents, read in place (a flipped copy would double their memory).
  // A carry that was not stored is not read: zeros stand in for it.
  const rows = [...stored, ...xs, ...yIdx.map((k) => ctOut[nC + k]!)];
  const [cts0, ys0] = runLoop("forLoop (reverse)", 0, n, (k, c0) => {
    const c = c0 as NDArray[];
    const r = sub(n - 1, k);
    const x = rows.map((a, q) => (a === null ? zeros(args[q]!.shape, args[q]!.dtype) : row(a, r)));
    const i = sub(hi - 1, k);
    const lin = vjpProgram(body, [i, ...x.slice(0, nC), ...x.slice(nC, nC + nX), ...cap], mask);
    const subCt = [...Array.from({ length: nC }, (_, j) => pick(cIdx, j, c)), ...Array.from({ length: body.outputs.length - nC }, (_, k2) => pick(yIdx, k2, x.slice(nC + nX)))];
    const g = lin.back(subCt);
    const carries = cIdx.map((j) => orZeros(g[1 + j]!, x[j]!));
    const caps = capIdx.map((m, q) => {
      const d = g[1 + nC + nX + m];
      return d ? add(c[cIdx.length + q]!, d) : c[cIdx.length + q]!;
    });
    return [[...carries, ...caps], xIdx.map((k2) => orZeros(g[1 + nC + k2]!, x[nC + k2]!))];
  }, init, undefined, true);
  const cts = cts0 as NDArray[];
  const ys = (ys0 as NDArray[] | undefined) ?? [];
  return args.map((_, a) => {
    if (a < nC) return pick(cIdx, a, cts);
    if (a < nC + nX) {
      const y = pick(xIdx, a - nC, ys);
      return y === null ? null : flip0(y);
    }
    return pick(capIdx, a - nC - nX, cts.slice(cIdx.length));
  });
}

/** Both branches recompute their forward pass and sweep it backwards; the taken one's cotangents are the result. */
function condVjp(ins: CondInstr, args: readonly NDArray[], ctOut: readonly Maybe[], need: readonly boolean[]): Maybe[] {
  const ops = args.slice(1);
  const opAct = need.slice(1);
  const opIdx = indices(opAct);
  const outIdx = indices(ctOut.map((g) => g !== null));
  const n = ops.length;
  const branch = (sub: Program) => (...a: NDArray[]) => {
    const lin = vjpProgram(sub, a.slice(0, n), opAct);
    const g = lin.back(sub.outputs.map((_, k) => pick(outIdx, k, a.slice(n))));
    return opIdx.map((m) => orZeros(g[m]!, a[m]!));
  };
  const res = cond(args[0]!, branch(ins.subs[0]), branch(ins.subs[1]), ...ops, ...outIdx.map((k) => ctOut[k]!));
  return [null, ...Array.from({ length: n }, (_, m) => pick(opIdx, m, res))];
}
