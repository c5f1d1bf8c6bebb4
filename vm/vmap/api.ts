// vmap: a function of one example turned into a function of a batch. Each call traces
// the function on one example's types (a child of the active trace, if any, so the
// values it closes over are captured as under jit), then emits the traced program for
// all lanes at once through the np-level ops (vm/vmap/transform.ts): eagerly outside
// jit, into the outer program under jit, into an outer vmap's trace for vmap(vmap(f)).
// Axes follow JAX's in_axes/out_axes: a number or null for every leaf, or a tree that
// matches the arguments (the result) down to where a number or null covers a subtree.

import { ArgumentError, ShapeError, fmtShape, show } from "../../ir/errors.js";
import { normalizeAxis } from "../../ir/shape.js";
import { moveAxis, withBatch, type Batched } from "../../ir/vmap/rules.js";
import { activeTrace } from "../control.js";
import { NDArray } from "../ndarray.js";
import { rngState, withLanes } from "../random.js";
import { Trace, withTrace } from "../trace.js";
import { NO_STATICS, flatten, isPlainObject, unflatten, unflattenArgs, type Leaf } from "../tree.js";
import { BND } from "./bops.js";
import { batchProgram } from "./transform.js";

/** A batch axis for every leaf below (a number, negative from the end; null: not batched), or a tree of them matching the value's structure. */
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

export interface VmapOptions {
  /** The batch axis of each argument (default 0 for every array): a number, null, or an array with one entry per argument. */
  inAxes?: AxisSpec;
  /** Where the batch axis goes in each result (default 0): a number, null (the result must not depend on the batch), or a tree matching the result. */
  outAxes?: AxisSpec;
}

type Fn = (...args: any[]) => any;
type B = Batched<NDArray>;

const describeSpec = (s: unknown) => (Array.isArray(s) ? `an array of ${s.length}` : isPlainObject(s) ? `a record {${Object.keys(s).join(", ")}}` : show(s));

function checkSpec(what: string, name: string, s: unknown, path: string): void {
  if (s === null || typeof s === "number") {
    if (typeof s === "number" && !Number.isInteger(s)) throw new ArgumentError(`${what}: ${name}${path} must be an integer axis or null, got ${show(s)}`);
    return;
  }
  if (Array.isArray(s)) return s.forEach((e, i) => checkSpec(what, name, e, `${path}[${i}]`));
  if (isPlainObject(s)) return Object.keys(s).forEach((k) => checkSpec(what, name, s[k], `${path}.${k}`));
  throw new ArgumentError(`${what}: ${name}${path} must be a number, null, or an array/record of them, got ${show(s)}`);
}

/** The axis of every leaf of `x` (in `flatten`'s order) under the spec `s`, which covers a subtree with a number or null. */
function leafAxes(what: string, name: string, s: AxisSpec, x: unknown, path: string, traced: boolean): (number | null)[] {
  if (s === null || typeof s === "number") return flatten(x, path, [], what, traced).map(() => s);
  const leaves = flatten(x, path, [], what, traced);
  const isLeaf = leaves.length === 1 && leaves[0]!.path === path;
  if (Array.isArray(s)) {
    if (!Array.isArray(x) || isLeaf || x.length !== s.length) {
      throw new ArgumentError(`${what}: ${name} gives ${describeSpec(s)} for ${path}, which is ${Array.isArray(x) && !isLeaf ? `an array of ${x.length}` : describeValue(x)}; the spec must match its structure (or be one number or null for all of it)`);
    }
    return x.flatMap((y, i) => leafAxes(what, name, s[i]!, y, `${path}[${i}]`, traced));
  }
  const keys = Object.keys(s);
  if (!isPlainObject(x) || keys.length !== Object.keys(x).length || keys.some((k) => !(k in x))) {
    throw new ArgumentError(`${what}: ${name} gives ${describeSpec(s)} for ${path}, which is ${isPlainObject(x) ? `a record {${Object.keys(x).join(", ")}}` : describeValue(x)}; the spec must match its structure (or be one number or null for all of it)`);
  }
  return Object.keys(x).flatMap((k) => leafAxes(what, name, (s as Record<string, AxisSpec>)[k]!, x[k], `${path}.${k}`, traced));
}

