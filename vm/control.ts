// Control flow that jit compiles instead of unrolling: np.forLoop, np.scan,
// np.whileLoop and np.cond. Outside jit they run eagerly (a JS loop or branch over
// the same ops, so the same bits); inside jit each body is traced once, in a child
// trace, into a sub-program of one structured instruction (ir/program.ts). Carries
// keep their shapes and dtypes; Variables a body reads or assigns are carried
// automatically, as BrainPy does.

import { ArgumentError, DTypeError, ShapeError, TracerError, fmtShape, requireStatic } from "../ir/errors.js";
import type { Program, ValueInfo } from "../ir/program.js";
import { allocate, shortName } from "../ir/dtype.js";
import { fromData } from "./construct.js";
import { NDArray, type ArrayLike } from "./ndarray.js";
import { asArray, castTo, reshape } from "./ops.js";
import { Trace, currentTrace, withTrace } from "./trace.js";
import { flatten, unflatten } from "./tree.js";
import type { Variable } from "./variable.js";

// ---- carries as flat lists of arrays ----

/** The array leaves of a carry tree; numbers become 0-d arrays (int32, float32 or bool by their kind). */
function carryLeaves(what: string, tree: unknown, path: string): NDArray[] {
  if (tree === undefined) return []; // no carry: a body that only updates Variables
  return flatten(tree, path, [], what).map((l) => {
    if (l.kind === "array") return l.arr._weak === undefined ? l.arr : asArray(what, l.arr); // a traced number carries as the literal would
    if (l.kind === "var") return l.v.value;
    if (typeof l.value === "number" || typeof l.value === "boolean") return asArray(what, l.value);
    throw new ArgumentError(`${what}: ${l.path} is ${l.value === undefined ? "undefined" : typeof l.value}; carries must be arrays or numbers`);
  });
}

function typeStr(x: { shape: readonly number[]; dtype: string }): string {
  return `${shortName(x.dtype as never)}${fmtShape(x.shape)}`;
}

/**
 * The body's result must have the carry's structure, shapes and dtypes; for a cond
 * (`kind` "branch"), the else branch's result must match the then branch's (`init`).
 */
function checkCarry(what: string, init: unknown, before: readonly NDArray[], result: unknown, kind: "carry" | "branch" = "carry"): NDArray[] {
  const isCond = kind === "branch";
  const path = isCond ? "result" : "carry";
  // Branches (or bodies) that only update Variables return nothing on both sides.
  if (init === undefined && result === undefined) return [];
  const paths = init === undefined ? [] : flatten(init, path, [], what).map((l) => l.path);
  if (result === undefined && before.length > 0) {
    throw new ArgumentError(isCond
      ? `${what}: the else branch returned nothing, but the then branch returns (${paths.join(", ")}); both branches must return the same structure`
      : `${what}: the body returned nothing, but the loop has a carry (${paths.join(", ")}); return the new carry from the body (or pass no initial carry)`);
  }
  const after = result === undefined ? [] : flatten(result, path, [], what);
  if (after.length !== before.length || after.some((l, k) => l.path !== paths[k])) {
    const shape = (ps: readonly string[]) => ps.join(", ") || "nothing";
    throw new ShapeError(isCond
      ? `${what}: the else branch returned a result of structure (${shape(after.map((l) => l.path))}) but the then branch returns (${shape(paths)})`
      : `${what}: the body returned a carry of structure (${shape(after.map((l) => l.path))}) but the carry entering it is (${shape(paths)})`);
  }
  return after.map((l, k) => {
    const a = carryLeaves(what, l.kind === "static" || l.kind === "scalar" ? l.value : l.kind === "var" ? l.v : l.arr, l.path)[0];
    const b = before[k]!;
    if (a === undefined) throw new ArgumentError(`${what}: ${l.path} is undefined; ${isCond ? "branch results" : "carries"} must be arrays or numbers`);
    const shapeDiffers = a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i]);
    if (a.dtype !== b.dtype || shapeDiffers) {
      // A dtype change alone is a DTypeError; any shape change a ShapeError.
      const E = shapeDiffers ? ShapeError : DTypeError;
      if (isCond) throw new E(`${what}: ${l.path} is ${typeStr(b)} in the then branch but ${typeStr(a)} in the else branch; both branches must return the same shapes and dtypes`);
      const name = l.path === path ? "the carry" : l.path;
      throw new E(`${what}: ${name} changed from ${typeStr(b)} to ${typeStr(a)} in the body; carries must keep their shapes and dtypes (cast with .astype or broadcast the initial value)`);
    }
    return a;
  });
}

