// grad, valueAndGrad, vjp, jvp and stopGradient. Each call traces the function into an
// IR program (a child of the active trace, if any, so values it closes over are
// captured as under jit), then emits the program and its derivative through the
// np-level ops (vm/autodiff/transform.ts): eagerly outside jit, into the outer
// program under jit, and into an outer derivative's trace for grad(grad(f)).
// Variables the function assigns (model state, the np.random generator) are written
// back once, as a call of the function would: a gradient run draws the numbers the
// function's own run would have drawn, and they are constants of the derivative.

import { ArgumentError, DTypeError, ShapeError, fmtShape, show } from "../../ir/errors.js";
import { shortName } from "../../ir/dtype.js";
import type { Program } from "../../ir/program.js";
import { shapesEqual } from "../../ir/shape.js";
import { fromData } from "../construct.js";
import { activeTrace } from "../control.js";
import { NDArray, type ArrayLike } from "../ndarray.js";
import { asArray, castTo, elementwiseFns } from "../ops.js";
import { Trace, withTrace } from "../trace.js";
import { NO_STATICS, flatten, isPlainObject, unflatten, unflattenArgs, type Leaf } from "../tree.js";
import { Variable } from "../variable.js";
import { isFloat, jvpProgram, vjpProgram } from "./transform.js";
import { zeros } from "./adops.js";

export type VarsSpec = Variable | readonly Variable[] | Readonly<Record<string, Variable>>;

export interface GradOptions {
  /** Which arguments to differentiate: a position (one gradient) or an array of positions (an array of gradients). Default 0, or none when `vars` is given. */
  argnums?: number | readonly number[];
  /** Variables to differentiate with respect to: the gradients come back in the same structure. */
  vars?: VarsSpec;
  /** The function returns `[value, aux]`; aux is returned alongside, not differentiated. */
  hasAux?: boolean;
}

type Fn = (...args: any[]) => any;

/** A differentiated input: where its gradient goes and what it looks like. */
interface Wrt {
  /** Index among the program's inputs, or -1 when the function never reads it (zero gradient). */
  input: number;
  shape: readonly number[];
  dtype: NDArray["dtype"];
  /** A JS or traced number: its gradient is a float32 scalar. */
  weak: boolean;
}

interface TracedFn {
  program: Program;
  /** What to feed each program input now (the caller's arrays, Variables' values, captured outer values). */
  inputs: NDArray[];
  /** Per differentiated position, per leaf; null for a leaf without a gradient (null/undefined). */
  argWrt: (Wrt | null)[][];
  varWrt: Wrt[];
  stateVars: Variable[];
  nOut: number;
}

function fnName(f: Fn): string {
  return f.name || "anonymous";
}

function checkFloat(what: string, path: string, dtype: NDArray["dtype"], shape: readonly number[]): void {
  if (!isFloat(dtype)) {
    throw new DTypeError(`${what}: ${path} is ${shortName(dtype)}${fmtShape(shape)}; integer and bool inputs have no gradient (cast it with .astype("float32"), or leave it out of argnums/vars)`);
  }
}

/**
 * Traces `f` on `args` with the leaves of the positions `diff` (and the Variables
 * `vars`) as the inputs to differentiate; `outputsOf` picks the arrays the program
 * returns from the result (inside the trace).
 */
