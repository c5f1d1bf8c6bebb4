// Argument and result trees. `jit` accepts any nesting of arrays and plain objects
// whose leaves are NDArrays, Variables, numbers, booleans, strings, null or undefined.
// The cache key is built from every leaf's path and description, so two calls share a
// compiled program exactly when their arrays have the same shapes and dtypes, their
// traced numbers the same weak kind (int or float: JS cannot tell 2 from 2.0, so the
// value decides, as for eager promotion), their static values are equal, and they
// pass the same Variables.
//
// Numbers are traced scalars unless their argument is static (jit options
// `staticArgnums`, `staticArgnames`): a changing learning rate, time or step size
// reuses the compiled program. Booleans, strings, null and undefined stay static: JS
// gives no hook for an object's truthiness, so a traced boolean in `if (flag)` would
// silently take the true branch instead of failing. A non-static JS array whose leaves
// are all numbers or booleans is an array argument, as np.array would make it, and so
// is a typed array (converted by value, ./typedarrays.ts).

import { shortName, weakKindOf, type WeakKind } from "../ir/dtype.js";
import { ArgumentError, fmtShape } from "../ir/errors.js";
import { array as npArray, fromData } from "./construct.js";
import { NDArray } from "./ndarray.js";
import type { Variable } from "./variable.js";

export type Leaf =
  | { kind: "array"; path: string; arr: NDArray; list?: true }
  | { kind: "var"; path: string; v: Variable }
  | { kind: "scalar"; path: string; weak: WeakKind; value: number }
  | { kind: "static"; path: string; value: unknown };

/** Which arguments are static (compile-time constants): positions, and keys of top-level record arguments. */
export interface Statics {
  readonly nums: ReadonlySet<number>;
  readonly names: ReadonlySet<string>;
}

export const NO_STATICS: Statics = { nums: new Set(), names: new Set() };

/** The leaves a cached signature keeps: arrays reduced to shape and dtype, so the cache never keeps caller data alive. */
export function abstractLeaves(leaves: readonly Leaf[]): Leaf[] {
  return leaves.map((l) => (l.kind === "array" ? { ...l, arr: new NDArray(l.arr.shape, l.arr.dtype, null) } : l.kind === "scalar" ? { ...l, value: NaN } : l));
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function typeName(x: unknown): string {
  if (typeof x === "function") return "a function";
  if (x === null || typeof x !== "object") return typeof x;
  return `a ${(x as object).constructor?.name ?? "object"}`;
}

/** A regular nested JS array of numbers/booleans (at least one element): np.array's input. */
function isNumericList(x: unknown[]): boolean {
  if (x.length === 0) return false;
  return x.every((y) => typeof y === "number" || typeof y === "boolean" || (Array.isArray(y) && isNumericList(y)));
}

/**
 * Visits the leaves of `x` in a fixed order (array index order, then object key order).
 * With `traced`, numbers become traced scalars and numeric JS arrays arrays; otherwise
 * both are static values.
 */
export function flatten(x: unknown, path: string, out: Leaf[], what: string, traced = false): Leaf[] {
  if (x instanceof NDArray) {
    out.push(x._isVar ? { kind: "var", path, v: x as Variable } : { kind: "array", path, arr: x });
  } else if (Array.isArray(x)) {
    if (traced && isNumericList(x)) out.push({ kind: "array", path, arr: npArray(x as number[]), list: true });
    else x.forEach((y, i) => flatten(y, `${path}[${i}]`, out, what, traced));
  } else if (traced && ArrayBuffer.isView(x)) {
    // As np.array: by value, and a DTypeError for views it refuses (BigInt64Array, DataView).
    out.push({ kind: "array", path, arr: fromData(x as never, undefined, `${what}: ${path}`), list: true });
  } else if (isPlainObject(x)) {
    for (const k of Object.keys(x)) flatten(x[k], `${path}.${k}`, out, what, traced);
  } else if (traced && typeof x === "number") {
    out.push({ kind: "scalar", path, weak: weakKindOf(x), value: x });
  } else if (x === null || x === undefined || typeof x === "number" || typeof x === "boolean" || typeof x === "string" || typeof x === "bigint") {
    out.push({ kind: "static", path, value: x });
  } else {
    throw new ArgumentError(
      `${what}: ${path} is ${typeName(x)}; jit accepts NDArrays, Variables, numbers, booleans, strings, null/undefined, ` +
        `typed arrays, and arrays or plain objects of them.${ArrayBuffer.isView(x) ? " A static argument cannot be a typed array: pass it as a traced argument." : ""}`,
    );
  }
  return out;
}

/** The leaves of a call's arguments, numbers traced except in static arguments. */
export function flattenArgs(args: readonly unknown[], what: string, statics: Statics): Leaf[] {
  const out: Leaf[] = [];
  args.forEach((a, i) => {
    const path = `args[${i}]`;
    if (statics.nums.has(i)) flatten(a, path, out, what, false);
    else if (statics.names.size > 0 && isPlainObject(a)) {
      for (const k of Object.keys(a)) flatten(a[k], `${path}.${k}`, out, what, !statics.names.has(k));
    } else flatten(a, path, out, what, true);
  });
  return out;
}

/** Rebuilds the arguments with each leaf replaced by `leafFn(leaf index)`, in `flattenArgs`' order. */
export function unflattenArgs(args: readonly unknown[], statics: Statics, leafFn: (i: number) => unknown): unknown[] {
  let i = 0;
  const rec = (y: unknown, traced: boolean): unknown => {
    if (y instanceof NDArray) return leafFn(i++);
    if (Array.isArray(y)) return traced && isNumericList(y) ? leafFn(i++) : y.map((z) => rec(z, traced));
    if (isPlainObject(y)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(y)) o[k] = rec(y[k], traced);
      return o;
    }
    return leafFn(i++);
  };
  return args.map((a, n) => {
    if (statics.nums.has(n)) return rec(a, false);
    if (statics.names.size > 0 && isPlainObject(a)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(a)) o[k] = rec(a[k], !statics.names.has(k));
      return o;
    }
    return rec(a, true);
  });
}

