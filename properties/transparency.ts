// jit is transparent: a jitted function computes what the plain function computes, on
// every call, whatever signatures came before. One jitted function (default options,
// so it promotes through the tiers as it gets hot) is called with inputs A, B, A, B,
// A, B, where A and B are two input sets of different (or by chance equal) shapes and
// dtypes; the plain function is called the same way with its own Variables. Every
// result and the final Variable states must match bit for bit, and the function must
// have been traced exactly once per distinct signature: a new shape or dtype
// retraces, a signature seen before never does, and no call gets a result computed
// for the other signature.

import fc from "fast-check";
import { jit } from "../vm/jit.js";
import type { NDArray } from "../vm/ndarray.js";
import { diffOutcome, showSnap, snap, type Outcome } from "./agree.js";
import { makeArray, makeFunction, makeVariables, programListing, resetStream } from "./build.js";
import { arbInputs, arbPool, arbRecipe, type ArraySpec, type Recipe } from "./recipe.js";

export interface TwoSignatureCase {
  readonly recipe: Recipe;
  readonly a: readonly ArraySpec[];
  readonly b: readonly ArraySpec[];
  readonly pool: readonly number[];
}

/** In one case of four, B has A's signature but other data: the cache must not replay A's result. */
export const arbTwoSignatures: fc.Arbitrary<TwoSignatureCase> = fc
  .record({ recipe: arbRecipe, a: arbInputs(2, 2), b: arbInputs(2, 2), same: fc.nat(3), pool: arbPool })
  .map(({ recipe, a, b, same, pool }) => ({ recipe, a, b: same === 0 ? a.map((s) => ({ ...s, offset: s.offset + 5 })) : b, pool }));

const ORDER = ["a", "b", "a", "b", "a", "b"] as const;

const sigOf = (specs: readonly ArraySpec[]) => specs.map((s) => `${s.dtype}[${s.shape.join(",")}]`).join(" ");

function run(c: TwoSignatureCase, mode: "eager" | "jit"): { outcome: Outcome; traces: number; irs: string[] } {
  resetStream();
  const vars = makeVariables(c.recipe.vars, c.pool);
  const inputs = { a: c.a.map((s) => makeArray(s, c.pool)), b: c.b.map((s) => makeArray(s, c.pool)) };
  const fn = makeFunction(c.recipe, vars, c.pool);
  let traces = 0;
  const counted = (...xs: NDArray[]) => {
    traces++;
    return fn(...xs);
  };
  const f = mode === "jit" ? jit(counted) : counted;
  const calls = ORDER.map((k) => f(...inputs[k]).map(snap));
  const irs = mode === "jit" ? (f as ReturnType<typeof jit>).inspect().signatures.map((s) => `${s.signature} (${s.calls} calls, ${s.tier}):\n${s.ir}`) : [];
  return { outcome: { config: mode, calls, states: vars.map(snap), clobbered: [], transitions: [] }, traces, irs };
}

/** The property: throws a report unless jit matches eager call for call and traced once per signature. */
export function checkTransparency(c: TwoSignatureCase): void {
  const eager = run(c, "eager");
  let jitted: ReturnType<typeof run>;
  let why: string | null = null;
  try {
    jitted = run(c, "jit");
  } catch (e) {
    jitted = { outcome: { config: "jit", calls: [], states: [], clobbered: [], transitions: [] }, traces: 0, irs: [] };
    why = `jit threw ${(e as Error).name}: ${(e as Error).message}`;
  }
  const distinct = sigOf(c.a) === sigOf(c.b) ? 1 : 2;
  why ??= diffOutcome(eager.outcome, jitted.outcome);
  if (!why && jitted.traces !== distinct) why = `traced ${jitted.traces} times for ${distinct} distinct signature(s)`;
  if (!why && jitted.irs.length !== distinct) why = `inspect() lists ${jitted.irs.length} signatures for ${distinct}`;
  if (!why) return;
  const listing = programListing(c.recipe, c.a, c.pool);
  const lines = [`jit is not transparent: ${why}`, `call order ${ORDER.join(", ")}; A = ${sigOf(c.a)}, B = ${sigOf(c.b)}`, "", "program:", ...listing.map((l) => `  ${l}`), ""];
  lines.push("signatures:", ...jitted.irs, "");
  for (const r of [eager, jitted]) {
    lines.push(`${r.outcome.config}:`);
    r.outcome.calls.forEach((outs, k) => outs.forEach((s, j) => lines.push(`  call ${k + 1} (${ORDER[k]}) output ${j}: ${showSnap(s)}`)));
  }
  throw new Error(lines.join("\n"));
}