function traceFn(what: string, f: Fn, self: unknown, args: readonly unknown[], diff: readonly number[], vars: readonly Variable[], outputsOf: (result: unknown) => NDArray[]): TracedFn & { result: unknown } {
  const trace = new Trace(`${what}(${fnName(f)})`, activeTrace());
  const explicit = new Map<number, NDArray>(); // trace input id -> the value fed to it
  const leafWrt: { leaf: Leaf; id: number | Variable | null; weak: boolean }[][] = [];
  const traced = args.map((a, p) => {
    if (!diff.includes(p)) return a;
    const leaves = flatten(a, `args[${p}]`, [], what, true);
    const rows: (typeof leafWrt)[number] = [];
    const rebuilt = unflattenArgs([a], NO_STATICS, (i) => {
      const l = leaves[i]!;
      if (l.kind === "var") {
        checkFloat(what, l.path, l.v.dtype, l.v.shape);
        rows.push({ leaf: l, id: l.v, weak: false });
        return l.v;
      }
      if (l.kind === "array" || l.kind === "scalar") {
        const value = l.kind === "array" ? l.arr : fromData(l.value, "float64", what);
        const weak = l.kind === "scalar" || l.arr._weak !== undefined;
        if (!weak) checkFloat(what, l.path, value.dtype, value.shape);
        const x = trace.input(value, l.path);
        if (weak) x._weak = "float";
        explicit.set(x._id, value);
        rows.push({ leaf: l, id: x._id, weak });
        return x;
      }
      if (l.value === null || l.value === undefined) {
        rows.push({ leaf: l, id: null, weak: false });
        return l.value;
      }
      throw new DTypeError(`${what}: ${l.path} is ${show(l.value)}; only arrays, numbers and Variables have gradients (leave the argument out of argnums)`);
    })[0];
    leafWrt.push(rows);
    return rebuilt;
  });
  for (const v of vars) checkFloat(what, `Variable#${v.uid}`, v.dtype, v.shape);
  let outIds: number[] = [];
  const result = withTrace(trace, () => {
    const r = f.apply(self, traced);
    outIds = outputsOf(r).map((x) => trace.idOf(x));
    return r;
  });
  const { program, stateVars } = trace.finish(outIds, outIds.map((_, k) => `out${k}`));
  const feed = new Map(explicit);
  for (const [v, slot] of trace.variables) if (slot.input >= 0) feed.set(slot.input, v.value);
  for (const [outer, inner] of trace.captures) feed.set(inner, trace.parent!.wrap(outer));
  const inputs = program.inputs.map((id) => feed.get(id)!);
  const inputOf = (id: number | Variable): number => {
    const pid = id instanceof Variable ? (trace.variables.get(id)?.input ?? -1) : id;
    return pid < 0 ? -1 : program.inputs.indexOf(pid);
  };
  const wrt = (id: number | Variable, shape: readonly number[], dtype: NDArray["dtype"], weak: boolean): Wrt => ({ input: inputOf(id), shape, dtype, weak });
  const argWrt = leafWrt.map((rows) => rows.map((r) => {
    if (r.id === null) return null;
    const info = r.id instanceof Variable ? r.id : program.values[r.id]!;
    return wrt(r.id, info.shape, info.dtype, r.weak);
  }));
  return { program, inputs, argWrt, varWrt: vars.map((v) => wrt(v, v.shape, v.dtype, false)), stateVars, nOut: outIds.length, result };
}

/** The input mask of the differentiated inputs. */
function wrtMask(t: TracedFn): boolean[] {
  const mask = t.program.inputs.map(() => false);
  for (const w of [...t.argWrt.flat(), ...t.varWrt]) if (w && w.input >= 0) mask[w.input] = true;
  return mask;
}

/** A gradient per Wrt: the input's cotangent, or zeros; a number's as float32. */
function gradOf(w: Wrt, cts: readonly (NDArray | null)[]): NDArray {
  const g = (w.input >= 0 ? cts[w.input] : null) ?? zeros(w.shape, w.dtype);
  return w.weak ? castTo(g, "float32") : g;
}

/** Writes the Variables the function assigned, as its own call would have. */
function writeState(t: TracedFn, outs: readonly NDArray[]): void {
  t.stateVars.forEach((v, k) => (v.value = outs[t.nOut + k]!));
}

// ---- grad and valueAndGrad ----

function normArgnums(what: string, argnums: unknown, nArgs: number): number[] {
  const list = typeof argnums === "number" ? [argnums] : Array.isArray(argnums) ? argnums : null;
  if (list === null) throw new ArgumentError(`${what}: argnums must be an argument position or an array of positions, got ${show(argnums)}`);
  for (const n of list) {
    if (!Number.isInteger(n) || n < 0 || n >= nArgs) {
      throw new ArgumentError(`${what}: argnums ${show(argnums)} names argument ${show(n)}, but the function was called with ${nArgs} argument${nArgs === 1 ? "" : "s"}`);
    }
  }
  return list as number[];
}

