// The central property: every way of running a program gives the same bits.
//
// A case runs in several configurations: eagerly (the definition), and under `jit`
// pinned to each registered tier (vm/tiers.ts `availableTiers()`, so tiers 1 and 2
// join the suite when they register), each with all passes and with no passes, and one
// tier (chosen per case) with the random subset of passes the recipe chose. With more
// than one tier, also unpinned
// with thresholds that promote on every call, so consecutive calls cross tiers, and,
// for programs with loops, unpromoted with on-stack replacement after one iteration,
// so every loop starts in tier 0 and finishes in later tiers. Each
// configuration calls the program CALLS times with fresh Variables, so Variable state
// carried from call to call is compared too. Everything is compared with eager:
// outputs and Variable states bit for bit (NaN == NaN, -0 != +0), the same error (by
// name) if eager throws, and inputs left untouched. Equality is transitive, so
// checking each configuration against eager checks every pair of tiers. Every run
// starts the np.random stream from the same seed, so draws agree too.

import type { DType, TypedArray } from "../ir/dtype.js";
import { PASSES } from "../ir/passes/index.js";
import { typeStr } from "../ir/printer.js";
import { withEager, type EagerOptions } from "../vm/eager.js";
import { jit, type JitOptions } from "../vm/jit.js";
import type { NDArray } from "../vm/ndarray.js";
import { availableTiers, type TierName } from "../vm/tiers.js";
import { makeArray, makeFunction, makeVariables, programListing, resetStream } from "./build.js";
import { ALLOW, usesAllowed, type Allowance } from "./allow.js";
import { hasLoop, type Case } from "./recipe.js";
import { sameArray, sameValue, showValue } from "./values.js";

/** Calls per configuration: enough for Variable state to feed back twice, and for a promoting jit to visit three tiers. */
export const CALLS = 3;

export interface Config {
  readonly name: string;
  /** Absent for eager execution. */
  readonly jit?: JitOptions;
  /** How eager ops run (vm/eager.ts) during the whole run; the jit configurations use the default. */
  readonly eager?: Partial<EagerOptions>;
}

/**
 * Eager mode with tier 2 for every op: a blocking module compile per op, dtype and
 * shape, so one case in EAGER_WASM_EVERY (picked by the recipe's free bits) runs it.
 */
const EAGER_WASM_EVERY = 4;

/** The configurations a case runs in; `only` restricts the jit ones to those tiers (eager always runs). */
export function configsFor(c: Case, only?: readonly TierName[]): Config[] {
  const tiers = availableTiers().filter((t) => !only || only.includes(t));
  const all = PASSES.map((p) => p.name);
  const some = all.filter((_, i) => (c.recipe.skip >> i) & 1);
  // "eager" is the definition (the reference kernels); compiled eager is checked against it
  // like a tier, after the jit configurations (a broken tier is reported under its own name first).
  const out: Config[] = [{ name: "eager", eager: { kernels: "reference" } }];
  tiers.forEach((tier, i) => {
    out.push({ name: tier, jit: { tier } });
    out.push({ name: `${tier} (no passes)`, jit: { tier, skipPasses: all } });
    // The random subset runs in one tier per case (compiling is most of the suite's time).
    const mine = (c.recipe.skip >> all.length) % tiers.length === i;
    if (mine && some.length > 0 && some.length < all.length) out.push({ name: `${tier} (skip ${some.join(",")})`, jit: { tier, skipPasses: some } });
  });
  if (tiers.length > 1 && !only) {
    const every = { calls: 1, ms: Infinity };
    out.push({ name: "promoting", jit: { hot: { js: every, wasm: every } } });
    // Loops start in tier 0 and hand over to the next tier after one iteration (and on from there), on every call.
    const never = { calls: Infinity, ms: Infinity };
    if (hasLoop(c.recipe.steps)) out.push({ name: "osr", jit: { osr: { iterations: 1 }, hot: { js: never, wasm: never } } });
  }
  out.push({ name: "eager compiled", eager: { kernels: "compiled", wasm: "never", compileAt: 0 } });
  if (availableTiers().includes("wasm") && !only && Math.floor(c.recipe.skip / 2 ** all.length / tiers.length) % EAGER_WASM_EVERY === 0) {
    out.push({ name: "eager compiled, tier 2", eager: { kernels: "compiled", wasm: "always", compileAt: 0 } });
  }
  return out;
}

