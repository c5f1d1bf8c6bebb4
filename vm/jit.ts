// jit(): traces a function (or an object's `call` method) once per signature,
// optimises the program, compiles it to the first tier, and runs it, promoting hot
// signatures to faster tiers. Each signature keeps its own profile, tier and events,
// which `inspect()` and `explain()` report.

import { ArgumentError, TierUnavailableError } from "../ir/errors.js";
import { optimize, type PassName } from "../ir/passes/index.js";
import { printProgram } from "../ir/printer.js";
import { fuse, printFused } from "../ir/fusion.js";
import type { Program } from "../ir/program.js";
import type { TypedArray } from "../ir/dtype.js";
import type { Executable } from "../tiers/tier.js";
import { explain, type InspectReport, type TierEvent } from "./inspect.js";
import { log } from "./log.js";
import { NDArray } from "./ndarray.js";
import { TierPolicy, lazyListing, type PolicyOptions, type Tiered } from "./promote.js";
import { availableTiers, checkTierName, getTier, type TierName } from "./tiers.js";
import { Trace, currentTrace, escapedError, withTrace } from "./trace.js";
import { abstractLeaves, flatten, keyOf, matchFlat, missReason, readableSignature, unflatten, type Leaf } from "./tree.js";
import type { Variable } from "./variable.js";

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

interface Signature extends Tiered {
  readonly key: string;
  readonly leaves: readonly Leaf[];
  /** Every leaf is a top-level argument (no nesting): eligible for the fast signature check. */
  readonly flat: boolean;
  readonly reason: string;
  readonly ir: string;
  readonly inputVars: readonly Variable[];
  readonly stateVars: readonly Variable[];
  /** Output tree (with the concrete/static leaves of the traced result) and the program output index of each array leaf. */
  readonly outTree: unknown;
  readonly outLeaves: readonly ({ out: number } | { value: unknown })[];
  readonly warnings: readonly string[];
}

/** Traces longer than this many ops (counting loop bodies once) get a warning about unrolled JS loops. */
const LONG_TRACE = 2000;