function varsList(what: string, vars: unknown): { list: Variable[]; rebuild: (gs: NDArray[]) => unknown } {
  const check = (v: unknown, path: string): Variable => {
    if (!(v instanceof Variable)) throw new ArgumentError(`${what}: vars${path} must be a Variable, got ${v instanceof NDArray ? "an NDArray (pass it through argnums)" : show(v)}`);
    return v;
  };
  if (vars instanceof Variable) return { list: [vars], rebuild: (gs) => gs[0] };
  if (Array.isArray(vars)) return { list: vars.map((v, i) => check(v, `[${i}]`)), rebuild: (gs) => gs };
  if (isPlainObject(vars)) {
    const keys = Object.keys(vars);
    return { list: keys.map((k) => check(vars[k], `.${k}`)), rebuild: (gs) => Object.fromEntries(keys.map((k, i) => [k, gs[i]])) };
  }
  throw new ArgumentError(`${what}: vars must be a Variable, an array of Variables or a record of Variables (such as module.vars()), got ${show(vars)}`);
}

const GRAD_KEYS = ["argnums", "vars", "hasAux"];

function checkGradOptions(what: string, options: unknown): GradOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new ArgumentError(`${what}: options must be an object like { argnums, vars, hasAux }, got ${show(options)}`);
  for (const k of Object.keys(options)) if (!GRAD_KEYS.includes(k)) throw new ArgumentError(`${what}: unknown option ${show(k)}; options are ${GRAD_KEYS.join(", ")}`);
  const o = options as GradOptions;
  if (o.hasAux !== undefined && typeof o.hasAux !== "boolean") throw new ArgumentError(`${what}: hasAux must be a boolean, got ${show(o.hasAux)}`);
  return o;
}

function checkFn(what: string, f: unknown): asserts f is Fn {
  if (typeof f !== "function") throw new ArgumentError(`${what}: expected a function, got ${f === null ? "null" : typeof f}`);
}

/** The value a grad'ed function returns, as one float array of size 1. */
function scalarValue(what: string, v: unknown): NDArray {
  if (!(v instanceof NDArray) && typeof v !== "number") {
    throw new ArgumentError(`${what}: the function must return a scalar array${what.includes("hasAux") ? "" : " (or [value, aux] with { hasAux: true })"}, got ${show(v)}`);
  }
  const x = asArray(what, v);
  if (x.size !== 1) throw new ShapeError(`${what}: the function must return a scalar, got shape ${fmtShape(x.shape)}; for a non-scalar output use vjp(f, ...primals) with a cotangent (or reduce it, e.g. with .sum())`);
  if (!isFloat(x.dtype)) throw new DTypeError(`${what}: the function must return a float scalar, got ${shortName(x.dtype)}${fmtShape(x.shape)}`);
  return x;
}

function gradImpl(what: string, f: unknown, rawOptions: unknown): (self: unknown, args: unknown[]) => [NDArray, unknown, unknown] {
  checkFn(what, f);
  const options = checkGradOptions(what, rawOptions);
  const vs = options.vars === undefined ? null : varsList(what, options.vars);
  const hasAux = options.hasAux ?? false;
  return (self, args) => {
    const argnums = options.argnums === undefined ? (vs ? [] : [0]) : normArgnums(what, options.argnums, args.length);
    if (argnums.length === 0 && vs === null) throw new ArgumentError(`${what}: nothing to differentiate: argnums is empty and no vars are given`);
    let auxTree: unknown;
    let auxLeaves: Leaf[] = [];
    const t = traceFn(what, f, self, args, argnums, vs?.list ?? [], (r) => {
      let value = r;
      if (hasAux) {
        if (!Array.isArray(r) || r.length !== 2) throw new ArgumentError(`${what}: with hasAux the function must return [value, aux], got ${show(r)}`);
        [value, auxTree] = r;
        auxLeaves = flatten(auxTree, "aux", [], what);
      }
      const aux = auxLeaves.flatMap((l) => (l.kind === "array" ? [l.arr] : l.kind === "var" ? [l.v] : []));
      return [scalarValue(what, value), ...aux];
    });
    const lin = vjpProgram(t.program, t.inputs, wrtMask(t));
    const value = lin.outs[0]!;
    const ones = castTo(fromData(1, "float32", what), value.dtype);
    const cts = lin.back([value.size === 1 && value.shape.length > 0 ? ones.reshape(value.shape) : ones]);
    writeState(t, lin.outs);
    let k = 1;
    const aux = hasAux ? unflatten(auxTree, (i) => {
      const l = auxLeaves[i]!;
      return l.kind === "array" || l.kind === "var" ? lin.outs[k++] : l.kind === "static" || l.kind === "scalar" ? l.value : undefined;
    }) : undefined;
    const argGrads = t.argWrt.map((rows, q) => unflattenArgs([args[argnums[q]!]], NO_STATICS, (i) => {
      const w = rows[i];
      return w ? gradOf(w, cts) : null;
    })[0]);
    const varGrads = vs ? vs.rebuild(t.varWrt.map((w) => gradOf(w, cts))) : undefined;
    const argPart = typeof options.argnums === "number" || options.argnums === undefined ? argGrads[0] : argGrads;
    const grads = vs ? (options.argnums === undefined ? varGrads : [varGrads, argPart]) : argPart;
    return [value, grads, aux];
  };
}