/** Rebuilds `x` with each leaf replaced by `leafFn(leaf index)`, in `flatten`'s order. */
export function unflatten(x: unknown, leafFn: (i: number) => unknown): unknown {
  let i = 0;
  const rec = (y: unknown): unknown => {
    if (y instanceof NDArray) return leafFn(i++);
    if (Array.isArray(y)) return y.map(rec);
    if (isPlainObject(y)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(y)) o[k] = rec(y[k]);
      return o;
    }
    return leafFn(i++);
  };
  return rec(x);
}

function staticStr(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** A leaf as people read it: `f32[3]`, `Variable#2 f32[10]`, `2.5`. */
export function describeLeaf(l: Leaf): string {
  switch (l.kind) {
    case "array": return `${shortName(l.arr.dtype)}${fmtShape(l.arr.shape)}`;
    case "var": return `Variable#${l.v.uid} ${shortName(l.v.dtype)}${fmtShape(l.v.shape)}`;
    case "scalar": return `${l.weak === "int" ? "int" : "float"} number`;
    case "static": return staticStr(l.value);
  }
}

/** Whether top-level `args` fit a flat signature's leaves exactly (no string building: the per-call fast path). */
export function matchFlat(leaves: readonly Leaf[], args: readonly unknown[]): boolean {
  if (args.length !== leaves.length) return false;
  for (let i = 0; i < args.length; i++) {
    const l = leaves[i]!;
    const a = args[i];
    if (l.kind === "array") {
      if (!(a instanceof NDArray) || a._isVar || a._trace !== null || a.dtype !== l.arr.dtype) return false;
      const s = a.shape;
      const t = l.arr.shape;
      if (s.length !== t.length) return false;
      for (let d = 0; d < s.length; d++) if (s[d] !== t[d]) return false;
    } else if (l.kind === "var") {
      if (a !== l.v) return false;
    } else if (l.kind === "scalar") {
      if (typeof a !== "number" || weakKindOf(a) !== l.weak) return false;
    } else if (!Object.is(a, l.value)) return false;
  }
  return true;
}

export function keyOf(leaves: readonly Leaf[]): string {
  return leaves.map((l) => `${l.path}${l.kind === "static" ? `=${typeof l.value}:` : l.kind === "scalar" ? "~" : ":"}${describeLeaf(l)}`).join("|");
}

/** The readable signature: top-level positional leaves bare, nested ones with their path. */
export function readableSignature(leaves: readonly Leaf[]): string {
  return leaves.map((l) => (/^args\[\d+\]$/.test(l.path) ? describeLeaf(l) : `${l.path.replace(/^args/, "")}=${describeLeaf(l)}`)).join(", ") || "()";
}

/** Why a new signature was traced: the leaves that differ from the closest cached one. */
export function missReason(leaves: readonly Leaf[], cached: readonly (readonly Leaf[])[]): string {
  if (cached.length === 0) return "first call";
  let best: string[] | undefined;
  for (const other of cached) {
    if (other.length !== leaves.length || other.some((l, i) => l.path !== leaves[i]!.path)) continue;
    const diffs: string[] = [];
    leaves.forEach((l, i) => {
      const o = other[i]!;
      const a = describeLeaf(l);
      const b = describeLeaf(o);
      if (a !== b || l.kind !== o.kind) diffs.push(`${l.path} is ${a} (cached: ${b})`);
    });
    if (!best || diffs.length <= best.length) best = diffs; // ties: the most recent signature
  }
  if (!best) return `argument structure differs from every cached signature (now: ${leaves.map((l) => l.path).join(", ") || "no arguments"})`;
  return best.join("; ");
}
