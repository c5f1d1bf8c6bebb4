// One signature's whole life, in one type: traced once (program, IR, the Variables it
// reads and writes, its output tree), compiled into its first tier, run and counted,
// promoted when hot (synchronously for tier 1, in the background for tier 2, which
// never blocks a call), handed over mid-call by on-stack replacement, skipping a tier
// that gives up, and finally released when the function's cache evicts it.
// Every transition, compile time and fallback is an event on the signature and logged
// (TIERJIT_LOG). `TierPlan` holds what all signatures of one jitted function share:
// its name, options, and which tiers promotion may reach.

import type { TypedArray } from "../ir/dtype.js";
import { TierUnavailableError } from "../ir/errors.js";
import { fuse, printFused } from "../ir/fusion.js";
import { optimize, type PassName } from "../ir/passes/index.js";
import { printProgram } from "../ir/printer.js";
import { isControlInstr, type Program } from "../ir/program.js";
import type { Executable, OsrHook, PendingCompile, ProfileView } from "../tiers/tier.js";
import type { SignatureReport, TierEvent } from "./inspect.js";
import { log } from "./log.js";
import { NDArray } from "./ndarray.js";
import { DEFAULT_HOTNESS, TIER_ORDER, getTier, type Hotness, type TierName } from "./tiers.js";
import { Trace, escapedError, withTrace } from "./trace.js";
import { abstractLeaves, flatten, readableSignature, unflatten, unflattenArgs, type Leaf, type Statics } from "./tree.js";
import type { Variable } from "./variable.js";
import { recording, staleField, type FieldRead } from "./fields.js";

export interface PolicyOptions {
  /** When to leave the tier below: after `calls` calls or `ms` cumulative milliseconds in it. */
  hot?: { js?: Hotness; wasm?: Hotness };
  /**
   * true (default): every tier gives tier 0's bits. false: tier 1 may compute float32
   * kernels in float64 and round at their outputs (faster; results differ by a few ulp
   * per op, more where a chain amplifies them), keeping the float32 transcendentals
   * whose float64 forms cost more (tiers/js/codegen.ts RELAXED_KEEPS_F32); tier 2 runs
   * the same module in both modes.
   */
  exact?: boolean;
  /**
   * On-stack replacement: a compiled loop (np.forLoop/scan/whileLoop) still running after
   * this many iterations or milliseconds continues in the next tier; `false` disables it.
   */
  osr?: { iterations?: number; ms?: number } | false;
}

/**
 * A loop that has run, or by its trip count will still run, this long in a tier is
 * worth the next tier's compile (tier 1 compiles in under 1 ms, tier 2 in about 5).
 */
const DEFAULT_OSR = { iterations: 200, ms: 5 };
/** A loop predicted to run this many times `osr.ms` more skips the intermediate tiers. */
const JUMP = 20;
/** Traces longer than this many ops (counting loop bodies once) get a warning about unrolled JS loops. */
const LONG_TRACE = 2000;

function countOps(p: Program): number {
  return p.body.reduce((n, i) => n + 1 + (isControlInstr(i) ? i.subs.reduce((m, s) => m + countOps(s), 0) : 0), 0);
}

/** What every signature of one jitted function shares. */
export class TierPlan {
  constructor(
    readonly name: string,
    readonly options: PolicyOptions & { skipPasses?: PassName[] },
    /** Set when the jit option `tier` pins every signature to one tier. */
    readonly pinned: TierName | undefined,
    readonly maxTier: TierName,
  ) {}

  get startTier(): TierName {
    return this.pinned ?? "interpreter";
  }

  /** The registered tier after `from` that promotion may reach, if any. */
  nextTier(from: TierName): TierName | undefined {
    if (this.pinned) return undefined;
    const next = TIER_ORDER.slice(TIER_ORDER.indexOf(from) + 1).find((t) => getTier(t));
    return next && TIER_ORDER.indexOf(next) <= TIER_ORDER.indexOf(this.maxTier) ? next : undefined;
  }
}

type OutLeaf = { out: number } | { value: unknown };

