// The tier policy of one jitted function: which tier comes next, compiling a
// signature into a tier, promoting hot signatures (by calls or by cumulative time in
// the current tier, in the background for a tier that compiles asynchronously), and
// on-stack replacement of long loops. Every transition, compile time and fallback is
// recorded as an event on the signature and logged (TIERJIT_LOG).

import type { Program } from "../ir/program.js";
import type { Executable, OsrHook, PendingCompile, ProfileView } from "../tiers/tier.js";
import type { TierEvent } from "./inspect.js";
import { log } from "./log.js";
import { DEFAULT_HOTNESS, TIER_ORDER, getTier, type Hotness, type TierName } from "./tiers.js";

export interface PolicyOptions {
  /** When to leave the tier below: after `calls` calls or `ms` cumulative milliseconds in it. */
  hot?: { js?: Hotness; wasm?: Hotness };
  /**
   * true (default): every tier gives tier 0's bits. false: tier 1 may compute float32
   * kernels in float64 and round at their outputs, and tier 2 computes float32 exp,
   * tanh and sigmoid in float32 SIMD arithmetic within 1.5/3/3 ulp (faster; results
   * differ by a few ulp per op, more where a chain amplifies them).
   */
  exact?: boolean;
  /**
   * On-stack replacement: a compiled loop (np.forLoop/scan/whileLoop) still running after
   * this many iterations or milliseconds continues in the next tier; `false` disables it.
   */
  osr?: { iterations?: number; ms?: number } | false;
}

/** The part of a signature the policy reads and updates. */
export interface Tiered {
  readonly program: Program;
  /** The signature as people read it, for logs. */
  readonly readable: string;
  tier: TierName;
  exec: Executable;
  /** Each tier's listing, printed on demand (tier 2 prints its WAT only when asked: see lazyListing). */
  readonly listings: Partial<Record<TierName, () => string>>;
  calls: number;
  totalMs: number;
  tierCalls: number;
  tierMs: number;
  readonly events: TierEvent[];
  /** The fastest tier a loop of this signature has reached by on-stack replacement, if any. */
  osrReached?: TierName;
  /** A background compile to the next tier (tier 2), polled at each call until ready. */
  pending?: { readonly handle: PendingCompile; readonly t0: number; readonly calls: number; readonly reason: string };
}

/** A signature this many times past its promotion threshold waits for a background compile instead of polling it. */
const VERY_HOT = 10;
/**
 * A loop that has run, or by its trip count will still run, this long in a tier is
 * worth the next tier's compile (tier 1 compiles in under 1 ms, tier 2 in about 5).
 */
const DEFAULT_OSR = { iterations: 200, ms: 5 };
/** A loop predicted to run this many times `osr.ms` more skips the intermediate tiers. */
const JUMP = 20;

