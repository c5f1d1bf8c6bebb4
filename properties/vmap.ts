// The batching property (properties/vmap.test.ts): a random program of the agreement
// suite (recipe.ts, with loops, conds and every op of the catalog), its inputs batched
// along random axes (or not at all) and its results placed at random output axes.
// vmap(f) eagerly, and jit(vmap(f)) pinned to every tier, must give bit for bit the
// results of running f on each example and stacking them.
//
// Programs that read Variables may assign them (an error under vmap) and random draws
// differ per lane by design (each lane its own numbers), so those recipes run without
// Variables and without draws; vm/vmap/vmap.test.ts checks Variables and random.

import fc from "fast-check";
import { jit, np, vmap, type NDArray, type TierName } from "../index.js";
import { makeArray, makeFunction } from "./build.js";
import { opsOf, arbRecipe, arbInputs, arbPool, type ArraySpec, type Recipe } from "./recipe.js";

export interface VmapCase {
  readonly recipe: Recipe;
  readonly inputs: readonly ArraySpec[];
  readonly pool: readonly number[];
  /** Batch size (0 never: the per-example loop would have nothing to stack). */
  readonly n: number;
  /** Per input: null (unbatched) or a choice of axis, taken modulo rank + 1 (so any position, the last included). */
  readonly axes: readonly (number | null)[];
  /** Per result: a choice of output axis, modulo rank + 1, negated when odd to exercise negative axes. */
  readonly outAxes: readonly number[];
}

const noDraws = (r: Recipe) => !opsOf(r.steps).has("random");

export const arbVmapCase: fc.Arbitrary<VmapCase> = fc
  .record({
    recipe: arbRecipe.map((r) => ({ ...r, vars: [] })).filter(noDraws),
    inputs: arbInputs(),
    pool: arbPool,
    n: fc.integer({ min: 1, max: 3 }),
    axes: fc.array(fc.option(fc.nat(3), { freq: 3 }), { minLength: 3, maxLength: 3 }),
    outAxes: fc.array(fc.nat(7), { minLength: 4, maxLength: 4 }),
  })
  .map((c) => ({ ...c, axes: c.inputs.map((_, i) => c.axes[i] ?? null) }))
  .filter((c) => c.axes.some((a) => a !== null));

/** Input i of lane b: the spec read from a lane-specific offset, so lanes differ. */
const laneInput = (c: VmapCase, i: number, b: number): NDArray => makeArray({ ...c.inputs[i]!, offset: c.inputs[i]!.offset + 11 * b }, c.pool);

export interface VmapRun {
  readonly inAxes: (number | null)[];
  readonly outAxes: number[];
  readonly args: NDArray[];
  /** The stacked per-example results, or null when the program fails on an example (no claim to check). */
  readonly want: NDArray[] | null;
  readonly f: (...xs: NDArray[]) => NDArray[];
}

/**
 * A whileLoop whose trip count depends on the lane's data (0 to 4 iterations), so a
 * batched condition runs lanes that finish at different iterations; the generated
 * programs' own whileLoops stop on a counter (and only sometimes on data).
 */
function laneWhile(x: NDArray, y: NDArray): NDArray {
  const limit = np.minimum(np.abs(np.sum(np.astype(x, "float64"))), 4);
  const step = np.sum(np.astype(y, "float64"));
  const zero = np.array(0, "float64");
  return np.whileLoop((c: NDArray[]) => np.less(c[0]!, limit), (c: NDArray[]) => [np.add(c[0]!, 1), np.add(np.mul(c[1]!, 1.5), step)], [zero, zero])[1]!;
}

/**
 * Gathers, scatters and dynamic windows at positions computed from the lane's data, so
 * their batched-index rules run (the generated programs mostly index with constants).
 * Gather and scatter indices are reduced into [-m, m) as properties/indexing.ts does
 * (an eager run would raise where a traced one clamps); window starts may lie far
 * outside, which both clamp.
 */
function laneIndexing(x: NDArray, y: NDArray): NDArray[] {
  const t = np.reshape(np.astype(y, "float32"), [y.size]);
  const m = t.size;
  if (m === 0) return [];
  const k = np.astype(np.clip(np.mul(np.sum(np.astype(x, "float64")), 3), -1e6, 1e6), "int32");
  const idx = np.sub(np.mod(np.add(np.mul(k, np.array([1, 7, -3], "int32")), np.array([0, 1, 2], "int32")), 2 * m), m);
  const start = np.sub(np.mod(k, 2 * m + 9), m + 4);
  const w = Math.min(2, m);
  return [np.take(t, idx), t.at(idx).add(np.array([1, 2, 4], "float32")), np.dynamicSlice(t, [start], [w]), np.dynamicUpdateSlice(t, np.full([w], 0.5, "float32"), [start])];
}

/** The case's function (the recipe's results, a lane-dependent whileLoop and data-indexed steps), batched arguments, axes and the per-example reference. */
export function prepare(c: VmapCase): VmapRun {
  const g = makeFunction(c.recipe, [], c.pool);
  const f = (...xs: NDArray[]) => {
    const o = g(...xs);
    return [...o, laneWhile(xs[0]!, o[0]!), ...laneIndexing(xs[0]!, o[0]!)];
  };
  const inAxes = c.axes.map((a, i) => (a === null ? null : a % (c.inputs[i]!.shape.length + 1)));
  const lanes = Array.from({ length: c.n }, (_, b) => c.inputs.map((_, i) => laneInput(c, i, b)));
  const args = c.inputs.map((_, i) => (inAxes[i] === null ? lanes[0]![i]! : np.stack(lanes.map((l) => l[i]!), inAxes[i]!)));
  let per: NDArray[][];
  try {
    per = lanes.map((l) => f(...l.map((x, i) => (inAxes[i] === null ? args[i]! : x))));
  } catch {
    return { inAxes, outAxes: [], args, want: null, f };
  }
  const outAxes = per[0]!.map((y, k) => {
    const a = c.outAxes[k % c.outAxes.length]! % (y.ndim + 1);
    return c.outAxes[k % c.outAxes.length]! & 1 ? a - (y.ndim + 1) : a;
  });
  const want = per[0]!.map((_, k) => np.stack(per.map((r) => r[k]!), (outAxes[k]! + per[0]![k]!.ndim + 1) % (per[0]![k]!.ndim + 1)));
  return { inAxes, outAxes, args, want, f };
}

export type Snap = { shape: readonly number[]; dtype: string; bits: string[] };
export const snap = (a: NDArray): Snap => ({ shape: a.shape, dtype: a.dtype, bits: Array.from(a.toTypedArray(), (x) => (Object.is(x, -0) ? "-0" : String(x))) });

/** The batched results: eagerly, or under jit pinned to `tier`. */
export function batched(r: VmapRun, tier: TierName | "eager"): NDArray[] {
  const g = vmap(r.f, { inAxes: r.inAxes, outAxes: r.outAxes });
  return tier === "eager" ? g(...r.args) : jit(g, { tier })(...r.args);
}