function describeValue(x: unknown): string {
  if (x instanceof NDArray) return `an array of shape ${fmtShape(x.shape)}`;
  if (Array.isArray(x)) return "a numeric array";
  return show(x);
}

/** The arguments' axes: a number or null for all, one entry per argument, or a record for a single record argument. */
function argAxes(what: string, inAxes: AxisSpec, args: readonly unknown[]): (number | null)[][] {
  if (inAxes === null || typeof inAxes === "number") return args.map((a, i) => leafAxes(what, "inAxes", inAxes, a, `args[${i}]`, true));
  if (Array.isArray(inAxes)) {
    if (inAxes.length !== args.length) {
      throw new ArgumentError(`${what}: inAxes has ${inAxes.length} entries but the function was called with ${args.length} argument${args.length === 1 ? "" : "s"}; give one entry (a number, null or a tree) per argument`);
    }
    return args.map((a, i) => leafAxes(what, "inAxes", inAxes[i]!, a, `args[${i}]`, true));
  }
  if (args.length !== 1) throw new ArgumentError(`${what}: inAxes is a record, which matches a single record argument, but the function was called with ${args.length} arguments; use an array with one entry per argument`);
  return [leafAxes(what, "inAxes", inAxes, args[0], "args[0]", true)];
}

interface Mapped {
  path: string;
  axis: number;
  size: number;
}

/** The batch size all mapped leaves agree on; a clear error naming them when they do not. */
function batchSize(what: string, mapped: readonly Mapped[]): number {
  if (mapped.length === 0) throw new ArgumentError(`${what}: no argument is batched (every inAxes entry is null or names no array); map at least one array argument over an axis`);
  const n = mapped[0]!.size;
  if (mapped.some((m) => m.size !== n)) {
    const list = mapped.map((m) => `${m.path} has size ${m.size} along axis ${m.axis}`).join(", ");
    throw new ShapeError(`${what}: the batched arguments must agree on the batch size, but ${list}`);
  }
  return n;
}

function stateError(what: string, v: { uid: number; dtype: string; shape: readonly number[] }): ArgumentError {
  return new ArgumentError(
    `${what}: the function assigns Variable#${v.uid} (${v.dtype}${fmtShape(v.shape)}); a batched function may read Variables but not assign them, ` +
      `since every lane would write its own value into the one Variable. To batch state, give it a batch axis: keep it in a Variable of shape [n, ...], ` +
      `pass its value as an argument and return the new state (v.value = vmap(step)(v.value, ...), inAxes and outAxes 0)`,
  );
}

/** Where each result leaf's batch axis goes. */
function placeResult(what: string, outAxes: AxisSpec, result: unknown, leaves: readonly Leaf[], outs: readonly B[], n: number): unknown {
  const axes = leafAxes(what, "outAxes", outAxes, result, "result", false);
  let k = 0;
  return unflatten(result, (i) => {
    const l = leaves[i]!;
    if (l.kind !== "array" && l.kind !== "var") return l.kind === "static" || l.kind === "scalar" ? l.value : undefined;
    const o = outs[k++]!;
    const axis = axes[i]!;
    if (axis === null) {
      if (o.b) throw new ArgumentError(`${what}: outAxes is null for ${l.path}, but it depends on the batched arguments (it differs per lane); give it an output axis`);
      return o.v;
    }
    const v = withBatch(BND, o, n);
    return moveAxis(BND, v, 0, normalizeAxis(`${what}: outAxes for ${l.path}`, axis, v.ndim));
  });
}