function countOps(p: Program): number {
  return p.body.reduce((n, i) => n + 1 + (i.subs?.reduce((m, s) => m + countOps(s), 0) ?? 0), 0);
}

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
  const policy = new TierPolicy(name, options, pinned, maxTier);
  const startTier = policy.startTier;

  const cache = new Map<string, Signature>();
  let totalCalls = 0;
  let lastTier: TierName = startTier;

  function traceSignature(args: unknown[], leaves: Leaf[], key: string): Signature {
    const t0 = performance.now();
    const reason = missReason(leaves, [...cache.values()].map((s) => s.leaves));
    const trace = new Trace(name);
    const tracedArgs = unflatten(args, (i) => {
      const l = leaves[i]!;
      return l.kind === "array" ? trace.input(l.arr, l.path) : l.kind === "var" ? l.v : l.value;
    }) as unknown[];
    const result = withTrace(trace, () => fn.apply(self, tracedArgs));
    const outFlat = flatten(result, "result", [], `jit(${name}) result`);
    const resultIds: number[] = [];
    const labels: string[] = [];
    const outLeaves = outFlat.map((l) => {
      if (l.kind === "array" && l.arr._trace !== null) {
        if (l.arr._trace !== trace) throw escapedError(l.arr);
        resultIds.push(l.arr._id);
        labels.push(l.path);
        return { out: resultIds.length - 1 };
      }
      return { value: l.kind === "array" ? l.arr : l.kind === "var" ? l.v : l.value };
    });
    const { program: raw, stateVars, inputVars } = trace.finish(resultIds, labels);
    const program = optimize(raw, options.skipPasses);
    const readable = readableSignature(leaves);
    const partial = { program, readable, listings: {} as Signature["listings"], events: [] as TierEvent[], calls: 0, totalMs: 0 };
    let tier: TierName = startTier;
    let exec: Executable;
    try {
      exec = policy.compileTo(partial, startTier);
    } catch (e) {
      // A pinned tier this environment refuses (e.g. `new Function` under a CSP) falls back to tier 0, with an event.
      if (!(e instanceof TierUnavailableError) || startTier === "interpreter") throw e;
      partial.events.push({ call: 0, from: startTier, to: "interpreter", compileMs: 0, reason: `${startTier} unavailable: ${e.message}` });
      log(`${name}: ${startTier} unavailable, using interpreter: ${e.message}`);
      exec = policy.compileTo(partial, (tier = "interpreter"));
    }
    const compileMs = performance.now() - t0;
    const ops = countOps(program);
    log(`trace ${name}(${readable}): ${reason}; ${ops} ops, compiled to ${tier} in ${compileMs.toFixed(2)} ms`);
    partial.events.unshift({ call: 0, from: null, to: tier, compileMs, reason: `traced: ${reason}` });
    const warnings = ops > LONG_TRACE
      ? [`the trace has ${ops} ops: JS loops inside a jitted function unroll at trace time; use np.forLoop / np.scan / np.whileLoop to compile a loop once`]
      : [];
    if (warnings.length) log(`${name}(${readable}): ${warnings[0]}`);
    // `partial` becomes the signature, so OSR events recorded through its hook land in the report.
    return Object.assign(partial, {
      key, leaves: abstractLeaves(leaves), flat: leaves.every((l, i) => l.path === `args[${i}]`), reason, ir: printProgram(program), inputVars, stateVars,
      outTree: result, outLeaves, tier, exec, warnings,
      tierCalls: 0, tierMs: 0,
    });
  }

  /** Re-points Variables at the storage an executable keeps them in (tier 2's wasm memory). */
  function adoptResident(sig: Signature): void {
    sig.stateVars.forEach((v, k) => {
      const b = sig.exec.stateBuffer!(k);
      if (b && v._data !== b) v._data = b;
    });
  }

  let last: Signature | undefined;

  function lookup(args: unknown[], inputs: TypedArray[]): Signature {
    // Fast path for the common loop: the same top-level arrays/statics as the last call.
    if (last !== undefined && last.flat && matchFlat(last.leaves, args)) {
      for (const a of args) if (a instanceof NDArray && !a._isVar) inputs.push(a._data!);
      return last;
    }
    const leaves = flatten(args, "args", [], `jit(${name})`);
    const key = keyOf(leaves);
    let sig = cache.get(key);
    if (!sig) cache.set(key, (sig = traceSignature(args, leaves, key)));
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
    for (const v of sig.inputVars) inputs.push(v._data!);
    const nResults = sig.program.outputs.length - sig.program.stateOutputs;
    const dest: (TypedArray | undefined)[] = new Array(nResults);
    for (const v of sig.stateVars) dest.push(v._data!);
    const t0 = performance.now();
    const outs = sig.exec.run(inputs, dest);
    const ms = performance.now() - t0;
    if (sig.exec.stateBuffer) adoptResident(sig);
    sig.calls++;
    sig.totalMs += ms;
    sig.tierCalls++;
    sig.tierMs += ms;
    totalCalls++;
    lastTier = sig.tier;
    policy.maybePromote(sig);
    return buildResult(sig, outs);
  }

  function buildResult(sig: Signature, outs: TypedArray[]): unknown {
    const program = sig.program;
    const make = (leaf: { out: number } | { value: unknown }): unknown => {
      if ("value" in leaf) return leaf.value;
      const v = program.values[program.outputs[leaf.out]!]!;
      return new NDArray(v.shape, v.dtype, outs[leaf.out]!);
    };
    if (sig.outTree instanceof NDArray) return make(sig.outLeaves[0]!);
    let k = 0;
    return unflatten(sig.outTree, () => make(sig.outLeaves[k++]!));
  }

  const jitted = call as Jitted<(...args: any[]) => any>;
  const report = (): InspectReport => ({
    name,
    calls: totalCalls,
    tier: lastTier,
    signatures: [...cache.values()].map((s) => ({
      signature: s.readable,
      calls: s.calls,
      tier: s.tier,
      meanMs: s.calls ? s.totalMs / s.calls : 0,
      traceReason: s.reason,
      ir: s.ir,
      bytecode: (s.listings.interpreter ??= lazyListing(getTier("interpreter")!.compile(s.program, { calls: 0, meanMs: 0 })))(),
      kernels: printFused(fuse(s.program)),
      ...(s.listings.js !== undefined ? { js: s.listings.js() } : {}),
      ...(s.listings.wasm !== undefined ? { wat: s.listings.wasm() } : {}),
      events: s.events.map((e) => ({ ...e })),
      warnings: [...s.warnings],
    })),
  });
  Object.defineProperties(jitted, {
    inspect: { value: report },
    explain: { value: () => explain(report()) },
    name: { value: name },
  });
  return jitted;
}
