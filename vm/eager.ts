// Eager execution of one IR instruction (vm/ops.ts `emit` outside a trace). Two ways:
//
// - "reference": the reference kernel (ir/kernels), the definition every tier is
//   compared against: one generic loop calling the op table's scalar function per
//   element (a megamorphic call site, ~14 ns per element per op).
// - "compiled" (the default): the instruction as a one-instruction program compiled
//   by tier 1, size-generic (one factory per op, dtype and broadcast pattern, from
//   tier 1's own templates, so its bits are tier 1's, which are tier 0's), cached per
//   op, parameters, dtypes and shapes. An entry that keeps costing time moves to
//   tier 2 once binaryen is loaded (compiled in the background, never waited for),
//   which runs the float32 transcendentals at f32x4 width. Ops that tiers 1 and 2 run
//   through the reference kernel anyway (movement, gathers, sorts, random) stay on it.
//
// Nothing here loads binaryen for a program that is not hot: the load starts once
// eager kernels have spent WASM_WARM_MS in tier 1 in this process.

import { allocate, type TypedArray } from "../ir/dtype.js";
import { TierUnavailableError } from "../ir/errors.js";
import { runInstr } from "../ir/kernels/index.js";
import { isElementwise, isReduce } from "../ir/ops.js";
import { ProgramBuilder, makeInstr, type ParamsOf, type SingleOp, type ValueInfo } from "../ir/program.js";
import { sizeOf } from "../ir/shape.js";
import { compileJs, JS_POLICY } from "../tiers/js/index.js";
import type { Executable, PendingCompile, ProfileView } from "../tiers/tier.js";
import type { NDArray } from "./ndarray.js";
import { getTier, tierGeneration } from "./tiers.js";

export type EagerKernels = "compiled" | "reference";
/** When a compiled entry moves to tier 2: "auto" by the policy below, "always" at once (blocking compile: tests), "never". */
export type EagerWasm = "auto" | "always" | "never";

export interface EagerOptions {
  kernels: EagerKernels;
  wasm: EagerWasm;
  /**
   * Results of at least this many elements compile at their first call; smaller ones
   * only when the same op, dtypes and shapes come back. Binding a cached factory to a
   * new shape costs ~0.1 ms (measured: 128 µs for a first mul on 2,000 elements against
   * 27 µs cached and 40 µs on the reference kernel), what the reference kernel spends on
   * 7,000-25,000 elements, so a stream of distinct shapes must not pay it each time.
   * 0: always at once (the property suite).
   */
  compileAt: number;
}

const options: EagerOptions = { kernels: "compiled", wasm: "auto", compileAt: 16384 };

/** Sets how eager ops run (perf/ and the property suite compare the two); returns the previous options. */
export function setEager(o: Partial<EagerOptions>): EagerOptions {
  const prev = { ...options };
  Object.assign(options, o);
  return prev;
}

export function eagerOptions(): Readonly<EagerOptions> {
  return options;
}

/** Runs `fn` with eager options `o`, restoring the previous ones after. */
export function withEager<T>(o: Partial<EagerOptions>, fn: () => T): T {
  const prev = setEager(o);
  try {
    return fn();
  } finally {
    setEager(prev);
  }
}

/** Cached entries (least recently used out first): a few KB each, plus tier 2's memory for promoted ones. */
const MAX_ENTRIES = 512;
/** Bytes of array data held by tier-2 entries' memories, at most: past it the oldest promoted entries are dropped. */
const MAX_WASM_BYTES = 256 * 2 ** 20;
/** Tier-1 milliseconds spent by eager kernels in this process before binaryen starts loading. */
const WASM_WARM_MS = 30;
/**
 * An entry moves to tier 2 after WASM_CALLS calls in tier 1 averaging at least
 * WASM_MEAN_MS: below that a call is about tier 2's fixed cost (copying the inputs in
 * and the result out, a fresh output) and wasm would not pay.
 */
const WASM_CALLS = 2;
const WASM_MEAN_MS = 0.02;

interface Entry {
  readonly js: Executable;
  wasm: Executable | undefined;
  readonly program: ReturnType<ProgramBuilder["finish"]>;
  calls: number;
  ms: number;
  pending: PendingCompile | undefined;
  /** Tier 2 refused this program (or failed): it stays in tier 1. */
  refused: boolean;
  readonly bytes: number;
}

/** A small result's key seen once: compiled if it comes back. */
const SEEN = "seen" as const;
const entries = new Map<string, Entry | typeof SEEN>();
let wasmBytes = 0;
let jsMs = 0;
/** Tier 1 is unavailable here (new Function refused): every op runs its reference kernel. */
let noJs = false;
/** The tier registry's generation the cached entries were compiled under. */
let compiledBy = -1;

/** How many compiled entries are cached and how many run in tier 2 (tests, perf). */
export function eagerCacheStats(): { entries: number; wasm: number; wasmBytes: number } {
  let wasm = 0;
  let compiled = 0;
  for (const e of entries.values()) {
    if (e === SEEN) continue;
    compiled++;
    if (e.wasm) wasm++;
  }
  return { entries: compiled, wasm, wasmBytes };
}

/** Forgets every entry (tests needing a cold cache). */
export function resetEagerCache(): void {
  for (const e of entries.values()) if (e !== SEEN) e.pending?.cancel?.();
  entries.clear();
  wasmBytes = 0;
  jsMs = 0;
}

/** Whether tier 1 compiles `op`: loops it generates itself (elementwise, reductions, matmul), not the ops it runs through the reference kernel. */
function compiles(op: SingleOp): boolean {
  return isElementwise(op) || isReduce(op) || op === "matmul";
}