/**
 * The gradient of `f`'s scalar output with respect to its argument(s) `argnums`
 * (default 0) and/or the Variables `vars`, with `f`'s parameters. With `hasAux`, `f`
 * returns `[value, aux]` and the result is `[grads, aux]`.
 */
export function grad<F extends Fn>(f: F, options?: GradOptions): (...args: Parameters<F>) => any {
  const run = gradImpl("grad", f, options);
  return function (this: unknown, ...args: unknown[]) {
    const [, grads, aux] = run(this, args);
    return options?.hasAux ? [grads, aux] : grads;
  } as (...args: Parameters<F>) => any;
}

/** `[value, grads]` (with `hasAux`: `[[value, aux], grads]`) in one pass. */
export function valueAndGrad<F extends Fn>(f: F, options?: GradOptions): (...args: Parameters<F>) => [any, any] {
  const run = gradImpl("valueAndGrad", f, options);
  return function (this: unknown, ...args: unknown[]) {
    const [value, grads, aux] = run(this, args);
    return [options?.hasAux ? [value, aux] : value, grads];
  } as (...args: Parameters<F>) => [any, any];
}

// ---- vjp and jvp ----

/** The array leaves of an output tree and a rebuild from per-leaf values. */
function outputTree(what: string, r: unknown): { arrays: NDArray[]; leaves: Leaf[] } {
  const leaves = flatten(r, "result", [], what);
  return { leaves, arrays: leaves.flatMap((l) => (l.kind === "array" ? [l.arr] : l.kind === "var" ? [l.v] : [])) };
}

function rebuildOut(tree: unknown, leaves: readonly Leaf[], arrays: readonly NDArray[]): unknown {
  let k = 0;
  return unflatten(tree, (i) => {
    const l = leaves[i]!;
    return l.kind === "array" || l.kind === "var" ? arrays[k++] : l.kind === "static" || l.kind === "scalar" ? l.value : undefined;
  });
}

/** A cotangent or tangent leaf given by the user, checked against the value it goes with. */
function matching(what: string, path: string, x: unknown, like: { shape: readonly number[]; dtype: NDArray["dtype"] }): NDArray {
  if (!(x instanceof NDArray) && typeof x !== "number" && !Array.isArray(x)) throw new ArgumentError(`${what}: ${path} must be an array or a number, got ${show(x)}`);
  let a = asArray(what, x as ArrayLike);
  if (typeof x === "number" || (x instanceof NDArray && x._weak !== undefined)) a = castTo(a, like.dtype);
  if (a.shape.length === 0 && like.shape.length > 0 && typeof x === "number") a = a.broadcastTo(like.shape);
  if (!shapesEqual(a.shape, like.shape) || a.dtype !== like.dtype) {
    throw new ShapeError(`${what}: ${path} is ${shortName(a.dtype)}${fmtShape(a.shape)} but must match ${shortName(like.dtype)}${fmtShape(like.shape)}`);
  }
  return a;
}

