// Random differentiable programs for the autodiff properties (properties/autodiff.test.ts).
// The steps come from the op table: every unary and binary elementwise op that maps
// floats to floats (ELEMENTWISE, so a new op joins the programs with no edit here),
// every float reduction and scan, sort, flip, transpose, reshape, broadcasting,
// matmul, where on a comparison, np.forLoop / np.scan / np.cond with a body drawn
// from the same elementwise ops, and the indexing and assembly ops (take, static
// slices with negative steps, concatenate, scatters in set/add/min/max mode with
// repeated and negative indices, segment reductions with dropped ids, clamped dynamic
// slices and updates, roll/repeat/pad remaps). Operands that must be positive (log, sqrt, a divisor,
// pow's base) pass through x² + 1/2 first, those of asin/acos/atanh through 0.875 tanh(x),
// acosh's through x² + 5/4, so the programs stay finite at most points.

import fc from "fast-check";
import { ELEMENTWISE, REDUCE_OPS, SCAN_OPS, UNARY_OPS, BINARY_OPS } from "../ir/ops.js";
import { grad, jit, jvp, np, vjp, type NDArray, type TierName } from "../index.js";

const floatOp = (op: string) => {
  const d = ELEMENTWISE[op as keyof typeof ELEMENTWISE];
  return d.result === "same" && d.scalar.float64 !== undefined && d.scalar.float32 !== undefined;
};
export const AD_UNARY = UNARY_OPS.filter(floatOp);
export const AD_BINARY = BINARY_OPS.filter(floatOp);
const AD_REDUCE = REDUCE_OPS.filter((op) => op !== "any" && op !== "all");
const COMPARE = ["less", "greater", "lessEqual", "greaterEqual"] as const;

/** Operands that must lie in a domain: positive (or at least nonzero), inside (-1, 1), or above 1. */
type Domain = "positive" | "unit" | "aboveOne";
const DOMAIN: Readonly<Record<string, readonly (Domain | undefined)[]>> = {
  sqrt: ["positive"], log: ["positive"], log1p: ["positive"], log2: ["positive"], log10: ["positive"], reciprocal: ["positive"],
  pow: ["positive"], div: [, "positive"], mod: [, "positive"], fmod: [, "positive"], floorDivide: [, "positive"],
  asin: ["unit"], acos: ["unit"], atanh: ["unit"], acosh: ["aboveOne"],
};

export type AdStep =
  | { kind: "unary"; op: string; a: number }
  | { kind: "binary"; op: string; a: number; b: number }
  | { kind: "reduce"; op: string; a: number; axis: number }
  | { kind: "cumulative"; op: string; a: number; axis: number }
  | { kind: "sort" | "flip"; a: number; axis: number }
  | { kind: "transpose"; a: number }
  | { kind: "matmul"; a: number; b: number; c: number }
  | { kind: "where"; op: string; a: number; b: number; c: number; d: number }
  | { kind: "forLoop" | "scan"; op: string; a: number; b: number; n: number }
  | { kind: "cond"; op: string; op2: string; a: number; b: number }
  | { kind: "take"; a: number; idx: number[] }
  | { kind: "sliceConcat"; a: number; b: number; form: 0 | 1 | 2 }
  | { kind: "scatter"; mode: "set" | "add" | "min" | "max"; a: number; b: number; idx: number[] }
  | { kind: "segment"; op: "segmentSum" | "segmentMax" | "segmentMin"; a: number; ids: number[] }
  | { kind: "dynamic"; update: boolean; a: number; b: number; start: number }
  | { kind: "remap"; how: "roll" | "repeat" | "edge" | "constant"; a: number; shift: number };