function callBatched(what: string, f: Fn, self: unknown, args: readonly unknown[], inAxes: AxisSpec, outAxes: AxisSpec): unknown {
  const axes = argAxes(what, inAxes, args);
  const leaves = args.flatMap((a, i) => flatten(a, `args[${i}]`, [], what, true));
  const flatAxes = axes.flat();
  const mapped: Mapped[] = [];
  const arrays: (NDArray | null)[] = leaves.map((l, i) => {
    const axis = flatAxes[i]!;
    if (axis === null) return null;
    if (l.kind === "scalar") throw new ArgumentError(`${what}: inAxes maps axis ${axis} of ${l.path}, a number (rank 0); give it inAxes null, or pass an array`);
    if (l.kind === "static") return null;
    const arr = l.kind === "var" ? l.v.value : l.arr;
    if (arr.ndim === 0) throw new ArgumentError(`${what}: inAxes maps axis ${axis} of ${l.path}, which has rank 0 (shape []); give it inAxes null`);
    const a = normalizeAxis(`${what}: inAxes for ${l.path}`, axis, arr.ndim);
    mapped.push({ path: l.path, axis: a, size: arr.shape[a]! });
    return moveAxis(BND, arr, a, 0);
  });
  const n = batchSize(what, mapped);
  const trace = new Trace(what, activeTrace());
  const feed = new Map<number, B>();
  const traced = unflattenArgs(args, NO_STATICS, (i) => {
    const l = leaves[i]!;
    const batched = arrays[i];
    if (batched) {
      const x = trace.input({ shape: batched.shape.slice(1), dtype: batched.dtype }, l.path);
      feed.set(x._id, { v: batched, b: true });
      return x;
    }
    if (l.kind === "array") {
      const x = trace.input(l.arr, l.path);
      if (l.arr._weak !== undefined) x._weak = l.arr._weak;
      feed.set(x._id, { v: l.arr, b: false });
      return x;
    }
    return l.kind === "var" ? l.v : l.value;
  });
  let outLeaves: Leaf[] = [];
  let outIds: number[] = [];
  const result = withTrace(trace, () =>
    withLanes(n, () => {
      const r = f.apply(self, traced);
      outLeaves = flatten(r, "result", [], what);
      outIds = outLeaves.flatMap((l) => (l.kind === "array" ? [trace.idOf(l.arr)] : l.kind === "var" ? [trace.readVariable(l.v)] : []));
      return r;
    }),
  );
  const { program, stateVars } = trace.finish(outIds, outIds.map((_, k) => `out${k}`));
  const rng = stateVars.indexOf(rngState());
  stateVars.forEach((v, k) => {
    if (k !== rng) throw stateError(what, v);
  });
  for (const [v, slot] of trace.variables) if (slot.input >= 0) feed.set(slot.input, { v: v.value, b: false });
  for (const [outer, inner] of trace.captures) feed.set(inner, { v: trace.parent!.wrap(outer), b: false });
  const outs = batchProgram(program, program.inputs.map((id) => feed.get(id)!), n);
  if (rng >= 0) rngState().value = outs[outIds.length + rng]!.v;
  return placeResult(what, outAxes, result, outLeaves, outs.slice(0, outIds.length), n);
}

/**
 * `f` mapped over a batch axis of its arguments: `vmap(f)(xs)` stacks `f(x)` for each
 * row `x` of `xs`, computed as one batched program. `inAxes` says which axis of each
 * argument is the batch (null: the same for every lane), `outAxes` where the batch
 * axis goes in each result.
 */
export function vmap<F extends Fn>(f: F, options: VmapOptions = {}): (...args: Parameters<F>) => any {
  if (typeof f !== "function") throw new ArgumentError(`vmap: expected a function, got ${f === null ? "null" : typeof f}`);
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new ArgumentError(`vmap: options must be an object like { inAxes, outAxes }, got ${show(options)}`);
  for (const k of Object.keys(options)) if (k !== "inAxes" && k !== "outAxes") throw new ArgumentError(`vmap: unknown option ${show(k)}; options are inAxes, outAxes`);
  const inAxes = options.inAxes === undefined ? 0 : options.inAxes;
  const outAxes = options.outAxes === undefined ? 0 : options.outAxes;
  checkSpec("vmap", "inAxes", inAxes, "");
  checkSpec("vmap", "outAxes", outAxes, "");
  const what = `vmap(${f.name || "anonymous"})`;
  return function (this: unknown, ...args: unknown[]) {
    return callBatched(what, f, this, args, inAxes, outAxes);
  } as (...args: Parameters<F>) => any;
}
