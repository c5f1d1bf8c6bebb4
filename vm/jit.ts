// jit(): traces a function (or an object's `call` method) once per signature and runs
// the compiled program. This file is the function-level part: options, the signature
// cache and its lookup, and the inspect report; each signature's own life (trace,
// tiers, counters, promotion, eviction) is vm/signature.ts.

import { ArgumentError } from "../ir/errors.js";
import type { PassName } from "../ir/passes/index.js";
import type { TypedArray } from "../ir/dtype.js";
import { explain, type InspectReport } from "./inspect.js";
import { NDArray } from "./ndarray.js";
import { Signature, TierPlan, type PolicyOptions } from "./signature.js";
import { availableTiers, checkTierName, type TierName } from "./tiers.js";
import { currentTrace, escapedError } from "./trace.js";
import { flatten, keyOf, matchFlat, missReason, type Leaf } from "./tree.js";

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
}

export type Jitted<F extends (...args: any[]) => any> = F & {
  /** A JSON-serialisable report of every signature, its tier, IR, listings and events. */
  inspect(): InspectReport;
  /** The same report as readable text. */
  explain(): string;
};

type Target = ((...args: any[]) => any) | { call(...args: any[]): any };

const OPTION_KEYS: readonly (keyof JitOptions)[] = ["name", "tier", "maxTier", "hot", "skipPasses", "exact", "osr"];

function checkOptions(options: unknown): JitOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ArgumentError(`jit: options must be an object like { tier, maxTier, hot }, got ${options === null ? "null" : typeof options}`);
  }
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.includes(k as keyof JitOptions)) throw new ArgumentError(`jit: unknown option ${JSON.stringify(k)}; options are ${OPTION_KEYS.join(", ")}`);
  }
  return options as JitOptions;
}

export function jit<F extends (...args: any[]) => any>(fn: F, options?: JitOptions): Jitted<F>;
export function jit<M extends { call(...args: any[]): any }>(obj: M, options?: JitOptions): Jitted<M["call"]>;
export function jit(target: Target, rawOptions?: JitOptions): Jitted<(...args: any[]) => any> {
  const options = checkOptions(rawOptions);
  let fn: (...args: any[]) => any;
  let self: unknown;
  if (typeof target === "function") fn = target as (...args: any[]) => any;
  else if (target !== null && typeof target === "object" && typeof (target as any).call === "function") {
    fn = (target as any).call;
    self = target;
  } else throw new ArgumentError(`jit: expected a function or an object with a call(...) method, got ${target === null ? "null" : typeof target}`);
  const name = options.name ?? (self ? `${(self as object).constructor.name}.call` : fn.name || "anonymous");
  const pinned = options.tier === undefined ? undefined : checkTierName("jit option tier", options.tier);
  const maxTier = options.maxTier === undefined ? availableTiers().at(-1)! : checkTierName("jit option maxTier", options.maxTier);
  const plan = new TierPlan(name, options, pinned, maxTier);

  const cache = new Map<string, Signature>();
  let totalCalls = 0;
  let last: Signature | undefined;

  const tracedLeaf = (trace: import("./trace.js").Trace, l: Leaf): unknown =>
    l.kind === "array" ? trace.input(l.arr, l.path) : l.kind === "var" ? l.v : l.value;

  function lookup(args: unknown[], inputs: TypedArray[]): Signature {
    // Fast path for the common loop: the same top-level arrays/statics as the last call.
    if (last !== undefined && last.flat && matchFlat(last.leaves, args)) {
      for (const a of args) if (a instanceof NDArray && !a._isVar) inputs.push(a._data!);
      return last;
    }
    const leaves = flatten(args, "args", [], `jit(${name})`);
    const key = keyOf(leaves);
    let sig = cache.get(key);
    if (!sig) {
      const reason = missReason(leaves, [...cache.values()].map((s) => s.leaves));
      cache.set(key, (sig = Signature.trace(plan, fn, self, args, leaves, key, reason, tracedLeaf)));
    }
    for (const l of leaves) {
      if (l.kind === "array") {
        if (l.arr._trace !== null) throw escapedError(l.arr);
        inputs.push(l.arr._data!);
      }
    }
    return (last = sig);
  }

  function call(this: unknown, ...args: unknown[]): unknown {
    // Inside another trace, a jitted function is simply inlined into the outer program.
    if (currentTrace()?.active) return fn.apply(self ?? this, args);
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
    signatures: [...cache.values()].map((s) => s.report()),
  });
  Object.defineProperties(jitted, {
    inspect: { value: report },
    explain: { value: () => explain(report()) },
    name: { value: name },
  });
  return jitted;
}