// ---- tracing bodies ----

interface Traced {
  trace: Trace;
  inputs: number[];
  outputs: number[];
  result: unknown;
}

/** Traces `fn` in a child of `parent` on fresh inputs of the given types. */
function traceChild(parent: Trace, what: string, inputs: readonly ValueInfo[], labels: readonly string[], fn: (args: NDArray[]) => unknown, outputsOf: (result: unknown) => NDArray[]): Traced {
  const trace = new Trace(`${parent.fnName}/${what}`, parent);
  const ins = inputs.map((info, k) => trace.input(info, labels[k]!));
  let outputs: number[] = [];
  const result = withTrace(trace, () => {
    const r = fn(ins);
    outputs = outputsOf(r).map((x) => trace.idOf(x));
    return r;
  });
  return { trace, inputs: ins.map((x) => x._id), outputs, result };
}

/** Gives every child the same Variables and captures (in one order), so one instruction can feed them all. */
function align(parent: Trace, children: readonly Traced[]): { vars: Variable[]; captured: number[] } {
  const vars = [...new Set(children.flatMap((c) => [...c.trace.variables.keys()]))];
  const captured = [...new Set(children.flatMap((c) => [...c.trace.captures.keys()]))];
  for (const c of children) {
    for (const v of vars) {
      if (!c.trace.variables.has(v)) {
        const id = c.trace.builder.input({ shape: v.shape, dtype: v.dtype }, `Variable#${v.uid}`);
        c.trace.variables.set(v, { input: id, current: id });
      }
    }
    for (const o of captured) {
      if (!c.trace.captures.has(o)) c.trace.captures.set(o, c.trace.builder.input(parent.builder.values[o]!, `captured %${o}`));
    }
  }
  for (const v of vars) parent.readVariable(v);
  return { vars, captured };
}

/** The sub-program with inputs in the order the control op passes them. */
function subProgram(c: Traced, leading: readonly number[], vars: readonly Variable[], middle: readonly number[], captured: readonly number[], outputs: readonly number[]): Program {
  const b = c.trace.builder;
  const order = [...leading, ...vars.map((v) => c.trace.variables.get(v)!.input), ...middle, ...captured.map((o) => c.trace.captures.get(o)!)];
  const labels = order.map((id) => b.inputLabels[b.inputs.indexOf(id)]!);
  b.inputs.splice(0, b.inputs.length, ...order);
  b.inputLabels.splice(0, b.inputLabels.length, ...labels);
  return b.finish([...outputs], outputs.map((_, k) => `out${k}`), outputs.length);
}

export function activeTrace(): Trace | null {
  const t = currentTrace();
  return t?.active ? t : null;
}

function intBound(what: string, name: string, x: unknown): number {
  requireStatic(`${what}: the ${name} bound`, x);
  if (x instanceof NDArray) throw new TracerError(`${what}: ${name} must be a JS integer (loop bounds are static); use np.whileLoop for a data-dependent trip count`);
  if (!Number.isInteger(x) || Math.abs(x as number) > 2 ** 31 - 1) throw new ArgumentError(`${what}: ${name} must be an int32 integer, got ${String(x)}`);
  return x as number;
}

// ---- the primitives ----

/**
 * `for (i = lower; i < upper; i++) carry = body(i, carry)`; returns the final carry.
 * `i` is an int32 scalar array. A body that only updates Variables needs no carry.
 */
export function forLoop<C = undefined>(lower: number, upper: number, body: (i: NDArray, carry: C) => C | void, init?: C): C {
  const lo = intBound("forLoop", "lower", lower);
  const hi = intBound("forLoop", "upper", upper);
  if (typeof body !== "function") throw new ArgumentError("forLoop: body must be a function (i, carry) => carry");
  return runLoop("forLoop", lo, hi, (i, c) => [body(i, c as C), undefined], init, undefined, false)[0] as C;
}

/**
 * `scan(body, init, xs, length?)`: for each row x of xs (leading axis), `[carry, y] = body(carry, x)`;
 * returns `[finalCarry, ys]` with the y's stacked along a new leading axis. With
 * `xs` undefined, `length` gives the number of steps and the body gets x = undefined.
 */
