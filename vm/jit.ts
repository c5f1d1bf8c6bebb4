// jit(): traces a function (or an object's `call` method) once per signature and runs
// the compiled program. This file is the function-level part: options, the signature
// cache and its lookup, and the inspect report; each signature's own life (trace,
// tiers, counters, promotion, eviction) is vm/signature.ts.

import { ArgumentError, TracerError, show } from "../ir/errors.js";
import type { PassName } from "../ir/passes/index.js";
import type { TypedArray } from "../ir/dtype.js";
import { explain, type InspectReport } from "./inspect.js";
import { NDArray } from "./ndarray.js";
import { Signature, TierPlan, type PolicyOptions } from "./signature.js";
import { availableTiers, checkTierName, type TierName } from "./tiers.js";
import { currentTrace, escapedError, type Trace } from "./trace.js";
import { describeLeaf, flattenArgs, keyOf, matchFlat, missReason, type Leaf, type Statics } from "./tree.js";

export type { PolicyOptions };

export interface JitOptions extends PolicyOptions {
  /** Name shown by inspect() and logs (default: the function's name). */
  name?: string;
  /** Pin every signature to this tier: no promotion. */
  tier?: TierName;
  /** Never promote past this tier. */
  maxTier?: TierName;
  /** Passes to skip (for debugging and for the property suite). */
  skipPasses?: PassName[];
  /**
   * Positions of arguments that are compile-time constants: their numbers (and numeric
   * JS arrays) are baked into the program, and each new value traces a new signature.
   * Other numbers are traced scalars: a new value reuses the compiled program.
   */
  staticArgnums?: readonly number[];
  /** Keys of record (plain-object) arguments whose values are compile-time constants, as `staticArgnums` for positions. */
  staticArgnames?: readonly string[];
  /** Signatures kept per function (default 64); the least recently used is evicted, freeing its executables and wasm memory. */
  maxSignatures?: number;
}

export type Jitted<F extends (...args: any[]) => any> = F & {
  /** A JSON-serialisable report of every signature, its tier, IR, listings and events. */
  inspect(): InspectReport;
  /** The same report as readable text. */
  explain(): string;
};

type Target = ((...args: any[]) => any) | { call(...args: any[]): any };

const OPTION_KEYS: readonly (keyof JitOptions)[] = ["name", "tier", "maxTier", "hot", "skipPasses", "exact", "osr", "staticArgnums", "staticArgnames", "maxSignatures"];

/** Default `maxSignatures`: far above what a program with a few shapes needs, small enough that an unbounded stream of new signatures stays a few MB. */
export const DEFAULT_MAX_SIGNATURES = 64;
/** This many consecutive calls that each traced a new signature earn one warning (tf.function warns at 5 of the last 5). */
export const RETRACE_WARN = 8;
/** Nested inlining of one jitted function into a trace beyond this is endless recursion. */
const MAX_INLINE_DEPTH = 64;

function checkOptions(options: unknown): JitOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ArgumentError(`jit: options must be an object like { tier, maxTier, hot }, got ${options === null ? "null" : typeof options}`);
  }
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.includes(k as keyof JitOptions)) throw new ArgumentError(`jit: unknown option ${show(k)}; options are ${OPTION_KEYS.join(", ")}`);
  }
  const o = options as JitOptions;
  if (o.staticArgnums !== undefined && (!Array.isArray(o.staticArgnums) || o.staticArgnums.some((n) => !Number.isInteger(n) || n < 0))) {
    throw new ArgumentError(`jit: staticArgnums must be an array of argument positions (non-negative integers), got ${show(o.staticArgnums)}`);
  }
  if (o.staticArgnames !== undefined && (!Array.isArray(o.staticArgnames) || o.staticArgnames.some((n) => typeof n !== "string"))) {
    throw new ArgumentError(`jit: staticArgnames must be an array of record keys (strings), got ${show(o.staticArgnames)}`);
  }
  if (o.maxSignatures !== undefined && (!Number.isInteger(o.maxSignatures) || o.maxSignatures < 1)) {
    throw new ArgumentError(`jit: maxSignatures must be a positive integer, got ${String(o.maxSignatures)}`);
  }
  return o;
}