export class Signature {
  readonly events: TierEvent[] = [];
  /** Each tier's listing, printed on demand (tier 2 prints its WAT only when asked: see lazyListing). */
  readonly listings: Partial<Record<TierName, () => string>> = {};
  /** Each tier's fused kernels as that tier compiled them (tier 1's split policy, tier 2's merges). */
  readonly kernelListings: Partial<Record<TierName, string>> = {};
  tier: TierName;
  exec: Executable;
  calls = 0;
  totalMs = 0;
  /** Calls and milliseconds in the current tier (reset on promotion). */
  tierCalls = 0;
  tierMs = 0;
  /** The fastest tier a loop of this signature has reached by on-stack replacement, if any. */
  osrReached: TierName | undefined;
  /** The tier the last call finished in (on-stack replacement may move a call up mid-way). */
  finishedIn: TierName;
  /** A background compile to the next tier (tier 2), polled at each call until ready. */
  pending: { readonly handle: PendingCompile; readonly t0: number; readonly calls: number; readonly reason: string } | undefined;
  /**
   * Tiers that refused this program or this environment for good (tier 1's `new Function`
   * under a CSP without 'unsafe-eval'): promotion skips them and may still climb past
   * (a page allowing 'wasm-unsafe-eval' goes from tier 0 to tier 2).
   */
  readonly refused = new Set<TierName>();
  /** The pinned tier this signature runs below until its background compile lands (see the constructor). */
  private awaiting: TierName | undefined;
  /** Set once evicted: executables and listings dropped. */
  disposed = false;
  readonly ir: string;
  readonly warnings: string[];
  readonly flat: boolean;

  private constructor(
    private readonly plan: TierPlan,
    readonly key: string,
    readonly leaves: readonly Leaf[],
    readonly reason: string,
    readonly readable: string,
    readonly program: Program,
    readonly inputVars: readonly Variable[],
    readonly stateVars: readonly Variable[],
    /** Output tree (with the concrete/static leaves of the traced result) and the program output index of each array leaf. */
    private readonly outTree: unknown,
    private readonly outLeaves: readonly OutLeaf[],
    traceMs: number,
    /** The module fields the trace read, checked by identity before each call (vm/fields.ts). */
    private readonly fields: readonly FieldRead[] = [],
  ) {
    this.flat = leaves.every((l, i) => l.path === `args[${i}]`);
    this.ir = printProgram(program);
    this.tier = plan.startTier;
    let exec: Executable;
    try {
      exec = this.compileTo(this.tier);
    } catch (e) {
      // A pinned tier this environment refuses (e.g. `new Function` under a CSP) falls back to tier 0, with an event.
      if (!(e instanceof TierUnavailableError) || this.tier === "interpreter") throw e;
      this.events.push({ call: 0, from: this.tier, to: "interpreter", compileMs: 0, reason: `${this.tier} unavailable: ${e.message}` });
      log(`${plan.name}: ${this.tier} unavailable, using interpreter: ${e.message}`);
      // A pinned tier that compiles in the background (tier 2 on a page's main thread,
      // which cannot wait for a module) is still reached: its compile is polled at every call.
      const pinned = getTier(this.tier)!;
      if (pinned.compileAsync) {
        this.awaiting = this.tier;
        this.pending = { handle: pinned.compileAsync(program, this.profile()), t0: performance.now(), calls: 0, reason: `pinned to ${this.tier}` };
      }
      exec = this.compileTo((this.tier = "interpreter"));
    }
    this.exec = exec;
    this.finishedIn = this.tier;
    const compileMs = performance.now() - traceMs;
    const ops = countOps(program);
    log(`trace ${plan.name}(${readable}): ${reason}; ${ops} ops, compiled to ${this.tier} in ${compileMs.toFixed(2)} ms`);
    this.events.unshift({ call: 0, from: null, to: this.tier, compileMs, reason: `traced: ${reason}` });
    this.warnings = ops > LONG_TRACE
      ? [`the trace has ${ops} ops: JS loops inside a jitted function unroll at trace time; use np.forLoop / np.scan / np.whileLoop to compile a loop once`]
      : [];
    if (this.warnings.length) log(`${plan.name}(${readable}): ${this.warnings[0]}`);
    this.warmNext();
  }