export function scan<C, X, Y>(body: (carry: C, x: X) => [C, Y], init: C, xs: X, length?: number): [C, Y] {
  if (typeof body !== "function") throw new ArgumentError("scan: body must be a function (carry, x) => [carry, y]");
  const xLeaves = carryLeaves("scan", xs, "xs");
  if (xs === undefined || xs === null) {
    if (length === undefined) throw new ArgumentError("scan: pass xs (arrays to scan over) or a length (the number of steps): got neither");
    const len = intBound("scan", "length", length);
    if (len < 0) throw new ArgumentError(`scan: length must be >= 0, got ${len}`);
    return runLoop("scan", 0, len, (_i, c) => body(c as C, undefined as X) as [unknown, unknown], init, undefined, true) as [C, Y];
  }
  if (xLeaves.length === 0) throw new ArgumentError("scan: xs must contain at least one array");
  const n = xLeaves[0]!.shape[0];
  if (length !== undefined && length !== n) throw new ShapeError(`scan: length ${length} does not match the leading axis of xs (${n})`);
  for (const x of xLeaves) {
    if (x.ndim === 0 || x.shape[0] !== n) throw new ShapeError(`scan: every array in xs needs the same leading axis length; got shapes ${xLeaves.map((a) => fmtShape(a.shape)).join(", ")}`);
  }
  const fn = (_i: NDArray, c: unknown, x?: unknown) => {
    const r = body(c as C, x as X);
    if (!Array.isArray(r) || r.length !== 2) throw new ArgumentError("scan: body must return [carry, y]");
    return r as [unknown, unknown];
  };
  return runLoop("scan", 0, n ?? 0, fn, init, xs, true) as [C, Y];
}

type LoopBody = (i: NDArray, carry: unknown, x?: unknown) => [unknown, unknown];

/** The loop behind forLoop and scan; `collect` stacks the body's y outputs. */
export function runLoop(what: string, lo: number, hi: number, body: LoopBody, init: unknown, xs: unknown, collect: boolean): [unknown, unknown] {
  const initLeaves = carryLeaves(what, init, "carry");
  const parent = activeTrace();
  if (parent === null) return eagerLoop(what, lo, hi, body, init, initLeaves, xs, collect);
  const xLeaves = xs === undefined ? [] : carryLeaves(what, xs, "xs");
  const nC = initLeaves.length;
  let yTree: unknown;
  const child = traceChild(
    parent,
    what,
    [{ shape: [], dtype: "int32" }, ...initLeaves, ...xLeaves.map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype }))],
    ["i", ...initLeaves.map((_, k) => `carry${k}`), ...xLeaves.map((_, k) => `x${k}`)],
    (ins) => {
      const carry = unflatten(init, (k) => ins[1 + k]);
      const x = xs === undefined ? undefined : unflatten(xs, (k) => ins[1 + nC + k]);
      return body(ins[0]!, init === undefined ? undefined : carry, x);
    },
    (r) => {
      const [c, y] = r as [unknown, unknown];
      const cs = init === undefined ? [] : checkCarry(what, init, initLeaves, c);
      yTree = y;
      return [...cs, ...(collect ? carryLeaves(what, y, "y") : [])];
    },
  );
  const { vars, captured } = align(parent, [child]);
  const ins = child.inputs;
  const carryOut = child.outputs.slice(0, nC);
  const yOut = child.outputs.slice(nC);
  const sub = subProgram(child, ins.slice(0, 1 + nC), vars, ins.slice(1 + nC), captured, [...carryOut, ...vars.map((v) => child.trace.variables.get(v)!.current), ...yOut]);
  const nCarry = nC + vars.length;
  if (nCarry + yOut.length === 0) return [init, undefined]; // nothing observable: the loop is dead
  const args = [...initLeaves.map((x) => parent.idOf(x)), ...vars.map((v) => parent.readVariable(v)), ...xLeaves.map((x) => parent.idOf(x)), ...captured];
  const outInfos = [...sub.outputs.slice(0, nCarry).map((id) => sub.values[id]!), ...yOut.map((id) => ({ shape: [hi > lo ? hi - lo : 0, ...sub.values[id]!.shape], dtype: sub.values[id]!.dtype }))];
  const outs = parent.builder.emitMulti("loop", args, outInfos, { subs: [sub], lo, hi, nCarry, nXs: xLeaves.length });
  vars.forEach((v, k) => parent.writeVariable(v, outs[nC + k]!));
  const carry = init === undefined ? undefined : unflatten(init, (k) => parent.wrap(outs[k]!));
  const ys = collect ? unflatten(yTree, (k) => parent.wrap(outs[nCarry + k]!)) : undefined;
  return [carry, ys];
}