export class TierPolicy {
  constructor(
    private readonly name: string,
    private readonly options: PolicyOptions,
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

  private profile(sig: Pick<Tiered, "calls" | "totalMs">): ProfileView {
    const p = { calls: sig.calls, meanMs: sig.totalMs / Math.max(1, sig.calls) };
    return this.options.exact === false ? { ...p, exact: false } : p;
  }

  compileTo(sig: Pick<Tiered, "program" | "listings" | "events" | "calls" | "totalMs" | "osrReached">, tier: TierName): Executable {
    const exec = getTier(tier)!.compile(sig.program, this.profile(sig), { osr: this.osrHook(sig) });
    sig.listings[tier] = lazyListing(exec);
    return exec;
  }

  /** Lets a tier hand a long-running loop to the next tier mid-call; every hand-over is an event. */
  private osrHook(sig: Pick<Tiered, "events" | "calls" | "osrReached">): OsrHook | undefined {
    const opt = this.options.osr;
    if (opt === false) return undefined;
    const policy = this;
    let reportedLoading = false;
    const hook: OsrHook = {
      iterations: opt?.iterations ?? DEFAULT_OSR.iterations,
      ms: opt?.ms ?? DEFAULT_OSR.ms,
      compile(cont, iteration, from, predictedMs) {
        // A loop predicted to run far longer than a compile goes straight to the fastest
        // ready tier: a tier it would leave after one iteration is a wasted compile.
        const above: TierName[] = [];
        for (let to = policy.nextTier(from); to; to = policy.nextTier(to)) above.push(to);
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
            const exec = tier.compile(cont, policy.profile({ calls: sig.calls, totalMs: 0 }), { osr: hook });
            const compileMs = performance.now() - t0;
            const skipped = jump && to !== above[0] ? `, straight past ${above.slice(0, above.indexOf(to)).join(", ")} (${predictedMs!.toFixed(0)} ms predicted in ${from})` : "";
            sig.events.push({ call: sig.calls, from, to, compileMs, reason: `on-stack replacement of a loop at iteration ${iteration}${skipped}` });
            if (!sig.osrReached || TIER_ORDER.indexOf(to) > TIER_ORDER.indexOf(sig.osrReached)) sig.osrReached = to;
            log(`${policy.name}: OSR ${from} -> ${to} of a loop at iteration ${iteration} (compile ${compileMs.toFixed(2)} ms)`);
            return exec;
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

  /**
   * After a call: promote the signature if it has become hot in its tier. A signature
   * called again after its loop climbed to a faster tier by on-stack replacement goes
   * straight there: the time its calls spent is mostly that tier's, not this one's
   * (and a program called once never pays for a second compile).
   */
  maybePromote(sig: Tiered): void {
    let next = this.nextTier(sig.tier);
    if (!next) return;
    let reason: string;
    let veryHot = false;
    const reached = sig.osrReached;
    if (reached && sig.tierCalls >= 0 && TIER_ORDER.indexOf(reached) >= TIER_ORDER.indexOf(next)) {
      if (sig.tierCalls < 2) return;
      next = reached;
      reason = `a loop in it reached ${reached} by on-stack replacement`;
    } else {
      const th = { ...DEFAULT_HOTNESS[next as "js" | "wasm"], ...this.options.hot?.[next as "js" | "wasm"] };
      const byCalls = sig.tierCalls >= th.calls;
      if (!byCalls && sig.tierMs < th.ms) return;
      reason = byCalls ? `${sig.tierCalls} calls in ${sig.tier} (threshold ${th.calls})` : `${sig.tierMs.toFixed(2)} ms in ${sig.tier} (threshold ${th.ms} ms)`;
      veryHot = sig.tierCalls >= VERY_HOT * th.calls || sig.tierMs >= VERY_HOT * th.ms;
    }
    if (getTier(next)!.compileAsync) {
      this.promoteAsync(sig, next, reason, veryHot);
      return;
    }
    const t0 = performance.now();
    let exec: Executable;
    try {
      exec = this.compileTo(sig, next);
    } catch (e) {
      this.giveUp(sig, next, e, performance.now() - t0);
      return;
    }
    this.switchTo(sig, next, exec, performance.now() - t0, reason);
  }

  /**
   * Promotion to a tier that compiles in the background: start the compile, then poll
   * it at every call (never waiting for the event loop, so this works inside a tight
   * synchronous loop) and keep running the current tier until it is ready; a very hot
   * signature blocks for it instead, so a long synchronous loop always gets there.
   */
  private promoteAsync(sig: Tiered, next: TierName, reason: string, veryHot: boolean): void {
    try {
      const p = (sig.pending ??= {
        handle: getTier(next)!.compileAsync!(sig.program, this.profile(sig)),
        t0: performance.now(), calls: sig.calls, reason,
      });
      const exec = p.handle.poll() ?? (veryHot ? p.handle.wait(60_000) : undefined);
      if (!exec) return;
      sig.pending = undefined;
      sig.listings[next] = lazyListing(exec);
      const wall = performance.now() - p.t0;
      const how = `${p.reason}; compiled in the background, switched ${sig.calls - p.calls} calls and ${wall.toFixed(1)} ms after the request${veryHot ? " (waited: very hot)" : ""}`;
      this.switchTo(sig, next, exec, p.handle.compileMs, how);
    } catch (e) {
      sig.pending = undefined;
      this.giveUp(sig, next, e, 0);
    }
  }

  private switchTo(sig: Tiered, next: TierName, exec: Executable, compileMs: number, reason: string): void {
    const from = sig.tier;
    sig.listings[from]?.(); // print the tier left behind now, so its listing no longer holds the executable
    sig.exec = exec;
    sig.tier = next;
    sig.tierCalls = 0;
    sig.tierMs = 0;
    sig.events.push({ call: sig.calls, from, to: next, compileMs, reason });
    log(`${this.name}(${sig.readable}): ${from} -> ${next} at call ${sig.calls} (${reason}; compile ${compileMs.toFixed(2)} ms)`);
  }

  /** A tier that cannot run here (e.g. `new Function` refused) is skipped for good, never fatal. */
  private giveUp(sig: Tiered, next: TierName, e: unknown, compileMs: number): void {
    const from = sig.tier;
    sig.events.push({ call: sig.calls, from, to: from, compileMs, reason: `${next} unavailable: ${(e as Error).message}` });
    log(`${this.name}(${sig.readable}): ${next} unavailable, staying in ${from}: ${(e as Error).message}`);
    sig.tierCalls = sig.tierMs = -Infinity;
  }
}

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
