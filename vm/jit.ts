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
import type { Executable, OsrHook, PendingCompile } from "../tiers/tier.js";
import { explain, type InspectReport, type TierEvent } from "./inspect.js";
import { log } from "./log.js";
import { NDArray } from "./ndarray.js";
import { DEFAULT_HOTNESS, TIER_ORDER, availableTiers, checkTierName, getTier, type Hotness, type TierName } from "./tiers.js";
import { Trace, currentTrace, escapedError, withTrace } from "./trace.js";
import { abstractLeaves, flatten, keyOf, matchFlat, missReason, readableSignature, unflatten, type Leaf } from "./tree.js";
import type { Variable } from "./variable.js";

export interface JitOptions {
  /** Name shown by inspect() and logs (default: the function's name). */
  name?: string;
  /** Pin every signature to this tier: no promotion. */
  tier?: TierName;
  /** Never promote past this tier. */
  maxTier?: TierName;
  /** When to leave the tier below: after `calls` calls or `ms` cumulative milliseconds in it. */
  hot?: { js?: Hotness; wasm?: Hotness };
  /** Passes to skip (for debugging and for the property suite). */
  skipPasses?: PassName[];
  /**
   * true (default): every tier gives tier 0's bits. false: tier 1 may compute float32
   * kernels in float64 and round at their outputs (faster; results differ by a few ulp).
   */
  exact?: boolean;
  /**
   * On-stack replacement: a compiled loop (np.forLoop/scan/whileLoop) still running after
   * this many iterations or milliseconds continues in the next tier; `false` disables it.
   */
  osr?: { iterations?: number; ms?: number } | false;
}

export type Jitted<F extends (...args: any[]) => any> = F & {
  /** A JSON-serialisable report of every signature, its tier, IR, listings and events. */
  inspect(): InspectReport;
  /** The same report as readable text. */
  explain(): string;
};

interface Signature {
  readonly key: string;
  readonly leaves: readonly Leaf[];
  /** Every leaf is a top-level argument (no nesting): eligible for the fast signature check. */
  readonly flat: boolean;
  readonly readable: string;
  readonly reason: string;
  readonly program: Program;
  readonly ir: string;
  readonly inputVars: readonly Variable[];
  readonly stateVars: readonly Variable[];
  /** Output tree (with the concrete/static leaves of the traced result) and the program output index of each array leaf. */
  readonly outTree: unknown;
  readonly outLeaves: readonly ({ out: number } | { value: unknown })[];
  tier: TierName;
  exec: Executable;
  /** Each tier's listing, printed on demand (tier 2 prints its WAT only when asked: see lazyListing). */
  readonly listings: Partial<Record<TierName, () => string>>;
  calls: number;
  totalMs: number;
  tierCalls: number;
  tierMs: number;
  readonly events: TierEvent[];
  readonly warnings: readonly string[];
  /** A background compile to the next tier (tier 2), polled at each call until ready. */
  pending?: { readonly handle: PendingCompile; readonly t0: number; readonly calls: number; readonly reason: string };
}

/** A signature this many times past its promotion threshold waits for a background compile instead of polling it. */
const VERY_HOT = 10;

/** Traces longer than this many ops (counting loop bodies once) get a warning about unrolled JS loops. */
const LONG_TRACE = 2000;
const DEFAULT_OSR = { iterations: 200, ms: 5 };

function countOps(p: Program): number {
  return p.body.reduce((n, i) => n + 1 + (i.subs?.reduce((m, s) => m + countOps(s), 0) ?? 0), 0);
}

type Target = ((...args: any[]) => any) | { call(...args: any[]): any };