  /**
   * Traces `fn` on `args` (whose leaves are `leaves`, `tracedLeaf` giving what each
   * leaf is inside the trace), optimises the program and compiles it into the plan's
   * first tier.
   */
  static trace(plan: TierPlan, fn: (...a: any[]) => any, self: unknown, args: unknown[], leaves: readonly Leaf[], key: string, reason: string, tracedLeaf: (trace: Trace, leaf: number) => unknown, statics: Statics): Signature {
    const t0 = performance.now();
    const trace = new Trace(plan.name);
    const tracedArgs = unflattenArgs(args, statics, (i) => tracedLeaf(trace, i));
    const fields: FieldRead[] = [];
    const thisArg = self !== null && typeof self === "object" ? recording(self, fields) : self;
    const result = withTrace(trace, () => fn.apply(thisArg, tracedArgs));
    const outFlat = flatten(result, "result", [], `jit(${plan.name}) result`);
    const resultIds: number[] = [];
    const labels: string[] = [];
    const outLeaves = outFlat.map((l): OutLeaf => {
      if (l.kind === "array" && l.arr._trace !== null) {
        if (l.arr._trace !== trace) throw escapedError(l.arr);
        resultIds.push(l.arr._id);
        labels.push(l.path);
        return { out: resultIds.length - 1 };
      }
      return { value: l.kind === "array" ? l.arr : l.kind === "var" ? l.v : l.value };
    });
    const { program: raw, stateVars, inputVars } = trace.finish(resultIds, labels);
    const program = optimize(raw, plan.options.skipPasses);
    return new Signature(plan, key, abstractLeaves(leaves), reason, readableSignature(leaves), program, inputVars, stateVars, result, outLeaves, t0, fields);
  }

  private profile(calls = this.calls, totalMs = this.totalMs): ProfileView {
    const p = { calls, meanMs: totalMs / Math.max(1, calls) };
    return this.plan.options.exact === false ? { ...p, exact: false } : p;
  }

  private compileTo(tier: TierName): Executable {
    const exec = getTier(tier)!.compile(this.program, this.profile(), { osr: this.osrHook() });
    this.listings[tier] = lazyListing(exec);
    return exec;
  }

  /** Starts loading the next tier's compiler (binaryen) in the background once a signature is one tier below it, so that promotion finds it ready. */
  private warmNext(): void {
    const next = this.plan.nextTier(this.tier);
    if (next !== undefined && this.tier !== "interpreter") getTier(next)!.warm?.();
  }

  /** Why this signature no longer fits its module (a field read at trace time holds something else now), if it does not. */
  stale(): string | undefined {
    return this.fields.length === 0 ? undefined : staleField(this.fields);
  }

  /** Runs one call: inputs follow program.inputs; Variables are read and written in place. */
  call(inputs: TypedArray[]): unknown {
    const nArgs = inputs.length; // the array arguments: immutable NDArrays (tier 2 keeps them resident)
    for (const v of this.inputVars) inputs.push(v._data!);
    const nResults = this.program.outputs.length - this.program.stateOutputs;
    const dest: (TypedArray | undefined)[] = new Array(nResults);
    for (const v of this.stateVars) dest.push(v._data!);
    this.finishedIn = this.tier;
    const t0 = performance.now();
    const outs = this.exec.run(inputs, dest, nArgs);
    const ms = performance.now() - t0;
    if (this.exec.stateBuffer) this.adoptResident();
    this.calls++;
    this.totalMs += ms;
    this.tierCalls++;
    this.tierMs += ms;
    this.maybePromote();
    return this.buildResult(outs);
  }

  /** Re-points Variables at the storage an executable keeps them in (tier 2's wasm memory). */
  private adoptResident(): void {
    this.stateVars.forEach((v, k) => {
      const b = this.exec.stateBuffer!(k);
      if (b && v._data !== b) v._data = b;
    });
  }

  private buildResult(outs: TypedArray[]): unknown {
    const program = this.program;
    const make = (leaf: OutLeaf): unknown => {
      if ("value" in leaf) return leaf.value;
      const v = program.values[program.outputs[leaf.out]!]!;
      return new NDArray(v.shape, v.dtype, outs[leaf.out]!);
    };
    if (this.outTree instanceof NDArray) return make(this.outLeaves[0]!);
    let k = 0;
    return unflatten(this.outTree, () => make(this.outLeaves[k++]!));
  }