const idx = fc.nat(20);
const ax = fc.nat(1);
export const arbAdStep: fc.Arbitrary<AdStep> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("unary" as const), op: fc.constantFrom(...AD_UNARY), a: idx }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("binary" as const), op: fc.constantFrom(...AD_BINARY), a: idx, b: idx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reduce" as const), op: fc.constantFrom(...AD_REDUCE), a: idx, axis: ax }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cumulative" as const), op: fc.constantFrom(...SCAN_OPS), a: idx, axis: ax }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("sort" as const, "flip" as const), a: idx, axis: ax }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("transpose" as const), a: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("matmul" as const), a: idx, b: idx, c: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("where" as const), op: fc.constantFrom(...COMPARE), a: idx, b: idx, c: idx, d: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("forLoop" as const, "scan" as const), op: fc.constantFrom(...AD_UNARY), a: idx, b: idx, n: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cond" as const), op: fc.constantFrom(...AD_UNARY), op2: fc.constantFrom(...AD_UNARY), a: idx, b: idx }) },
  // Indexing and assembly: each step gives a [2, 3] value; indices repeat and wrap.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("take" as const), a: idx, idx: fc.array(fc.integer({ min: -3, max: 2 }), { minLength: 3, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("sliceConcat" as const), a: idx, b: idx, form: fc.constantFrom(0 as const, 1 as const, 2 as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("scatter" as const), mode: fc.constantFrom("set" as const, "add" as const, "min" as const, "max" as const), a: idx, b: idx, idx: fc.array(fc.integer({ min: -3, max: 2 }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("segment" as const), op: fc.constantFrom("segmentSum" as const, "segmentMax" as const, "segmentMin" as const), a: idx, ids: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 3, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dynamic" as const), update: fc.boolean(), a: idx, b: idx, start: fc.integer({ min: -4, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remap" as const), how: fc.constantFrom("roll" as const, "repeat" as const, "edge" as const, "constant" as const), a: idx, shift: fc.integer({ min: -4, max: 4 }) }) },
);

export const arbAdRecipe = fc.array(arbAdStep, { minLength: 1, maxLength: 6 });

const INTO: Record<Domain, (v: NDArray) => NDArray> = {
  positive: (v) => v.square().add(0.5),
  unit: (v) => np.tanh(v).mul(0.875),
  aboveOne: (v) => v.square().add(1.25),
};
const full = (v: NDArray) => (v.ndim === 2 && v.shape[0] === 2 && v.shape[1] === 3 ? v : v.broadcastTo([2, 3]));

function call(op: string, args: NDArray[]): NDArray {
  const dom = DOMAIN[op] ?? [];
  const a = args.map((x, i) => (dom[i] === undefined ? x : INTO[dom[i]!](x)));
  return (np as unknown as Record<string, (...x: NDArray[]) => NDArray>)[op]!(...a);
}

/**
 * The program of a recipe as a function of x: [2, 3] and r: [3] (both in the pool from
 * the start); each step adds a value to the pool and the result is the last value as
 * [2, 3].
 */
export function adProgram(steps: readonly AdStep[]): (x: NDArray, r: NDArray) => NDArray {
  return (x, r) => {
    const pool: NDArray[] = [x, r];
    const at = (i: number) => pool[i % pool.length]!;
    for (const s of steps) {
      const a = at(s.a);
      switch (s.kind) {
        case "unary": pool.push(call(s.op, [a])); break;
        case "binary": pool.push(call(s.op, [a, at(s.b)])); break;
        case "reduce": pool.push(full((np as any)[s.op](full(a), s.axis, true))); break;
        case "cumulative": pool.push((np as any)[s.op](a, s.axis % a.ndim)); break;
        case "sort": pool.push(np.sort(a, s.axis % a.ndim)); break;
        case "flip": pool.push(np.flip(a, s.axis % a.ndim)); break;
        case "transpose": pool.push(full(a).T.reshape(2, 3)); break;
        case "matmul": pool.push(np.matmul(np.matmul(full(a), full(at(s.b)).T), full(at(s.c)))); break;
        case "where": pool.push(np.where((np as any)[s.op](a, at(s.b)), at(s.c), at(s.d))); break;
        case "forLoop": {
          const b = at(s.b);
          pool.push(np.forLoop(0, s.n, (_i, c: NDArray) => call(s.op, [c]).mul(0.5).add(b.mul(0.25)), full(a)));
          break;
        }
        case "scan": {
          const b = at(s.b);
          const [c, ys] = np.scan((c: NDArray, row: NDArray) => [call(s.op, [c.add(row)]).mul(0.5), c.mul(b.sum())], full(a).sum(0), full(b));
          pool.push(full(c).add(ys.sum(0)));
          break;
        }
        case "cond":
          pool.push(np.cond(a.sum().greater(0), (v: NDArray) => call(s.op, [v]), (v: NDArray) => call(s.op2, [v]).mul(at(s.b).sum()), full(a)));
          break;
        default: pool.push(indexingStep(s, full(a), full(at((s as { b?: number }).b ?? s.a))));
      }
    }
    return full(pool[pool.length - 1]!);
  };
}

