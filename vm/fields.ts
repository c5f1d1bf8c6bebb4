// Module fields read while tracing. `jit(module)` (and jitted methods) trace with
// `this` behind a recording proxy: every own field the function reads, on the module
// and on the sub-modules, arrays and plain objects reached from it, is remembered with
// the object it held. Before each call the runtime compares every remembered field
// with what it holds now (one identity check per field): a field that now holds
// another Variable, array, sub-module or number retraces, with a reason naming it, so
// compiled code never keeps updating a Variable the module no longer holds, nor keeps
// using a replaced array. Number fields stay compile-time constants (BrainPy's rule):
// a new value is a new trace, as for a static argument.

import { fmtShape } from "../ir/errors.js";
import { shortName } from "../ir/dtype.js";
import { NDArray } from "./ndarray.js";

export interface FieldRead {
  readonly owner: object;
  readonly prop: string;
  readonly value: unknown;
  /** As people read it: `w`, `layers[0].b`. */
  readonly path: string;
}

function isContainer(v: unknown): v is object {
  if (v === null || typeof v !== "object" || v instanceof NDArray || ArrayBuffer.isView(v)) return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  // Plain records and class instances (Modules): anything whose fields a function reads as configuration or state.
  return proto !== null && !(v instanceof Map) && !(v instanceof Set) && !(v instanceof Promise) && typeof (v as { then?: unknown }).then !== "function";
}

/** `obj` behind a proxy that appends the own fields read through it (and through proxies of what they hold) to `reads`. */
export function recording<T extends object>(obj: T, reads: FieldRead[], path = ""): T {
  const proxies = new Map<string, object>();
  return new Proxy(obj, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof prop !== "string" || !Object.prototype.hasOwnProperty.call(target, prop) || typeof v === "function") return v;
      const p = Array.isArray(target) && /^\d+$/.test(prop) ? `${path}[${prop}]` : path ? `${path}.${prop}` : prop;
      if (!reads.some((r) => r.owner === target && r.prop === prop)) reads.push({ owner: target, prop, value: v, path: p });
      if (!isContainer(v)) return v;
      let px = proxies.get(prop);
      if (px === undefined) proxies.set(prop, (px = recording(v, reads, p)));
      return px;
    },
  });
}

function what(v: unknown): string {
  if (v instanceof NDArray) return `${v._isVar ? "Variable" : "array"} ${shortName(v.dtype)}${fmtShape(v.shape)}`;
  if (v === null) return "null";
  if (typeof v === "object") return `a ${(v as object).constructor?.name ?? "object"}`;
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** Why the fields read at trace time no longer hold what they held, or undefined when all do. */
export function staleField(reads: readonly FieldRead[]): string | undefined {
  for (const r of reads) {
    const now = (r.owner as Record<string, unknown>)[r.prop];
    if (Object.is(now, r.value)) continue;
    if (now instanceof NDArray && r.value instanceof NDArray) {
      const kind = now._isVar ? "another Variable" : "another array";
      const same = now._isVar === r.value._isVar && now.dtype === r.value.dtype && now.shape.length === r.value.shape.length && now.shape.every((d, i) => d === (r.value as NDArray).shape[i]);
      return `field ${r.path}: ${kind}${same ? "" : ` (${what(r.value)} -> ${what(now)})`}`;
    }
    if (typeof now === "object" && now !== null && typeof r.value === "object" && r.value !== null && now.constructor === r.value.constructor) return `field ${r.path}: another ${now.constructor?.name ?? "object"}`;
    return `field ${r.path}: ${what(r.value)} -> ${what(now)}`;
  }
  return undefined;
}