function eagerLoop(what: string, lo: number, hi: number, body: LoopBody, init: unknown, initLeaves: NDArray[], xs: unknown, collect: boolean): [unknown, unknown] {
  let carry = init === undefined ? undefined : unflatten(init, (k) => initLeaves[k]);
  let leaves = initLeaves;
  const xLeaves = xs === undefined ? [] : carryLeaves(what, xs, "xs");
  const rows: NDArray[][] = [];
  let yTree: unknown;
  for (let i = lo; i < hi; i++) {
    const x = xs === undefined ? undefined : unflatten(xs, (k) => row(xLeaves[k]!, i - lo));
    const [c, y] = body(fromData(i, "int32", what), carry, x);
    if (init !== undefined) {
      leaves = checkCarry(what, init, leaves, c);
      carry = unflatten(init, (k) => leaves[k]);
    }
    if (collect) {
      yTree = y;
      rows.push(carryLeaves(what, y, "y"));
    }
  }
  if (!collect) return [carry, undefined];
  if (rows.length === 0) return [carry, zeroStepYs(what, body, init, initLeaves, xs, xLeaves)];
  return [carry, unflatten(yTree, (k) => stack(rows.map((r) => r[k]!)))];
}

/**
 * The stacked ys of a scan that runs no step: empty arrays whose row types come from
 * tracing the body once abstractly (as under jit, where the body is always traced),
 * which also checks the carry it returns. Nothing runs: the trace is dropped.
 */
function zeroStepYs(what: string, body: LoopBody, init: unknown, initLeaves: readonly NDArray[], xs: unknown, xLeaves: readonly NDArray[]): unknown {
  const t = new Trace(`${what} (no steps)`);
  const infos: ValueInfo[] = [{ shape: [], dtype: "int32" }, ...initLeaves, ...xLeaves.map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype }))];
  const ins = infos.map((info, k) => t.input(info, `in${k}`));
  const nC = initLeaves.length;
  const y = withTrace(t, () => {
    const carry = init === undefined ? undefined : unflatten(init, (k) => ins[1 + k]);
    const [c, row] = body(ins[0]!, carry, xs === undefined ? undefined : unflatten(xs, (k) => ins[1 + nC + k]));
    if (init !== undefined) checkCarry(what, init, initLeaves, c);
    return row;
  });
  const yLeaves = carryLeaves(what, y, "y");
  return unflatten(y, (k) => new NDArray([0, ...yLeaves[k]!.shape], yLeaves[k]!.dtype, allocate(yLeaves[k]!.dtype, 0)));
}

function row(x: NDArray, i: number): NDArray {
  const data = x._concrete("scan");
  const n = x.shape.slice(1).reduce((a, b) => a * b, 1);
  return new NDArray(x.shape.slice(1), x.dtype, data.slice(i * n, (i + 1) * n));
}

function stack(xs: readonly NDArray[]): NDArray {
  const first = xs[0]!;
  const n = first.size;
  const data = allocate(first.dtype, n * xs.length);
  xs.forEach((x, k) => data.set(x._concrete("scan"), k * n));
  return new NDArray([xs.length, ...first.shape], first.dtype, data);
}