type IndexingStep = Extract<AdStep, { kind: "take" | "sliceConcat" | "scatter" | "segment" | "dynamic" | "remap" }>;
const int32 = (xs: readonly number[]) => np.array([...xs], "int32");

/** An indexing or assembly step on a and b (both [2, 3]); the result is [2, 3]. */
function indexingStep(s: IndexingStep, a: NDArray, b: NDArray): NDArray {
  switch (s.kind) {
    case "take": return np.take(a, int32(s.idx), 1);
    case "sliceConcat": {
      // Steps of ±1 (a window), and of 2 and -2 (an offset table).
      const left = [a.slice([null, null, -1], [2, 0, -1]), a.slice([null, null, -1], [null, null, -2]), a.slice(null, [0, 3, 2])][s.form]!;
      return np.concatenate([left, b.slice(null, [1, 2])], 1);
    }
    case "scatter": return a.at(null, int32(s.idx))[s.mode](b.slice(null, [0, s.idx.length]));
    case "segment": {
      // Empty segments hold ±Inf for max/min: replaced (where's condition passes no gradient).
      const seg = np[s.op](a.T, int32(s.ids), 3).T;
      return np.where(np.isfinite(seg), seg, 0);
    }
    case "dynamic":
      return s.update ? np.dynamicUpdateSlice(a, b.slice(null, [0, 2]), [0, s.start]) : np.dynamicSlice(np.concatenate([a, b], 1), [0, s.start], [2, 3]);
    case "remap":
      switch (s.how) {
        case "roll": return np.roll(a, s.shift, 1);
        case "repeat": return np.repeat(a.slice(null, [1, 2]), 3, 1);
        case "edge": return np.pad(a.slice(null, [1, 2]), [[0, 0], [1, 1]], { mode: "edge" });
        case "constant": return np.pad(a.slice(null, [1, 2]), [[0, 0], [1, 1]]).add(b.mul(0.5));
      }
  }
}

const coord = fc.double({ min: -2, max: 2, noNaN: true });
/** Direction entries: |d| in [0.1, 1], either sign (fast-check's bias to 0 would make most directions empty). */
const dir = fc.tuple(fc.boolean(), fc.double({ min: 0.1, max: 1, noNaN: true })).map(([s, d]) => (s ? d : -d));
const vec = <T>(a: fc.Arbitrary<T>, n: number) => fc.array(a, { minLength: n, maxLength: n });

/** Values for x, r, their tangents and the output cotangent. */
export const arbAdPoint = fc.record({ x: vec(coord, 6), r: vec(coord, 3), vx: vec(dir, 6), vr: vec(dir, 3), u: vec(dir, 6) });

export type AdPoint = { x: number[]; r: number[]; vx: number[]; vr: number[]; u: number[] };
/** A random differentiable program and a point, directions and cotangent for it. */
export const arbAdCase: fc.Arbitrary<[AdStep[], AdPoint]> = fc.tuple(arbAdRecipe, arbAdPoint);

const arr = (xs: number[], shape: number[], dtype: "float32" | "float64") => np.array(xs, { dtype }).reshape(shape);
const dot = (a: NDArray, b: NDArray) => a.mul(b).sum().item();
const absDot = (a: NDArray, b: NDArray) => a.mul(b).abs().sum().item();
const finite = (...xs: NDArray[]) => xs.every((x) => Array.from(x.toTypedArray()).every(Number.isFinite));
function check(ok: boolean, what: () => string): void {
  if (!ok) throw new Error(what());
}

/**
 * float64: reverse mode against forward mode (<J v, u> = <v, Jᵀ u>) and, away from kinks,
 * both against central differences. Directions v and u are unit vectors. Tolerances:
 * forward and reverse mode compute the same sums in different orders, so they agree to
 * 1e-9 relative to the magnitude of the terms (Σ|v_i (Jᵀu)_i|). Central differences with
 * h = 1e-5 carry O(h²) truncation and O(ε/h) rounding error: they must agree to 1e-5
 * relative (plus 1e-9 |u|·|f(x)| for rounding in f itself); a case where two step sizes
 * (h and h/2) disagree by more than that, or the one-sided differences by more than 1e-4,
 * is at a kink or jump (abs, maximum, floor, mod, sort's ties) and only the
 * forward/reverse check applies. Counts what it checked in `seen`.
 */