export interface Snap {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: TypedArray;
}

export interface Outcome {
  readonly config: string;
  readonly calls: Snap[][];
  readonly states: Snap[];
  readonly error?: string;
  readonly errorName?: string;
  /** Names of inputs the run wrote into. */
  readonly clobbered: string[];
  readonly ir?: string;
  /** The listing of the tier the last call ran in (bytecode, JS source or WAT). */
  readonly listing?: string;
  /** Tier transitions of the signature: "from->to" per event, OSR hand-overs marked "osr:". */
  readonly transitions: string[];
}

export const snap = (a: NDArray): Snap => ({ shape: [...a.shape], dtype: a.dtype, data: a.toTypedArray() });

export function runConfig(c: Case, config: Config, calls = CALLS): Outcome {
  return withEager(config.eager ?? {}, () => runIn(c, config, calls));
}

function runIn(c: Case, config: Config, calls: number): Outcome {
  resetStream();
  const vars = makeVariables(c.recipe.vars, c.pool);
  const inputs = c.inputs.map((s) => makeArray(s, c.pool));
  const fn = makeFunction(c.recipe, vars, c.pool);
  const jitted = config.jit ? jit(fn, { name: "generated", ...config.jit }) : undefined;
  const f = jitted ?? fn;
  const results: Snap[][] = [];
  let error: Error | undefined;
  try {
    for (let k = 0; k < calls; k++) results.push(f(...inputs).map(snap));
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }
  const clobbered = c.inputs.flatMap((s, i) => (sameArray(makeArray(s, c.pool).toTypedArray(), inputs[i]!.toTypedArray()) === -1 ? [] : [`x${i}`]));
  const sig = jitted?.inspect().signatures[0];
  const ir = sig?.ir;
  const listing = sig ? (sig.tier === "wasm" ? sig.wat : sig.tier === "js" ? sig.js : sig.bytecode) : undefined;
  const transitions = (sig?.events ?? []).filter((e) => e.from !== null && e.from !== e.to).map((e) => `${e.reason.startsWith("on-stack replacement") ? "osr:" : ""}${e.from}->${e.to}`);
  return {
    config: config.name,
    calls: results,
    states: error ? [] : vars.map(snap),
    clobbered,
    transitions,
    ...(error ? { error: `${error.name}: ${error.message}`, errorName: error.name } : {}),
    ...(ir !== undefined ? { ir } : {}),
    ...(listing !== undefined ? { listing } : {}),
  };
}

function diffSnap(what: string, e: Snap, g: Snap, values: boolean): string | null {
  if (typeStr(e) !== typeStr(g)) return `${what}: eager gives ${typeStr(e)}, got ${typeStr(g)}`;
  for (let i = 0; values && i < e.data.length; i++) {
    const a = e.data[i]!;
    const b = g.data[i]!;
    if (!sameValue(a, b)) return `${what} element ${i}: eager ${showValue(a, e.dtype)}, got ${showValue(b, e.dtype)}`;
  }
  return null;
}