  /** Lets a tier hand a long-running loop to the next tier mid-call; every hand-over is an event. */
  private osrHook(): OsrHook | undefined {
    const opt = this.plan.options.osr;
    if (opt === false) return undefined;
    const sig = this;
    const plan = this.plan;
    let reportedLoading = false;
    const hook: OsrHook = {
      iterations: opt?.iterations ?? DEFAULT_OSR.iterations,
      ms: opt?.ms ?? DEFAULT_OSR.ms,
      compile(cont, iteration, from, predictedMs) {
        // A loop predicted to run far longer than a compile goes straight to the fastest
        // ready tier: a tier it would leave after one iteration is a wasted compile.
        const above: TierName[] = [];
        for (let to = plan.nextTier(from); to; to = plan.nextTier(to)) above.push(to);
        const jump = predictedMs !== undefined && predictedMs >= JUMP * hook.ms && above.length > 1;
        const order = jump ? [...above].reverse() : above;
        // A tier that cannot take this loop (e.g. one without control flow) is skipped for the next one.
        let loading: TierName | undefined;
        for (const to of order) {
          const t0 = performance.now();
          const tier = getTier(to)!;
          // Never block a running loop on a compiler's one-time load: skip it for now (it
          // loads in the background) and have the loop ask again.
          if (tier.warm && !tier.warm()) {
            loading ??= to;
            continue;
          }
          try {
            const exec = tier.compile(cont, sig.profile(sig.calls, 0), { osr: hook });
            const compileMs = performance.now() - t0;
            const skipped = jump && to !== above[0] ? `, straight past ${above.slice(0, above.indexOf(to)).join(", ")} (${predictedMs!.toFixed(0)} ms predicted in ${from})` : "";
            sig.events.push({ call: sig.calls, from, to, compileMs, reason: `on-stack replacement of a loop at iteration ${iteration}${skipped}` });
            if (!sig.osrReached || TIER_ORDER.indexOf(to) > TIER_ORDER.indexOf(sig.osrReached)) sig.osrReached = to;
            log(`${plan.name}: OSR ${from} -> ${to} of a loop at iteration ${iteration} (compile ${compileMs.toFixed(2)} ms)`);
            getTier(plan.nextTier(to) ?? to)!.warm?.();
            return sig.tracking(exec, to);
          } catch (e) {
            sig.events.push({ call: sig.calls, from, to: from, compileMs: performance.now() - t0, reason: `on-stack replacement to ${to} unavailable: ${(e as Error).message}` });
          }
        }
        if (!loading) return undefined;
        if (!reportedLoading) sig.events.push({ call: sig.calls, from, to: from, compileMs: 0, reason: `on-stack replacement to ${loading} postponed at iteration ${iteration}: its compiler is still loading in the background` });
        reportedLoading = true;
        return "later";
      },
    };
    return hook;
  }

  /** An OSR continuation that records, each time it runs, that the current call finishes in its tier. */
  private tracking(exec: Executable, tier: TierName): Executable {
    return {
      tier: exec.tier,
      run: (inputs, dest, immutable) => {
        if (TIER_ORDER.indexOf(tier) > TIER_ORDER.indexOf(this.finishedIn)) this.finishedIn = tier;
        return exec.run(inputs, dest, immutable);
      },
      describe: () => exec.describe(),
    };
  }

  /**
   * After a call: promote the signature if it has become hot in its tier. A signature
   * called again after its loop climbed to a faster tier by on-stack replacement goes
   * straight there: the time its calls spent is mostly that tier's, not this one's
   * (and a program called once never pays for a second compile).
   */
  private maybePromote(): void {
    if (this.awaiting) {
      this.promoteAsync(this.awaiting, this.pending!.reason);
      if (!this.pending) this.awaiting = undefined;
      return;
    }
    let next = this.plan.nextTier(this.tier);
    while (next && this.refused.has(next)) next = this.plan.nextTier(next);
    if (!next) return;
    let reason: string;
    const reached = this.osrReached;
    if (reached && TIER_ORDER.indexOf(reached) >= TIER_ORDER.indexOf(next)) {
      if (this.tierCalls < 2) return;
      next = reached;
      reason = `a loop in it reached ${reached} by on-stack replacement`;
    } else {
      const th = { ...DEFAULT_HOTNESS[next as "js" | "wasm"], ...this.plan.options.hot?.[next as "js" | "wasm"] };
      const byCalls = this.tierCalls >= th.calls;
      if (!byCalls && this.tierMs < th.ms) return;
      reason = byCalls ? `${this.tierCalls} calls in ${this.tier} (threshold ${th.calls})` : `${this.tierMs.toFixed(2)} ms in ${this.tier} (threshold ${th.ms} ms)`;
    }
    if (getTier(next)!.compileAsync) {
      this.promoteAsync(next, reason);
      return;
    }
    const t0 = performance.now();
    let exec: Executable;
    try {
      exec = this.compileTo(next);
    } catch (e) {
      this.giveUp(next, e, performance.now() - t0);
      return;
    }
    this.switchTo(next, exec, performance.now() - t0, reason);
  }