/** `while (cond(carry)) carry = body(carry)`; `cond` returns a boolean scalar array. */
export function whileLoop<C>(cond: (carry: C) => ArrayLike, body: (carry: C) => C, init: C): C {
  if (typeof cond !== "function" || typeof body !== "function") throw new ArgumentError("whileLoop: cond and body must be functions of the carry");
  const initLeaves = carryLeaves("whileLoop", init, "carry");
  const pred = (x: ArrayLike) => reshape(castTo(asArray("whileLoop condition", x), "bool"), []);
  const parent = activeTrace();
  if (parent === null) {
    let carry = unflatten(init, (k) => initLeaves[k]) as C;
    let leaves = initLeaves;
    while (pred(scalarCheck("whileLoop", cond(carry))).item()) {
      leaves = checkCarry("whileLoop", init, leaves, body(carry));
      carry = unflatten(init, (k) => leaves[k]) as C;
    }
    return carry;
  }
  const labels = initLeaves.map((_, k) => `carry${k}`);
  const wrap = (ins: NDArray[]) => unflatten(init, (k) => ins[k]) as C;
  const c = traceChild(parent, "whileLoop.cond", initLeaves, labels, (ins) => cond(wrap(ins)), (r) => [pred(scalarCheck("whileLoop", r as ArrayLike))]);
  for (const [v, slot] of c.trace.variables) {
    if (slot.current !== slot.input) throw new TracerError(`whileLoop: the condition assigns Variable#${v.uid}; only the body may change state`);
  }
  const b = traceChild(parent, "whileLoop.body", initLeaves, labels, (ins) => body(wrap(ins)), (r) => checkCarry("whileLoop", init, initLeaves, r));
  const { vars, captured } = align(parent, [c, b]);
  const condSub = subProgram(c, c.inputs, vars, [], captured, c.outputs);
  const bodySub = subProgram(b, b.inputs, vars, [], captured, [...b.outputs, ...vars.map((v) => b.trace.variables.get(v)!.current)]);
  const nCarry = initLeaves.length + vars.length;
  if (nCarry === 0) throw new ArgumentError("whileLoop: the loop carries nothing and assigns no Variable, so it can have no effect");
  const args = [...initLeaves.map((x) => parent.idOf(x)), ...vars.map((v) => parent.readVariable(v)), ...captured];
  const outs = parent.builder.emitMulti("while", args, bodySub.outputs.map((id) => bodySub.values[id]!), { subs: [condSub, bodySub], nCarry });
  vars.forEach((v, k) => parent.writeVariable(v, outs[initLeaves.length + k]!));
  return unflatten(init, (k) => parent.wrap(outs[k]!)) as C;
}

function scalarCheck(what: string, x: ArrayLike): ArrayLike {
  if (x instanceof NDArray && x.size !== 1) throw new ShapeError(`${what}: the condition must be a scalar, got shape ${fmtShape(x.shape)}`);
  return x;
}

/** `pred ? thenFn(...operands) : elseFn(...operands)`, with both branches compiled under jit. */
export function cond<R>(pred: ArrayLike, thenFn: (...operands: any[]) => R, elseFn: (...operands: any[]) => R, ...operands: unknown[]): R {
  if (typeof thenFn !== "function" || typeof elseFn !== "function") throw new ArgumentError("cond: thenFn and elseFn must be functions");
  const p = reshape(castTo(asArray("cond predicate", scalarCheck("cond", pred)), "bool"), []);
  const parent = activeTrace();
  if (parent === null || (p._trace === null && !p._isVar)) {
    return (p.item() ? thenFn : elseFn)(...operands);
  }
  const opLeaves = carryLeaves("cond", operands, "operands");
  const labels = opLeaves.map((_, k) => `operand${k}`);
  const wrap = (ins: NDArray[]) => unflatten(operands, (k) => ins[k]) as unknown[];
  let thenTree: unknown;
  let thenLeaves: NDArray[] = [];
  const t = traceChild(parent, "cond.then", opLeaves, labels, (ins) => thenFn(...wrap(ins)), (r) => {
    thenTree = r;
    return (thenLeaves = carryLeaves("cond", r, "result"));
  });
  const e = traceChild(parent, "cond.else", opLeaves, labels, (ins) => elseFn(...wrap(ins)), (r) => checkCarry("cond", thenTree, thenLeaves, r, "branch"));
  const { vars, captured } = align(parent, [t, e]);
  const finalOf = (c: Traced) => [...c.outputs, ...vars.map((v) => c.trace.variables.get(v)!.current)];
  const thenSub = subProgram(t, t.inputs, vars, [], captured, finalOf(t));
  const elseSub = subProgram(e, e.inputs, vars, [], captured, finalOf(e));
  if (thenSub.outputs.length === 0) return thenTree as R;
  const args = [parent.idOf(p), ...opLeaves.map((x) => parent.idOf(x)), ...vars.map((v) => parent.readVariable(v)), ...captured];
  const outs = parent.builder.emitMulti("cond", args, thenSub.outputs.map((id) => thenSub.values[id]!), { subs: [thenSub, elseSub] });
  vars.forEach((v, k) => parent.writeVariable(v, outs[thenLeaves.length + k]!));
  return unflatten(thenTree, (k) => parent.wrap(outs[k]!)) as R;
}