/** The first way `got` differs from `ref` (in shapes and dtypes only, unless `values`), or null. */
export function diffOutcome(ref: Outcome, got: Outcome, values = true): string | null {
  if (got.clobbered.length) return `wrote into input(s) ${got.clobbered.join(", ")}`;
  if (ref.error !== undefined || got.error !== undefined) {
    if (ref.errorName === got.errorName) return null;
    return `eager ${ref.error ? `threw ${ref.error}` : "succeeded"}, but it ${got.error ? `threw ${got.error}` : "succeeded"}`;
  }
  for (let k = 0; k < ref.calls.length; k++) {
    const re = ref.calls[k]!;
    const ge = got.calls[k]!;
    for (let o = 0; o < re.length; o++) {
      const d = diffSnap(`call ${k + 1} output ${o}`, re[o]!, ge[o]!, values);
      if (d) return d;
    }
  }
  for (let v = 0; v < ref.states.length; v++) {
    const d = diffSnap(`Variable v${v} after ${ref.calls.length} calls`, ref.states[v]!, got.states[v]!, values);
    if (d) return d;
  }
  return null;
}

export function showSnap(s: Snap, max = 12): string {
  const vals = Array.from(s.data.subarray(0, max), (x) => showValue(x, s.dtype));
  return `${typeStr(s)} [${vals.join(", ")}${s.data.length > max ? `, ... (${s.data.length})` : ""}]`;
}

/** A failure report: the program as np source and as IR, its inputs, and what each configuration computed. */
export function report(c: Case, outcomes: readonly Outcome[], failing: string, why: string): string {
  const listing = programListing(c.recipe, c.inputs, c.pool);
  const lines = [`configuration "${failing}" disagrees with eager: ${why}`, "", "program (np source):", ...listing.map((l) => `  ${l}`), ""];
  lines.push("inputs:", ...c.inputs.map((s, i) => `  x${i} = ${showSnap(snap(makeArray(s, c.pool)))}`));
  c.recipe.vars.forEach((v, i) => lines.push(`  v${i} = Variable(${showSnap(snap(makeArray(v, c.pool)))})${v.read ? "" : " (written before read)"}`));
  const raw = outcomes.find((o) => o.config.endsWith("(no passes)"))?.ir;
  const bad = outcomes.find((o) => o.config === failing)?.ir;
  if (raw) lines.push("", "IR as traced (no passes):", raw);
  if (bad && bad !== raw) lines.push("", `IR run by "${failing}":`, bad);
  const tierListing = outcomes.find((o) => o.config === failing)?.listing?.split("\n");
  if (tierListing) {
    const more = tierListing.length > 80 ? [`... (${tierListing.length - 80} more lines)`] : [];
    lines.push("", `listing of "${failing}" (last tier it ran in):`, ...tierListing.slice(0, 80), ...more);
  }
  lines.push("", "results:");
  for (const o of outcomes) {
    lines.push(`  ${o.config}:${o.error ? ` threw ${o.error}` : ""}`);
    o.calls.forEach((outs, k) => outs.forEach((s, j) => lines.push(`    call ${k + 1} output ${j}: ${showSnap(s)}`)));
    o.states.forEach((s, j) => lines.push(`    v${j} after: ${showSnap(s)}`));
  }
  return lines.join("\n");
}

/** The property: throws a report unless every configuration agrees with eager. */
export function checkAgreement(c: Case, allow: readonly Allowance[] = ALLOW, only?: readonly TierName[]): void {
  agreeingOutcomes(c, allow, only);
}

/** checkAgreement, returning every configuration's outcome when they agree. */
export function agreeingOutcomes(c: Case, allow: readonly Allowance[] = ALLOW, only?: readonly TierName[]): Outcome[] {
  const configs = configsFor(c, only);
  const outcomes = configs.map((cfg) => runConfig(c, cfg));
  const ref = outcomes[0]!;
  // Recipes are built to be valid programs: an eager error is a generator or eager-mode bug.
  if (ref.error !== undefined) throw new Error(report(c, outcomes, "eager", `eager threw ${ref.error}`));
  // Values of programs using an allow-listed op are checked op by op instead (allow.ts).
  const values = !usesAllowed(outcomes.map((o) => o.ir), allow);
  for (const o of outcomes.slice(1)) {
    const d = diffOutcome(ref, o, values);
    if (d) throw new Error(report(c, outcomes, o.config, d));
  }
  return outcomes;
}