export function jit<F extends (...args: any[]) => any>(fn: F, options?: JitOptions): Jitted<F>;
export function jit<M extends { call(...args: any[]): any }>(obj: M, options?: JitOptions): Jitted<M["call"]>;
export function jit(target: Target, options: JitOptions = {}): Jitted<(...args: any[]) => any> {
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
  const startTier: TierName = pinned ?? "interpreter";

  const cache = new Map<string, Signature>();
  let totalCalls = 0;
  let lastTier: TierName = startTier;

  function compileTo(sig: Pick<Signature, "program" | "listings" | "events" | "calls">, tier: TierName, profile: { calls: number; meanMs: number }): Executable {
    const exec = getTier(tier)!.compile(sig.program, options.exact === false ? { ...profile, exact: false } : profile, { osr: osrHook(sig) });
    sig.listings[tier] = lazyListing(exec);
    return exec;
  }

  function nextTier(from: TierName): TierName | undefined {
    if (pinned) return undefined;
    const next = TIER_ORDER.slice(TIER_ORDER.indexOf(from) + 1).find((t) => getTier(t));
    return next && TIER_ORDER.indexOf(next) <= TIER_ORDER.indexOf(maxTier) ? next : undefined;
  }

  /** Lets a tier hand a long-running loop to the next tier mid-call; every hand-over is an event. */
  function osrHook(sig: Pick<Signature, "events" | "calls">): OsrHook | undefined {
    if (options.osr === false) return undefined;
    const hook: OsrHook = {
      iterations: options.osr?.iterations ?? DEFAULT_OSR.iterations,
      ms: options.osr?.ms ?? DEFAULT_OSR.ms,
      compile(cont, iteration, from) {
        // A tier that cannot take this loop (e.g. one without control flow) is skipped for the next one.
        for (let to = nextTier(from); to; to = nextTier(to)) {
          const t0 = performance.now();
          const tier = getTier(to)!;
          // Never block a running loop on a compiler's one-time load: skip it, it loads in the background.
          if (tier.warm && !tier.warm()) {
            sig.events.push({ call: sig.calls, from, to: from, compileMs: 0, reason: `on-stack replacement to ${to} skipped at iteration ${iteration}: its compiler is still loading in the background` });
            continue;
          }
          try {
            const exec = tier.compile(cont, { calls: sig.calls, meanMs: 0 }, { osr: hook });
            const compileMs = performance.now() - t0;
            sig.events.push({ call: sig.calls, from, to, compileMs, reason: `on-stack replacement of a loop at iteration ${iteration}` });
            log(`${name}: OSR ${from} -> ${to} of a loop at iteration ${iteration} (compile ${compileMs.toFixed(2)} ms)`);
            return exec;
          } catch (e) {
            sig.events.push({ call: sig.calls, from, to: from, compileMs: performance.now() - t0, reason: `on-stack replacement to ${to} unavailable: ${(e as Error).message}` });
          }
        }
        return undefined;
      },
    };
    return hook;
  }

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
    const partial = { program, listings: {} as Signature["listings"], events: [] as TierEvent[], calls: 0 };
    let tier: TierName = startTier;
    let exec: Executable;
    try {
      exec = compileTo(partial, startTier, { calls: 0, meanMs: 0 });
    } catch (e) {
      // A pinned tier this environment refuses (e.g. `new Function` under a CSP) falls back to tier 0, with an event.
      if (!(e instanceof TierUnavailableError) || startTier === "interpreter") throw e;
      partial.events.push({ call: 0, from: startTier, to: "interpreter", compileMs: 0, reason: `${startTier} unavailable: ${e.message}` });
      log(`${name}: ${startTier} unavailable, using interpreter: ${e.message}`);
      exec = compileTo(partial, (tier = "interpreter"), { calls: 0, meanMs: 0 });
    }
    const compileMs = performance.now() - t0;
    const readable = readableSignature(leaves);
    const ops = countOps(program);
    log(`trace ${name}(${readable}): ${reason}; ${ops} ops, compiled to ${tier} in ${compileMs.toFixed(2)} ms`);
    partial.events.unshift({ call: 0, from: null, to: tier, compileMs, reason: `traced: ${reason}` });
    const warnings = ops > LONG_TRACE
      ? [`the trace has ${ops} ops: JS loops inside a jitted function unroll at trace time; use np.forLoop / np.scan / np.whileLoop to compile a loop once`]
      : [];
    if (warnings.length) log(`${name}(${readable}): ${warnings[0]}`);
    // `partial` becomes the signature, so OSR events recorded through its hook land in the report.
    return Object.assign(partial, {
      key, leaves: abstractLeaves(leaves), flat: leaves.every((l, i) => l.path === `args[${i}]`), readable, reason, ir: printProgram(program), inputVars, stateVars,
      outTree: result, outLeaves, tier, exec, warnings,
      totalMs: 0, tierCalls: 0, tierMs: 0,
    });
  }

  function maybePromote(sig: Signature): void {
    if (pinned) return;
    const order = TIER_ORDER.filter((t) => getTier(t));
    const idx = order.indexOf(sig.tier);
    const next = order[idx + 1];
    if (!next || TIER_ORDER.indexOf(next) > TIER_ORDER.indexOf(maxTier)) return;
    const th = { ...DEFAULT_HOTNESS[next as "js" | "wasm"], ...options.hot?.[next as "js" | "wasm"] };
    const byCalls = sig.tierCalls >= th.calls;
    const byTime = sig.tierMs >= th.ms;
    if (!byCalls && !byTime) return;
    const reason = byCalls ? `${sig.tierCalls} calls in ${sig.tier} (threshold ${th.calls})` : `${sig.tierMs.toFixed(2)} ms in ${sig.tier} (threshold ${th.ms} ms)`;
    if (getTier(next)!.compileAsync) return promoteAsync(sig, next, reason, sig.tierCalls >= VERY_HOT * th.calls || sig.tierMs >= VERY_HOT * th.ms);
    const t0 = performance.now();
    const from = sig.tier;
    try {
      sig.exec = compileTo(sig, next, { calls: sig.calls, meanMs: sig.totalMs / Math.max(1, sig.calls) });
      sig.tier = next;
    } catch (e) {
      // A tier that cannot run here (e.g. `new Function` refused) is skipped, never fatal.
      const compileMs = performance.now() - t0;
      sig.events.push({ call: sig.calls, from, to: from, compileMs, reason: `${next} unavailable: ${(e as Error).message}` });
      log(`${name}(${sig.readable}): ${next} unavailable, staying in ${from}: ${(e as Error).message}`);
      sig.tierCalls = sig.tierMs = -Infinity; // do not retry
      return;
    }
    const compileMs = performance.now() - t0;
    sig.tierCalls = 0;
    sig.tierMs = 0;
    sig.events.push({ call: sig.calls, from, to: next, compileMs, reason });
    log(`${name}(${sig.readable}): ${from} -> ${next} at call ${sig.calls} (${reason}; compile ${compileMs.toFixed(2)} ms)`);
  }

  /**
   * Promotion to a tier that compiles in the background: start the compile, then poll
   * it at every call (never waiting for the event loop, so this works inside a tight
   * synchronous loop) and keep running the current tier until it is ready; a very hot
   * signature blocks for it instead, so a long synchronous loop always gets there.
   */
  function promoteAsync(sig: Signature, next: TierName, reason: string, veryHot: boolean): void {
    const from = sig.tier;
    try {
      const p = (sig.pending ??= {
        handle: getTier(next)!.compileAsync!(sig.program, { calls: sig.calls, meanMs: sig.totalMs / Math.max(1, sig.calls) }),
        t0: performance.now(), calls: sig.calls, reason,
      });
      const exec = p.handle.poll() ?? (veryHot ? p.handle.wait(60_000) : undefined);
      if (!exec) return;
      sig.pending = undefined;
      sig.exec = exec;
      sig.tier = next;
      sig.listings[from]?.(); // print the tier left behind now, so its listing no longer holds the executable
      sig.listings[next] = lazyListing(exec);
      sig.tierCalls = 0;
      sig.tierMs = 0;
      const wall = performance.now() - p.t0;
      const how = `${p.reason}; compiled in the background, switched ${sig.calls - p.calls} calls and ${wall.toFixed(1)} ms after the request${veryHot ? " (waited: very hot)" : ""}`;
      sig.events.push({ call: sig.calls, from, to: next, compileMs: p.handle.compileMs, reason: how });
      log(`${name}(${sig.readable}): ${from} -> ${next} at call ${sig.calls} (${how}; compile ${p.handle.compileMs.toFixed(2)} ms)`);
    } catch (e) {
      sig.pending = undefined;
      sig.events.push({ call: sig.calls, from, to: from, compileMs: 0, reason: `${next} unavailable: ${(e as Error).message}` });
      log(`${name}(${sig.readable}): ${next} unavailable, staying in ${from}: ${(e as Error).message}`);
      sig.tierCalls = sig.tierMs = -Infinity; // do not retry
    }
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
    maybePromote(sig);
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

/**
 * An executable's listing, printed on the first request and then kept as text (the
 * executable is released). Printing can cost more than compiling: tier 2's WAT is
 * built by the compile worker only when inspect() asks for it.
 */
function lazyListing(exec: Executable): () => string {
  let e: Executable | undefined = exec;
  let text = "";
  return () => {
    if (e) {
      text = e.describe();
      e = undefined;
    }
    return text;
  };
}
