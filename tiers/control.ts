// Structured control flow (loop, while, cond; semantics in ir/program.ts) for tiers
// that compile each sub-program into an Executable of their own (tiers 0 and 1): the
// instruction runs as a plain JS loop calling those executables. Carries live in the
// instruction's own result buffers, which the body reads as inputs and writes as
// destinations (the Executable contract's no-clobber rule makes that aliasing safe).
// This is the reference execution of control flow; tier 2 lowers it to wasm loops.
//
// On-stack replacement: a loop or while still running after `osr.iterations`
// iterations or `osr.ms` milliseconds, or a loop whose remaining iterations are
// predicted (at the pace of those run so far) to take `osr.ms` more, offers its
// continuation (ir/continuation.ts) to the hook as the running tier (with the
// prediction, which lets the runtime skip tiers for a very long loop) and, if a faster
// tier takes it, finishes there. The prediction is what a known trip count buys: a
// 1,000-step simulation leaves the interpreter after its first step instead of after
// `ms` of slow ones. The hook answers at most once per instruction per executable
// (a "later" answer, while a compiler loads, is asked again `ms` later); the answer is
// kept with the iteration count at which it was given, and later calls switch at that
// same count (the continuation of a `loop` bakes its start index in, so it fits no
// other point). A loop reports the loop index at which the next tier continues; a
// while, the iterations it ran here.

import type { TypedArray } from "../ir/dtype.js";
import { continuation } from "../ir/continuation.js";
import type { ControlInstr, InstrOf, ValueInfo } from "../ir/program.js";
import type { Executable, OsrHook, TierName } from "./tier.js";

/** One control instruction's OSR state within one executable. */
export interface OsrState {
  readonly hook: OsrHook;
  readonly values: readonly ValueInfo[];
  /** The tier running the loop, reported to the hook. */
  readonly from: TierName;
  /** Set once the hook has answered: after how many iterations (of this call's loop), and its answer. */
  asked?: { readonly after: number; readonly exec: Executable | undefined };
  /** After a "later" answer: the time before which the hook is not asked again. */
  retryAt?: number;
}

/** Runs control instruction `ins` with its sub-programs compiled as `subs`. */
export function runControl(ins: ControlInstr, subs: readonly Executable[], args: TypedArray[], res: TypedArray[], osr?: OsrState): void {
  if (ins.op === "cond") {
    const branch = args[0]![0] ? subs[0]! : subs[1]!;
    branch.run(args.slice(1), res);
  } else if (ins.op === "loop") runLoop(ins, args, res, subs[0]!, osr);
  else if (ins.op === "while") runWhile(ins, args, res, subs[0]!, subs[1]!, osr);
  else ins satisfies never;
}

/**
 * The executable to finish in after `done` iterations (`remaining` more to go, when
 * known), if any: asks the hook once the thresholds are crossed, afterwards only
 * answers at the recorded count.
 */
function osrAt(osr: OsrState, ins: InstrOf<"loop" | "while">, done: number, t0: number, from: number, iteration: number, remaining?: number): Executable | undefined {
  if (osr.asked === undefined) {
    const now = performance.now();
    if (osr.retryAt !== undefined && now < osr.retryAt) return undefined;
    const spent = now - t0;
    const predicted = remaining === undefined ? undefined : (spent / done) * remaining;
    const due = done >= osr.hook.iterations || spent >= osr.hook.ms || (predicted !== undefined && predicted >= osr.hook.ms);
    if (!due) return undefined;
    const answer = osr.hook.compile(continuation(ins, osr.values, from), iteration, osr.from, predicted);
    if (answer === "later") {
      osr.retryAt = performance.now() + osr.hook.ms;
      return undefined;
    }
    osr.asked = { after: done, exec: answer };
  }
  return osr.asked.after === done ? osr.asked.exec : undefined;
}

function runLoop(ins: InstrOf<"loop">, args: TypedArray[], res: TypedArray[], body: Executable, osr: OsrState | undefined): void {
  const { nCarry: nC, nXs: nX, lo, hi } = ins;
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
  // Once the hook has declined, the loop runs without any check.
  const watch = osr !== undefined && (osr.asked === undefined || osr.asked.exec !== undefined);
  const t0 = watch ? performance.now() : 0;
  for (let it = lo; it < hi; it++) {
    i[0] = it;
    const row = it - lo;
    for (let k = 0; k < nX; k++) inputs[1 + nC + k] = xs[k]!.subarray(row * xRow[k]!, (row + 1) * xRow[k]!);
    for (let k = 0; k < ys.length; k++) dest[nC + k] = ys[k]!.subarray(row * yRow[k]!, (row + 1) * yRow[k]!);
    body.run(inputs, dest);
    if (watch && it + 1 < hi) {
      const done = row + 1;
      const exec = osrAt(osr, ins, done, t0, it + 1, it + 1, hi - it - 1);
      if (exec) {
        const out = exec.run([...carries, ...xs.map((x, k) => x.subarray(done * xRow[k]!)), ...captured]);
        carries.forEach((c, k) => c.set(out[k]!));
        ys.forEach((y, k) => y.set(out[nC + k]!, done * yRow[k]!));
        return;
      }
    }
  }
}

function runWhile(ins: InstrOf<"while">, args: TypedArray[], res: TypedArray[], cond: Executable, body: Executable, osr: OsrState | undefined): void {
  const nC = ins.nCarry;
  res.forEach((c, k) => c.set(args[k]!));
  const inputs = [...res, ...args.slice(nC)];
  const flag = [new Uint8Array(1)];
  const watch = osr !== undefined && (osr.asked === undefined || osr.asked.exec !== undefined);
  const t0 = watch ? performance.now() : 0;
  for (let done = 1; ; done++) {
    cond.run(inputs, flag);
    if (!flag[0]![0]) return;
    body.run(inputs, res);
    if (watch) {
      const exec = osrAt(osr, ins, done, t0, 0, done);
      if (exec) {
        const out = exec.run(inputs);
        res.forEach((c, k) => c.set(out[k]!));
        return;
      }
    }
  }
}