/**
 * `[out, vjpFn]`: `out = f(...primals)` and `vjpFn(ct)` (ct with out's structure)
 * returns the cotangents of every primal, an array with one tree per primal.
 */
export function vjp<F extends Fn>(f: F, ...primals: Parameters<F>): [any, (ct: unknown) => any[]] {
  checkFn("vjp", f);
  let tree: { arrays: NDArray[]; leaves: Leaf[] } = { arrays: [], leaves: [] };
  const diff = primals.map((_, i) => i);
  const t = traceFn("vjp", f, undefined, primals, diff, [], (r) => (tree = outputTree("vjp", r)).arrays);
  const lin = vjpProgram(t.program, t.inputs, wrtMask(t));
  writeState(t, lin.outs);
  const outs = lin.outs.slice(0, t.nOut);
  const out = rebuildOut(t.result, tree.leaves, outs);
  const vjpFn = (ct: unknown): any[] => {
    const ctLeaves = flatten(ct, "ct", [], "vjp", true);
    if (ctLeaves.length !== tree.leaves.length) throw new ShapeError(`vjp: the cotangent has ${ctLeaves.length} leaves but the output has ${tree.leaves.length}; it must have the output's structure`);
    const cts: (NDArray | null)[] = [];
    ctLeaves.forEach((l, i) => {
      const o = tree.leaves[i]!;
      if (o.kind !== "array" && o.kind !== "var") return;
      const like = outs[cts.length]!;
      cts.push(matching("vjp", l.path, l.kind === "array" ? l.arr : l.kind === "var" ? l.v : l.kind === "scalar" ? l.value : (l.value as unknown), like));
    });
    const g = lin.back(cts);
    return t.argWrt.map((rows, p) => unflattenArgs([primals[p]], NO_STATICS, (i) => {
      const w = rows[i];
      return w ? gradOf(w, g) : null;
    })[0]);
  };
  return [out, vjpFn];
}

/** `[out, tangentOut]`: f(...primals) and its directional derivative along `tangents` (one tree per primal). */
export function jvp<F extends Fn>(f: F, primals: readonly unknown[], tangents: readonly unknown[]): [any, any] {
  checkFn("jvp", f);
  if (!Array.isArray(primals) || !Array.isArray(tangents)) throw new ArgumentError("jvp: primals and tangents must be arrays (one entry per argument of f)");
  if (primals.length !== tangents.length) throw new ArgumentError(`jvp: ${primals.length} primals but ${tangents.length} tangents; give one tangent per primal`);
  let tree: { arrays: NDArray[]; leaves: Leaf[] } = { arrays: [], leaves: [] };
  const t = traceFn("jvp", f, undefined, primals, primals.map((_, i) => i), [], (r) => (tree = outputTree("jvp", r)).arrays);
  const tan: (NDArray | null)[] = t.program.inputs.map(() => null);
  t.argWrt.forEach((rows, p) => {
    const tl = flatten(tangents[p], `tangents[${p}]`, [], "jvp", true);
    if (tl.length !== rows.length) throw new ShapeError(`jvp: tangents[${p}] has ${tl.length} leaves but primals[${p}] has ${rows.length}; it must have the primal's structure`);
    rows.forEach((w, i) => {
      const l = tl[i]!;
      if (!w) return;
      const like = { shape: w.shape, dtype: w.weak ? ("float64" as const) : w.dtype };
      const x = l.kind === "array" ? l.arr : l.kind === "var" ? l.v : l.kind === "scalar" ? l.value : l.value;
      const v = matching("jvp", l.path, x, like);
      if (w.input >= 0) tan[w.input] = v;
    });
  });
  const { outs, touts } = jvpProgram(t.program, t.inputs, tan);
  writeState(t, outs);
  const res = outs.slice(0, t.nOut);
  const tres = res.map((o, k) => touts[k] ?? zeros(o.shape, o.dtype));
  return [rebuildOut(t.result, tree.leaves, res), rebuildOut(t.result, tree.leaves, tres)];
}

/** `x` itself, but a constant for differentiation: no gradient flows through it. */
export function stopGradient(x: ArrayLike): NDArray {
  return elementwiseFns.stopGradient(x);
}