const PROFILE: ProfileView = { calls: 0, meanMs: 0 };

function keyOf(op: SingleOp, inputs: readonly NDArray[], out: ValueInfo, params: unknown): string {
  let k = op;
  for (const x of inputs) k += `|${x.dtype}${x.shape.join(",")}`;
  k += `>${out.dtype}${out.shape.join(",")}`;
  return params === undefined ? k : `${k}|${JSON.stringify(params)}`;
}

function build<K extends SingleOp>(op: K, inputs: readonly NDArray[], out: ValueInfo, params: ParamsOf<K> | undefined): Entry {
  const b = new ProgramBuilder();
  const args = inputs.map((x, i) => b.input({ shape: x.shape, dtype: x.dtype }, `x${i}`));
  const id = b.emit(op, args, out, ...([params] as unknown as [ParamsOf<K>]));
  const program = b.finish([id], ["result"]);
  const exec = compileJs(program, PROFILE, {}, { ...JS_POLICY, sizeGeneric: true });
  const bytes = [...inputs, out].reduce((n, v) => n + sizeOf(v.shape) * allocate(v.dtype, 0).BYTES_PER_ELEMENT, 0);
  return { js: exec, wasm: undefined, program, calls: 0, ms: 0, pending: undefined, refused: false, bytes };
}

/** The cached entry, or undefined to run the reference kernel this time (a small result seen for the first time). */
function lookup<K extends SingleOp>(op: K, inputs: readonly NDArray[], out: ValueInfo, params: ParamsOf<K> | undefined): Entry | undefined {
  const key = keyOf(op, inputs, out, params);
  const hit = entries.get(key);
  if (hit !== undefined) {
    entries.delete(key);
    if (hit !== SEEN) {
      entries.set(key, hit);
      return hit;
    }
  } else if (sizeOf(out.shape) < options.compileAt) {
    entries.set(key, SEEN);
    if (entries.size > MAX_ENTRIES) drop(entries.keys().next().value as string);
    return undefined;
  }
  const e = build(op, inputs, out, params);
  entries.set(key, e);
  if (entries.size > MAX_ENTRIES) drop(entries.keys().next().value as string);
  return e;
}

function drop(key: string): void {
  const e = entries.get(key)!;
  entries.delete(key);
  if (e === SEEN) return;
  e.pending?.cancel?.();
  if (e.wasm) wasmBytes -= e.bytes;
}

function toWasm(e: Entry, exec: Executable): void {
  e.wasm = exec;
  e.pending = undefined;
  wasmBytes += e.bytes;
  for (const k of entries.keys()) {
    if (wasmBytes <= MAX_WASM_BYTES) break;
    const o = entries.get(k)!;
    if (o !== e && o !== SEEN && o.wasm) drop(k);
  }
}

/** After a tier-1 call: start tier 2's compile when the entry has earned it, or adopt it when it has arrived. */
function promote(e: Entry): void {
  const wasm = getTier("wasm");
  if (!wasm) {
    e.refused = true;
    return;
  }
  try {
    if (e.pending) {
      const exec = e.pending.poll();
      if (exec) toWasm(e, exec);
      return;
    }
    if (options.wasm === "always") {
      toWasm(e, wasm.compile(e.program, PROFILE));
      return;
    }
    if (jsMs < WASM_WARM_MS || e.calls <= WASM_CALLS || e.ms < WASM_MEAN_MS * (e.calls - 1)) return;
    if (wasm.warm && !wasm.warm()) return; // binaryen loads in the background; ask again at a later call
    if (!wasm.compileAsync) {
      toWasm(e, wasm.compile(e.program, PROFILE));
      return;
    }
    e.pending = wasm.compileAsync(e.program, PROFILE);
  } catch {
    // tier 2 cannot take it (or the environment refuses it): tier 1 stays, and is exact too
    e.pending = undefined;
    e.refused = true;
  }
}

/** Runs one instruction eagerly and returns its result's data. */
export function runEager<K extends SingleOp>(op: K, inputs: readonly NDArray[], out: ValueInfo, params: ParamsOf<K> | undefined): TypedArray {
  const datas = inputs.map((x) => x._concrete(op));
  // Code compiled by a tier that has since been replaced (registerTier) must not run.
  if (compiledBy !== tierGeneration()) {
    resetEagerCache();
    noJs = false;
    compiledBy = tierGeneration();
  }
  if (options.kernels === "compiled" && !noJs && compiles(op)) {
    let e: Entry | undefined;
    try {
      e = lookup(op, inputs, out, params);
    } catch (err) {
      if (!(err instanceof TierUnavailableError)) throw err;
      noJs = true;
    }
    if (e !== undefined) {
      if (options.wasm === "never") return e.js.run(datas)[0]!;
      if (options.wasm === "always" && !e.wasm && !e.refused) promote(e);
      let immutable = 0;
      while (immutable < inputs.length && !inputs[immutable]!._isVar) immutable++;
      if (e.wasm) return e.wasm.run(datas, undefined, immutable)[0]!;
      const t0 = performance.now();
      const r = e.js.run(datas)[0]!;
      // An entry's first call is mostly V8 compiling its kernel (and the ir/math code it calls): not counted.
      if (e.calls++ > 0) {
        const ms = performance.now() - t0;
        e.ms += ms;
        jsMs += ms;
      }
      if (!e.refused) promote(e);
      return r;
    }
  }
  const data = allocate(out.dtype, sizeOf(out.shape));
  runInstr(makeInstr(op, inputs.map((_, i) => i), inputs.length, params), [...inputs, out], datas, data);
  return data;
}