export function checkAdModes([steps, p]: [AdStep[], AdPoint], seen: { checked: number; fd: number }): void {
  const f = adProgram(steps);
  // Distinct inputs: at exact ties (max, min, sort) the derivative is a convention that differences do not see.
  const x = arr(p.x.map((v, i) => v + (i + 1) / 64), [2, 3], "float64");
  const r = arr(p.r.map((v, i) => v - (i + 1) / 48), [3], "float64");
  // Unit directions, so that a kink shows in the one-sided differences at any magnitude.
  const nv = Math.hypot(...p.vx, ...p.vr);
  const nu = Math.hypot(...p.u);
  const vx = arr(p.vx.map((v) => v / nv), [2, 3], "float64");
  const vr = arr(p.vr.map((v) => v / nv), [3], "float64");
  const u = arr(p.u.map((v) => v / nu), [2, 3], "float64");
  const [out, back] = vjp(f, x, r);
  if (!finite(out)) return;
  const [gx, gr] = back(u) as NDArray[];
  const [out2, t] = jvp(f, [x, r], [vx, vr]);
  const a1 = Array.from(out.toTypedArray());
  const a2 = Array.from(out2.toTypedArray());
  check(a1.every((v, i) => Object.is(v, a2[i])), () => `vjp's output ${JSON.stringify(a1)} differs from jvp's ${JSON.stringify(a2)}`);
  if (!finite(gx!, gr!, t)) return;
  seen.checked++;
  const fwd = dot(t, u);
  const rev = dot(vx, gx!) + dot(vr, gr!);
  const scale = 1 + absDot(vx, gx!) + absDot(vr, gr!) + absDot(t, u);
  check(Math.abs(fwd - rev) <= 1e-9 * scale, () => `<Jv,u> = ${fwd}, <v,Jᵀu> = ${rev}`);
  // stopGradient is a constant of the derivative by design: finite differences see through it.
  if (JSON.stringify(steps).includes('"stopGradient"')) return;
  const phi = (h: number) => dot(f(x.add(vx.mul(h)), r.add(vr.mul(h))), u);
  const fd = (h: number) => (phi(h) - phi(-h)) / (2 * h);
  const [a, b] = [fd(1e-5), fd(5e-6)];
  const oneSided = [(phi(1e-5) - phi(0)) / 1e-5, (phi(0) - phi(-1e-5)) / 1e-5];
  // A kink or jump within h: the step sizes, or the one-sided differences, disagree.
  if (!Number.isFinite(a) || Math.abs(a - b) > 1e-5 * scale || Math.abs(oneSided[0]! - oneSided[1]!) > 1e-4 * scale) return;
  seen.fd++;
  // Rounding in phi itself: about ε |u|·|f(x)| / h.
  const rounding = 1e-9 * absDot(out, u);
  check(Math.abs(fwd - a) <= 1e-5 * scale + rounding, () => `jvp ${fwd}, central difference ${a}`);
}

const TIERS: TierName[] = ["interpreter", "js", "wasm"];
const bitsOf = (xs: NDArray[]) => xs.map((a) => Array.from(a.toTypedArray()).map((v) => (Object.is(v, -0) ? "-0" : String(v))));

/** float32: jit(grad(f)) pinned to each tier gives eager grad(f)'s bits. */
export function checkAdTiers([steps, p]: [AdStep[], AdPoint]): void {
  const f = adProgram(steps);
  const u = arr(p.u, [2, 3], "float32");
  const g = grad((x: NDArray, r: NDArray) => f(x, r).mul(u).sum(), { argnums: [0, 1] });
  const x = arr(p.x, [2, 3], "float32");
  const r = arr(p.r, [3], "float32");
  const want = JSON.stringify(bitsOf(g(x, r)));
  for (const tier of TIERS) {
    const j = jit(g, { tier });
    const got = JSON.stringify(bitsOf(j(x, r)));
    check(got === want, () => `${tier}: ${got}, eager grad: ${want}`);
    check(j.inspect().signatures[0]!.tier === tier, () => `pinned to ${tier}, ran in ${j.inspect().signatures[0]!.tier}`);
  }
}