  /**
   * Promotion to a tier that compiles in the background: start the compile, then poll
   * it at every call (never waiting for the event loop, so this works inside a tight
   * synchronous loop) and keep running the current tier until it is ready. No call
   * ever waits for it: the "very hot: wait" path this replaced blocked one call for
   * binaryen's whole first load (~400 ms in a fresh process running the LIF model).
   */
  private promoteAsync(next: TierName, reason: string): void {
    try {
      const p = (this.pending ??= {
        handle: getTier(next)!.compileAsync!(this.program, this.profile()),
        t0: performance.now(), calls: this.calls, reason,
      });
      const exec = p.handle.poll();
      if (!exec) return;
      this.pending = undefined;
      this.listings[next] = lazyListing(exec);
      const wall = performance.now() - p.t0;
      const how = `${p.reason}; compiled in the background, switched ${this.calls - p.calls} calls and ${wall.toFixed(1)} ms after the request`;
      this.switchTo(next, exec, p.handle.compileMs, how);
    } catch (e) {
      this.pending = undefined;
      this.giveUp(next, e, 0);
    }
  }

  private switchTo(next: TierName, exec: Executable, compileMs: number, reason: string): void {
    const from = this.tier;
    this.listings[from]?.(); // print the tier left behind now, so its listing no longer holds the executable
    this.exec = exec;
    this.tier = next;
    this.tierCalls = 0;
    this.tierMs = 0;
    this.events.push({ call: this.calls, from, to: next, compileMs, reason });
    log(`${this.plan.name}(${this.readable}): ${from} -> ${next} at call ${this.calls} (${reason}; compile ${compileMs.toFixed(2)} ms)`);
    this.warmNext();
  }

  /** A tier that cannot run here (e.g. `new Function` refused) is skipped for good, never fatal. */
  private giveUp(next: TierName, e: unknown, compileMs: number): void {
    const from = this.tier;
    this.events.push({ call: this.calls, from, to: from, compileMs, reason: `${next} unavailable: ${(e as Error).message}` });
    log(`${this.plan.name}(${this.readable}): ${next} unavailable, staying in ${from}: ${(e as Error).message}`);
    this.refused.add(next);
    this.tierCalls = this.tierMs = 0;
    // The tier after the refused one starts loading now, as it would have from the refused one.
    const after = this.plan.nextTier(next);
    if (after !== undefined && !this.refused.has(after)) getTier(after)!.warm?.();
  }

  /**
   * Evicted from its function's cache: Variables resident in this signature's wasm
   * memory get their own JS copy (so the memory can go), a background compile is
   * abandoned, and executables and listings are dropped for the garbage collector.
   */
  dispose(): void {
    if (this.disposed) return;
    if (this.exec.stateBuffer) {
      this.stateVars.forEach((v, k) => {
        if (v._data === this.exec.stateBuffer!(k)) v._data = v._data.slice();
      });
    }
    this.pending?.handle.cancel?.();
    this.pending = undefined;
    for (const k of Object.keys(this.listings) as TierName[]) delete this.listings[k];
    this.exec = DISPOSED;
    this.disposed = true;
  }

  /** The fused kernels a tier compiled: tiers that fuse say how; the interpreter runs the IR itself. */
  kernels(): Partial<Record<TierName, string>> {
    const out: Partial<Record<TierName, string>> = {};
    for (const t of TIER_ORDER) {
      if (this.listings[t] === undefined) continue;
      if (this.kernelListings[t] === undefined) {
        const tier = getTier(t);
        this.kernelListings[t] = tier?.kernels ? tier.kernels(this.program, this.profile()) : t === "interpreter" ? "(the interpreter runs the IR above, one instruction at a time)" : printFused(fuse(this.program));
      }
      out[t] = this.kernelListings[t];
    }
    return out;
  }

  report(): SignatureReport {
    const kernels = this.kernels();
    return {
      signature: this.readable,
      calls: this.calls,
      tier: this.tier,
      lastCallFinishedIn: this.finishedIn,
      meanMs: this.calls ? this.totalMs / this.calls : 0,
      traceReason: this.reason,
      ir: this.ir,
      bytecode: (this.listings.interpreter ??= lazyListing(getTier("interpreter")!.compile(this.program, { calls: 0, meanMs: 0 })))(),
      kernels,
      ...(this.listings.js !== undefined ? { js: this.listings.js() } : {}),
      ...(this.listings.wasm !== undefined ? { wat: this.listings.wasm() } : {}),
      events: this.events.map((e) => ({ ...e })),
      warnings: [...this.warnings],
    };
  }
}

const DISPOSED: Executable = {
  tier: "interpreter",
  run() {
    throw new TierUnavailableError("this signature was evicted from its function's cache");
  },
  describe: () => "(evicted)",
};

/**
 * An executable's listing, printed on the first request and then kept as text (the
 * executable is released). Printing can cost more than compiling: tier 2's WAT is
 * built by the compile worker only when inspect() asks for it.
 */
export function lazyListing(exec: Executable): () => string {
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
