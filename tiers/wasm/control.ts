// Structured control flow in wasm, with tier 0's semantics (tiers/interpreter/control.ts):
//
//   loop  [lo, hi): carries live in the loop's result regions; the body's carry inputs
//         are bound to those regions, so an iteration reads them in place. Per
//         iteration: store i, copy scan rows xs[i-lo] into the body's x regions, run
//         the body inline, copy its new carries back and its y slices into row i-lo of
//         the ys. The body's outputs may be its own inputs (a carry passed through,
//         swapped, a reshape alias): those are staged through scratch first, so every
//         new carry is computed from the old ones.
//   while same carries; `block { loop { cond; br_if exit (!flag); body; copy; br loop } }`.
//   cond  `if (pred) { then; copy } else { else; copy }` into the result regions.
//
// Sub-programs are lowered with the lowerInline that lower.ts passes in (fused, every kernel inline; passed, not imported, so the two files do not import each other). One
// iteration of a loop (and a while's condition) is a function of its own, called
// from the loop: V8 runs a new module in its baseline compiler (Liftoff) and
// optimises a function only for its later calls, never the invocation already
// running, so a one-call simulation whose body were inline in the loop would run
// all of its iterations in baseline code (measured 3x slower on the LIF model).

import { overwriteCandidates } from "../../ir/buffers.js";
import type { ControlInstr, InstrOf, Program } from "../../ir/program.js";
import { sizeOf } from "../../ir/shape.js";
import { Fn } from "./fn.js";
import type { Layout, LowerInline, Scope } from "./layout.js";
import { emitCopy } from "./movement.js";
import { x, type Ty } from "./recipe.js";
import { ELEM_BYTES, type Region } from "./values.js";

const bytesOf = (r: Region) => r.n * ELEM_BYTES[r.dt];

export function emitControl(fn: Fn, scope: Scope, ins: ControlInstr, lowerInline: LowerInline): void {
  const outs = ins.outs.map((o) => scope.of(o));
  const args = ins.args.map((a) => scope.of(a));
  if (ins.op === "cond") return emitCond(fn, scope, ins, args, outs, lowerInline);
  const nC = ins.nCarry;
  for (let k = 0; k < nC; k++) emitCopy(fn, args[k]!, null, outs[k]!, null, bytesOf(outs[k]!));
  if (ins.op === "loop") emitLoop(fn, scope, ins, args, outs, lowerInline);
  else emitWhile(fn, scope, ins, args, outs, lowerInline);
}

/** Copies a body's outputs into the carry regions, staging those that read a carry region another output overwrites. */
function storeCarries(fn: Fn, scope: Scope, from: readonly Region[], to: readonly Region[]): void {
  const dests = new Set(to);
  const src = from.map((r, k) => {
    if (r === to[k] || !dests.has(r)) return r;
    const tmp = scope.layout.alloc(r.dt, r.n);
    emitCopy(fn, r, null, tmp, null, bytesOf(r));
    return tmp;
  });
  src.forEach((r, k) => emitCopy(fn, r, null, to[k]!, null, bytesOf(to[k]!)));
}

/** New carry k (output k) over old carry k (input first + k), where ir/buffers.ts allows it; lowerKernels decides per step. */
function carriedInPlace(body: Program, first: number, nC: number): Map<number, number> {
  return overwriteCandidates(body, Array.from({ length: nC }, (_, k) => [body.outputs[k]!, body.inputs[first + k]!] as const));
}

function outputsOf(sub: Scope): Region[] {
  return sub.p.outputs.map((o) => sub.of(o));
}

function emitLoop(fn: Fn, scope: Scope, ins: InstrOf<"loop">, args: Region[], outs: Region[], lowerInline: LowerInline): void {
  const { nCarry: nC, nXs: nX, lo, hi } = ins;
  if (hi <= lo) return;
  const [body] = ins.subs;
  const layout = scope.layout;
  const iR = layout.alloc("int32", 1);
  const rowOf = (id: number) => sizeOf(body.values[body.inputs[1 + nC + id]!]!.shape);
  const xRows = Array.from({ length: nX }, (_, k) => layout.alloc(args[nC + k]!.dt, rowOf(k)));
  const carries = outs.slice(0, nC);
  const inputs = [iR, ...carries, ...xRows, ...args.slice(nC + nX)];
  const step = subFunction(layout, "it", ["i32"], (g) => {
    const i = g.get(0, "i32");
    g.emit(x("i32.store", iR.off, 4, x("i32.const", 0), i));
    const row = nX > 0 || outs.length > nC ? g.let("i32", x("i32.sub", i, x("i32.const", lo))) : null;
    xRows.forEach((r, k) => emitCopy(g, args[nC + k]!, x("i32.mul", row!, x("i32.const", bytesOf(r))), r, null, bytesOf(r)));
    const sub = lowerInline(body, layout, inputs, g, carriedInPlace(body, 1, nC));
    const res = outputsOf(sub);
    // The y slices first: one may be an old carry (still in its carry region).
    for (let k = nC; k < outs.length; k++) {
      const r = res[k]!;
      emitCopy(g, r, null, outs[k]!, x("i32.mul", row!, x("i32.const", bytesOf(r))), bytesOf(r));
    }
    storeCarries(g, scope, res.slice(0, nC), carries);
  });
  fn.loop(lo, hi, 1, (i) => fn.emit(x("call", step, [i], { t: "none" })));
}

/** A new function of the module (its code built by `body`); returns its name. */
function subFunction(layout: Layout, prefix: string, params: readonly Ty[], body: (g: Fn) => void): string {
  const g = new Fn(`${prefix}${layout.names++}`, params, layout.fastMath); // numbered before nested ones are pushed
  body(g);
  layout.funcs.push(g.finish());
  return g.name;
}

function emitWhile(fn: Fn, scope: Scope, ins: InstrOf<"while">, args: Region[], outs: Region[], lowerInline: LowerInline): void {
  const nC = ins.nCarry;
  const [condP, bodyP] = ins.subs;
  const inputs = [...outs, ...args.slice(nC)];
  const exit = fn.label("W");
  const again = fn.label("L");
  let flag: Region | undefined;
  const test = subFunction(scope.layout, "wc", [], (g) => {
    flag = outputsOf(lowerInline(condP, scope.layout, inputs, g))[0]!;
  });
  const step = subFunction(scope.layout, "wb", [], (g) => storeCarries(g, scope, outputsOf(lowerInline(bodyP, scope.layout, inputs, g, carriedInPlace(bodyP, 0, nC))), outs));
  const inner = fn.block(() => {
    fn.emit(x("call", test, [], { t: "none" }));
    fn.emit(x("br_if", exit, x("i32.eqz", x("i32.load8_u", flag!.off, 1, x("i32.const", 0)))));
    fn.emit(x("call", step, [], { t: "none" }));
    fn.emit(x("br", again));
  });
  fn.emit(x("block", exit, [x("loop", again, inner)], { t: "none" }));
}

function emitCond(fn: Fn, scope: Scope, ins: InstrOf<"cond">, args: Region[], outs: Region[], lowerInline: LowerInline): void {
  const [thenP, elseP] = ins.subs;
  const operands = args.slice(1);
  const branch = (p: Program) =>
    fn.block(() => {
      const sub = lowerInline(p, scope.layout, operands, fn);
      outputsOf(sub).forEach((r, k) => emitCopy(fn, r, null, outs[k]!, null, bytesOf(outs[k]!)));
    });
  const pred = x("i32.load8_u", args[0]!.off, 1, x("i32.const", 0));
  fn.emit(x("if", pred, branch(thenP), branch(elseP)));
}
