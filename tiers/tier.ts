// The interface every tier implements. A tier compiles an optimised Program into an
// Executable; tiers depend only on ir/ (the program, the op table, the reference
// kernels), never on each other, the tracer or the jit runtime.

import type { TypedArray } from "../ir/dtype.js";
import type { Program } from "../ir/program.js";

export type TierName = "interpreter" | "js" | "wasm";
export const TIER_ORDER: readonly TierName[] = ["interpreter", "js", "wasm"];

/** What the runtime has observed about a signature; tiers may specialise on it. */
export interface ProfileView {
  readonly calls: number;
  readonly meanMs: number;
  /** false: the user allowed float32 to be computed in higher precision (jit option `exact: false`). */
  readonly exact?: boolean;
}

export interface Executable {
  readonly tier: TierName;
  /**
   * Runs the program. `inputs` follow `program.inputs`. For each of the trailing
   * `program.stateOutputs` outputs, `dest[i]` may give the buffer to write the result
   * into (a Variable's storage, possibly also one of the inputs): the tier must read
   * every input it needs before overwriting it. Other outputs are returned in fresh
   * arrays the caller owns.
   *
   * `immutable`: how many leading inputs are the data of immutable arrays (NDArrays,
   * never Variables): the same typed-array object then always holds the same values,
   * so a tier may keep what it derived from one (tier 2: the copy in its memory) for
   * as long as the same object comes back. Default 0: any input may have changed.
   */
  run(inputs: readonly TypedArray[], dest?: readonly (TypedArray | undefined)[], immutable?: number): TypedArray[];
  /** The tier's own listing: bytecode, generated JS or WAT. */
  describe(): string;
  /**
   * Where state output `k` lives between calls, if this executable keeps it resident
   * (tier 2: a view of its wasm memory). The runtime re-points the Variable's storage
   * at it after a call, so later calls neither copy it in nor out.
   */
  stateBuffer?(k: number): TypedArray | undefined;
}

/** A compile running in the background (tier 2): polled at call time, never blocking unless asked to. */
export interface PendingCompile {
  /** The executable once ready, else undefined; throws if the compile failed. */
  poll(): Executable | undefined;
  /** Blocks up to `ms` milliseconds for the executable. */
  wait(ms: number): Executable | undefined;
  /** Milliseconds of compile work (lowering + module build + instantiation), once ready. */
  readonly compileMs: number;
  /** The result is no longer wanted (its signature was evicted): drop it when it arrives. */
  cancel?(): void;
}

/**
 * On-stack replacement: a tier running a long loop offers its continuation
 * (ir/continuation.ts) once the loop has run `iterations` iterations or `ms`
 * milliseconds, or, for a loop with a known trip count, as soon as the rest of it is
 * predicted to take `ms` milliseconds more at the pace so far. `compile` returns a
 * faster tier's executable for it, undefined to keep going where it is, or "later"
 * when a faster tier's compiler is still loading: the loop asks again `ms` later.
 */
export interface OsrHook {
  readonly iterations: number;
  readonly ms: number;
  /** `predictedMs`: how long the rest of the loop would take in `from`, when its trip count is known. */
  compile(continuation: Program, iteration: number, from: TierName, predictedMs?: number): Executable | "later" | undefined;
}

export interface CompileHooks {
  readonly osr?: OsrHook;
}

export interface Tier {
  readonly name: TierName;
  /** Throws TierUnavailableError when this environment cannot run the tier. */
  compile(program: Program, profile: ProfileView, hooks?: CompileHooks): Executable;
  /** Optional background compile; the runtime keeps running the current tier until it is ready. */
  compileAsync?(program: Program, profile: ProfileView): PendingCompile;
  /**
   * For a tier whose compiler needs a one-time load (binaryen): whether `compile` can
   * run now without waiting for it. When not, this starts the load in the background,
   * so that synchronous compiles (on-stack replacement) can skip the tier instead of
   * blocking a running loop on the load.
   */
  warm?(): boolean;
  /** The kernels this tier compiles for `program`, as text (inspect): its own fusion policy applied. */
  kernels?(program: Program, profile: ProfileView): string;
}