/** How a traced number explains itself where a static value is needed. */
function staticHint(name: string, path: string, names: boolean): string {
  const m = /^args\[(\d+)\](?:\.([^.[]+))?/.exec(path)!;
  const how = m[2] !== undefined && names
    ? `jit(${name}, { staticArgnames: ["${m[2]}"] }) (or { staticArgnums: [${m[1]}] } for the whole argument)`
    : `jit(${name}, { staticArgnums: [${m[1]}] })`;
  return `${path} of jit(${name}) is a traced number (numbers are traced scalars, so that a new value reuses the compiled program). Make it a compile-time constant with ${how}`;
}

export function jit<F extends (...args: any[]) => any>(fn: F, options?: JitOptions): Jitted<F>;
export function jit<M extends { call(...args: any[]): any }>(obj: M, options?: JitOptions): Jitted<M["call"]>;
export function jit(target: Target, rawOptions?: JitOptions): Jitted<(...args: any[]) => any> {
  const options = checkOptions(rawOptions);
  if (typeof target === "function") return jitWith(target as (...args: any[]) => any, undefined, options);
  if (target !== null && typeof target === "object" && typeof (target as any).call === "function") return jitWith((target as any).call, target, options);
  throw new ArgumentError(`jit: expected a function or an object with a call(...) method, got ${target === null ? "null" : typeof target}`);
}

/** @internal jit of `fn` called with `this` = `self` (a module: the fields it reads are checked before each call). */
export function jitWith(fn: (...args: any[]) => any, self: unknown, rawOptions: JitOptions): Jitted<(...args: any[]) => any> {
  const options = checkOptions(rawOptions);
  const name = options.name ?? (self ? `${(self as object).constructor.name}.call` : fn.name || "anonymous");
  const pinned = options.tier === undefined ? undefined : checkTierName("jit option tier", options.tier);
  const maxTier = options.maxTier === undefined ? availableTiers().at(-1)! : checkTierName("jit option maxTier", options.maxTier);
  const plan = new TierPlan(name, options, pinned, maxTier);

  const statics: Statics = { nums: new Set(options.staticArgnums ?? []), names: new Set(options.staticArgnames ?? []) };
  const maxSignatures = options.maxSignatures ?? DEFAULT_MAX_SIGNATURES;
  /** In least-recently-used order: a lookup that hits moves its signature to the end. */
  const cache = new Map<string, Signature>();
  let totalCalls = 0;
  let evicted = 0;
  let last: Signature | undefined;
  /** Consecutive calls that traced, and how often each argument path differed in them. */
  let retraceRun = 0;
  const changing = new Map<string, number>();
  const warnings: string[] = [];

  const tracedLeaf = (trace: Trace, l: Leaf): unknown => {
    if (l.kind === "array") return trace.input(l.arr, l.path);
    if (l.kind === "var") return l.v;
    if (l.kind === "static") return l.value;
    const x = trace.input({ shape: [], dtype: "float64" }, l.path);
    x._weak = l.weak;
    x._staticHint = staticHint(name, l.path, statics.names.size > 0 || /^args\[\d+\]\./.test(l.path));
    return x;
  };

  function pushInputs(leaves: readonly Leaf[], inputs: TypedArray[]): void {
    for (const l of leaves) {
      if (l.kind === "array") {
        if (l.arr._trace !== null) throw escapedError(l.arr);
        inputs.push(l.arr._data!);
      } else if (l.kind === "scalar") inputs.push(Float64Array.of(l.value));
    }
  }

  function noteRetrace(leaves: readonly Leaf[]): void {
    retraceRun++;
    if (last !== undefined && last.leaves.length === leaves.length) {
      leaves.forEach((l, i) => {
        const o = last!.leaves[i]!;
        if (o.path === l.path && (o.kind !== l.kind || describeLeaf(o) !== describeLeaf(l))) changing.set(l.path, (changing.get(l.path) ?? 0) + 1);
      });
    }
    if (retraceRun < RETRACE_WARN || warnings.length > 0) return;
    const top = [...changing].sort((a, b) => b[1] - a[1])[0]?.[0];
    const which = top === undefined ? "the argument structure keeps changing" : `the argument that keeps changing is ${top}`;
    const fix = top !== undefined && leaves.some((l) => l.path === top && l.kind === "static")
      ? ` (a static value: pass it as a traced number or an array, or drop it from staticArgnums/staticArgnames)`
      : top !== undefined ? ` (its shape or dtype: pad to a few sizes, or keep it the same)` : "";
    const w = `${retraceRun} of the last ${retraceRun} calls triggered retracing: ${which}${fix}. Each retrace compiles again; the cache keeps ${maxSignatures} signatures (jit option maxSignatures)`;
    warnings.push(w);
    console.warn(`tierjit: jit(${name}): ${w}`);
  }

  function lookup(args: unknown[], inputs: TypedArray[]): Signature {
    // Fast path for the common loop: the same top-level arrays/statics/number kinds as the last call.
    if (last !== undefined && last.flat && matchFlat(last.leaves, args) && last.stale() === undefined) {
      const leaves = last.leaves;
      for (let i = 0; i < args.length; i++) {
        const l = leaves[i]!;
        if (l.kind === "array") inputs.push((args[i] as NDArray)._data!);
        else if (l.kind === "scalar") inputs.push(Float64Array.of(args[i] as number));
      }
      retraceRun = 0;
      return last;
    }
    const leaves = flattenArgs(args, `jit(${name})`, statics);
    const key = keyOf(leaves);
    let sig = cache.get(key);
    const stale = sig?.stale();
    if (sig && stale !== undefined) {
      // A module field now holds something else: the compiled code would use (or update) the old one.
      cache.delete(key);
      sig.dispose();
      if (last === sig) last = undefined;
      sig = undefined;
    }
    if (sig) {
      cache.delete(key);
      cache.set(key, sig);
      retraceRun = 0;
      changing.clear();
    } else {
      noteRetrace(leaves);
      const reason = stale ?? missReason(leaves, [...cache.values()].map((s) => s.leaves));
      sig = Signature.trace(plan, fn, self, args, leaves, key, reason, (trace, i) => tracedLeaf(trace, leaves[i]!), statics);
      cache.set(key, sig);
      while (cache.size > maxSignatures) {
        const [oldKey, old] = cache.entries().next().value as [string, Signature];
        cache.delete(oldKey);
        old.dispose();
        evicted++;
      }
    }
    pushInputs(leaves, inputs);
    return (last = sig);
  }

  let inlining = 0;
  function call(this: unknown, ...args: unknown[]): unknown {
    // Inside another trace, a jitted function is simply inlined into the outer program.
    if (currentTrace()?.active) {
      if (inlining >= MAX_INLINE_DEPTH) {
        throw new TracerError(`jit(${name}) calls itself recursively while tracing (${MAX_INLINE_DEPTH} levels deep): tracing inlines every call, so JS recursion on traced values never ends; use np.whileLoop or np.forLoop for an iteration`);
      }
      inlining++;
      try {
        return fn.apply(self ?? this, args);
      } finally {
        inlining--;
      }
    }
    const inputs: TypedArray[] = [];
    const sig = lookup(args, inputs);
    totalCalls++;
    return sig.call(inputs);
  }

  const jitted = call as Jitted<(...args: any[]) => any>;
  const report = (): InspectReport => ({
    name,
    calls: totalCalls,
    tier: last?.finishedIn ?? plan.startTier,
    evictedSignatures: evicted,
    warnings: [...warnings],
    signatures: [...cache.values()].map((s) => s.report()),
  });
  Object.defineProperties(jitted, {
    inspect: { value: report },
    explain: { value: () => explain(report()) },
    name: { value: name },
  });
  return jitted;
}
