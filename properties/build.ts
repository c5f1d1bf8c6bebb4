// Turns a recipe into a user function written against `np`, so the same program runs
// eagerly (each np call runs its reference kernel at once) and under `jit` (the calls
// are traced, optimised and compiled by a tier). Every decision below depends only on
// shapes and dtypes, never on values, so eager and traced runs take the same path.
//
// Where a step's random operands do not fit (shapes that do not broadcast, a matmul
// whose inner dims differ, max over an empty axis), the step is repaired the same way
// every time (reshape when sizes agree, otherwise reduce to a scalar; pick another
// operand; drop the empty axis), so every recipe is a valid program.

import { allocate, castScalar, DTYPES, type DType } from "../ir/dtype.js";
import { ELEMENTWISE, REDUCE, isReduce } from "../ir/ops.js";
import { typeStr } from "../ir/printer.js";
import { sizeOf, type Shape } from "../ir/shape.js";
import { jit } from "../vm/jit.js";
import type { NDArray } from "../vm/ndarray.js";
import { nn } from "../vm/nn.js";
import { np } from "../vm/np.js";
import { Variable } from "../vm/variable.js";
import { npFunction } from "./catalog.js";
import { runControl } from "./control.js";
import { assemblyStep } from "./assembly.js";
import { contractionStep } from "./matmul.js";
import { broadcastable, fit, fitTo, show } from "./fit.js";
import { DIMS, MAX_SIZE, isControl, valuesAdded, type ArraySpec, type Recipe, type Step, type VarSpec } from "./recipe.js";
import { poolValue } from "./values.js";
import { indexStep } from "./indexing.js";
import { INDEX_KINDS, type IndexKind } from "./indexsteps.js";

/** JS scalars used as weak operands and in scalar Variable assignments (3, -3, 7: pow by a static integer, vm/ops.ts integerPow). */
const SCALARS: readonly (number | boolean)[] = [2, 0.5, -1, 0, 3, -0, 1.5, 1e-3, 1e10, Infinity, NaN, 100, -2147483648, true, false, -3, 7];

/** Seed of the np.random stream at the start of every run of a case, so eager and every configuration draw the same numbers. */
export const STREAM_SEED = 1234;

export function resetStream(): void {
  np.random.seed(STREAM_SEED);
}

export function makeArray(spec: ArraySpec, pool: readonly number[]): NDArray {
  const n = sizeOf(spec.shape);
  const data = allocate(spec.dtype, n);
  for (let j = 0; j < n; j++) data[j] = poolValue(pool, spec.offset, j, spec.dtype);
  return np.array(data, { dtype: spec.dtype, shape: spec.shape });
}

export function makeVariables(vars: readonly VarSpec[], pool: readonly number[]): Variable[] {
  return vars.map((v) => new Variable(makeArray(v, pool)));
}

function permutation(n: number, k: number): number[] {
  const rest = Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let m = n; m > 0; m--) {
    out.push(rest.splice(k % m, 1)[0]!);
    k = Math.floor(k / m);
  }
  return out;
}

function reshapeTarget(shape: Shape, p: number): number[] {
  const n = sizeOf(shape);
  switch (p % 5) {
    case 0: return [n];
    case 1: return [...shape, 1];
    case 2: return [1, ...shape];
    case 3: return shape.length >= 2 ? [shape[0]! * shape[1]!, ...shape.slice(2)] : [n, 1];
    default: {
      let f = 2;
      while (f < n && n % f !== 0) f++;
      return f < n ? [f, n / f] : [1, n];
    }
  }
}

function broadcastTarget(shape: Shape, p: number): number[] {
  let d: number = DIMS[(p >> 2) % DIMS.length]!;
  if (sizeOf(shape) * d > MAX_SIZE * 4) d = 2;
  const one = shape.indexOf(1);
  switch (p % 3) {
    case 0: return [d, ...shape];
    case 1: return one >= 0 ? shape.map((x, i) => (i === one ? d : x)) : [d, ...shape];
    default: return [1, ...shape];
  }
}

/** Axes (undefined = all) and keepdims of a reduction, dropping axes of size 0 for max/min. */
function reduceAxes(op: string, shape: Shape, p: number): { axis: number | number[] | undefined; keepdims: boolean } {
  const nd = shape.length;
  const keepdims = ((p >> 6) & 1) === 1;
  let axes: number[] | undefined;
  if ((p & 3) !== 0) {
    const mask = (p >> 2) & ((1 << nd) - 1);
    axes = [];
    for (let i = 0; i < nd; i++) if ((mask >> i) & 1) axes.push(i);
  }
  if (isReduce(op) && REDUCE[op].empty("float32") === undefined) {
    const all = axes ?? Array.from({ length: nd }, (_, i) => i);
    const ok = all.filter((i) => shape[i] !== 0);
    if (ok.length !== all.length) axes = ok;
  }
  const negative = ((p >> 5) & 1) === 1;
  const axis = axes && negative ? axes.map((a) => a - nd) : axes;
  return { axis: axis && axis.length === 1 && (p >> 8) & 1 ? axis[0]! : axis, keepdims };
}

/** Ops defined on int32/bool only (bitwise, shifts) get float operands cast to int32, so they run instead of failing alike. */
function intOnly(op: string): boolean {
  const def = (ELEMENTWISE as Record<string, (typeof ELEMENTWISE)[keyof typeof ELEMENTWISE] | undefined>)[op];
  return def !== undefined && def.scalar.float32 === undefined && def.scalar.int32 !== undefined;
}
function forOp(op: string, a: NDArray): NDArray {
  return intOnly(op) && (a.dtype === "float32" || a.dtype === "float64") ? np.astype(a, "int32") : a;
}
function scalarForOp(op: string, k: number | boolean): number | boolean {
  return intOnly(op) && typeof k === "number" ? castScalar(k, "int32") : k;
}

/** A pool of values computed so far (the program's, or a control-flow body's) and what steps need besides. */
export interface Ctx {
  readonly pool: NDArray[];
  readonly names: string[];
  readonly vars: readonly Variable[];
  readonly values: readonly number[];
  /** Where to append one line of np source per step (failure reports), if anywhere. */
  readonly listing: string[] | undefined;
  /** 0 for the program, 1 inside a control-flow body, 2 inside a body's body. */
  readonly depth: number;
}

/** Runs one step; returns its result and the line of source it corresponds to. */
function runStep(s: Step, ctx: Ctx): [NDArray, string] | null {
  const { pool, names } = ctx;
  const at = (i: number) => i % pool.length;
  const { op, kind } = s.def;
  const x = forOp(op, pool[at(s.a)]!);
  const nx = x === pool[at(s.a)] ? names[at(s.a)]! : `int32(${names[at(s.a)]!})`;
  const p = s.p;
  if ((INDEX_KINDS as readonly string[]).includes(kind)) return indexStep(kind as IndexKind, op, x, p, pool, s.b, nx);
  switch (kind) {
    case "unary":
      return [npFunction(op)(x), `np.${op}(${nx})`];
    case "binary": {
      const y = forOp(op, fit(x.shape, pool[at(s.b)]!));
      const ny = y === pool[at(s.b)] ? names[at(s.b)]! : `fit(${names[at(s.b)]})`;
      return p & 1 ? [npFunction(op)(y, x), `np.${op}(${ny}, ${nx})`] : [npFunction(op)(x, y), `np.${op}(${nx}, ${ny})`];
    }
    case "scalar": {
      const k = scalarForOp(op, SCALARS[(p >> 1) % SCALARS.length]!);
      return p & 1 ? [npFunction(op)(k, x), `np.${op}(${show(k)}, ${nx})`] : [npFunction(op)(x, k), `np.${op}(${nx}, ${show(k)})`];
    }
    case "ternary": {
      const y = fit(x.shape, pool[at(s.b)]!);
      const z = fit(broadcastable(x.shape, y.shape) ?? [], pool[at(s.c)]!);
      const ny = y === pool[at(s.b)] ? names[at(s.b)]! : `fit(${names[at(s.b)]})`;
      const nz = z === pool[at(s.c)] ? names[at(s.c)]! : `fit(${names[at(s.c)]})`;
      return [npFunction(op)(x, y, z), `np.${op}(${nx}, ${ny}, ${nz})`];
    }
    case "reduce": {
      const { axis, keepdims } = reduceAxes(op, x.shape, p);
      const useObj = ((p >> 7) & 1) === 1;
      const r = useObj ? npFunction(op)(x, { axis, keepdims }) : npFunction(op)(x, axis, keepdims);
      return [r, `np.${op}(${nx}, ${useObj ? `{ axis: ${show(axis)}, keepdims: ${keepdims} }` : `${show(axis)}, ${keepdims}`})`];
    }
    case "argReduce": {
      // One axis (possibly negative) or none, never an empty one; keepdims and the options form by bits of p.
      const ok = x.shape.flatMap((d, i) => (d > 0 ? [i] : []));
      const none = (p & 1) === 1 || x.ndim === 0;
      if ((none && x.size === 0) || (!none && ok.length === 0)) return null;
      const a = none ? undefined : ok[(p >> 1) % ok.length]! - ((p >> 4) & 1) * x.ndim;
      const keepdims = ((p >> 5) & 1) === 1;
      if ((p >> 6) & 1) return [npFunction(op)(x, { axis: a, keepdims }), `np.${op}(${nx}, { axis: ${show(a)}, keepdims: ${keepdims} })`];
      return [npFunction(op)(x, a, keepdims), `np.${op}(${nx}, ${show(a)}, ${keepdims})`];
    }
    case "cumulative": {
      const a = (p & 1) === 1 || x.ndim === 0 ? undefined : ((p >> 1) % x.ndim) - ((p >> 4) & 1) * x.ndim;
      return [npFunction(op)(x, a), `np.${op}(${nx}, ${show(a)})`];
    }
    case "sort": {
      // The default axis (-1), one axis, or null (flattened); a 0-d array only flattened.
      const a = x.ndim === 0 || (p & 3) === 3 ? null : (p & 3) === 0 ? undefined : ((p >> 2) % x.ndim) - ((p >> 5) & 1) * x.ndim;
      return [npFunction(op)(x, a), `np.${op}(${nx}${a === undefined ? "" : `, ${show(a)}`})`];
    }
    case "matmul": {
      if ((p & 3) === 3) return contractionStep(op as "matmul" | "dot", x, pool, at(s.b), p, nx, names);
      let a = x;
      if (a.ndim === 0) a = np.reshape(a, [1]);
      if (a.ndim > 2) a = np.reshape(a, [sizeOf(a.shape.slice(0, -1)), a.shape[a.ndim - 1]!]);
      const K = a.shape[a.ndim - 1]!;
      let b: NDArray | undefined;
      for (let j = 0; j < pool.length && !b; j++) {
        const c = pool[at(s.b + j)]!;
        if ((c.ndim === 1 || c.ndim === 2) && c.shape[0] === K) b = c;
      }
      b ??= a.ndim === 2 ? np.transpose(a) : a;
      return [npFunction(op)(a, b), `np.${op}(${nx} as ${typeStr(a)}, ${typeStr(b)} operand)`];
    }
    case "reshape": {
      const t = reshapeTarget(x.shape, p);
      return [np.reshape(x, t), `np.reshape(${nx}, ${show(t)})`];
    }
    case "transpose": {
      if (x.ndim <= 1 || p & 1) return [np.transpose(x), `np.transpose(${nx})`];
      const perm = permutation(x.ndim, p >> 1);
      return [np.transpose(x, perm), `np.transpose(${nx}, ${show(perm)})`];
    }
    case "flip": {
      // Every axis, one axis (possibly negative) or a subset by the bits of p.
      if (x.ndim === 0 || (p & 3) === 0) return [np.flip(x), `np.flip(${nx})`];
      if ((p & 3) === 1) {
        const a = ((p >> 2) % x.ndim) - ((p >> 6) & 1) * x.ndim;
        return [np.flip(x, a), `np.flip(${nx}, ${a})`];
      }
      const axes = Array.from({ length: x.ndim }, (_, i) => i).filter((i) => (p >> (2 + i)) & 1);
      return [np.flip(x, axes), `np.flip(${nx}, ${show(axes)})`];
    }
    case "assembly": {
      const y = pool[at(s.b)]!;
      return assemblyStep(op, x, y, nx, names[at(s.b)]!, p);
    }
    case "broadcastTo": {
      const t = broadcastTarget(x.shape, p);
      return [np.broadcastTo(x, t), `np.broadcastTo(${nx}, ${show(t)})`];
    }
    case "expandDims": {
      let axis = p % (x.ndim + 1);
      if ((p >> 4) & 1) axis -= x.ndim + 1;
      return [np.expandDims(x, axis), `np.expandDims(${nx}, ${axis})`];
    }
    case "squeeze": {
      const ones = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
      if (p & 1 && ones.length) {
        const ax = ones[(p >> 1) % ones.length]!;
        return [np.squeeze(x, ax), `np.squeeze(${nx}, ${ax})`];
      }
      return [np.squeeze(x), `np.squeeze(${nx})`];
    }
    case "astype": {
      const dt = DTYPES[p % DTYPES.length]!;
      return [np.astype(x, dt), `np.astype(${nx}, "${dt}")`];
    }
    case "const": {
      const shape = (p & 3) === 0 ? [] : x.shape;
      const dtype: DType = DTYPES[(p >> 2) % DTYPES.length]!;
      const c = makeArray({ shape, dtype, offset: p >> 4 }, ctx.values);
      return [c, `np.array(<${typeStr(c)} from pool offset ${p >> 4}>)`];
    }
    case "assign": {
      if (ctx.vars.length === 0) return null;
      const vi = s.b % ctx.vars.length;
      const v = ctx.vars[vi]!;
      if (p & 1) {
        const k = SCALARS[(p >> 1) % SCALARS.length]!;
        v.value = k;
        return [v.value, `v${vi}.value = ${show(k)}; v${vi}.value`];
      }
      v.value = fitTo(x, v.shape, v.dtype);
      return [v.value, `v${vi}.value = fit(${nx}); v${vi}.value`];
    }
    case "nn": {
      const f = (nn as unknown as Record<string, (...a: unknown[]) => NDArray>)[op]!;
      if (op === "softmax" || op === "logSoftmax") {
        if (x.ndim === 0) return [f(x, null), `nn.${op}(${nx}, null)`];
        const axis = ((p >> 1) % x.ndim) - ((p >> 4) & 1) * x.ndim;
        return [f(x, axis), `nn.${op}(${nx}, ${axis})`];
      }
      if (op === "gelu") {
        const approximate = (p & 1) === 0;
        return [f(x, { approximate }), `nn.gelu(${nx}, { approximate: ${approximate} })`];
      }
      return [f(x), `nn.${op}(${nx})`];
    }
    case "outer": {
      const y = pool[at(s.b)]!;
      if (x.size * y.size > MAX_SIZE) return null;
      return [np.outer(x, y), `np.outer(${nx}, ${names[at(s.b)]!})`];
    }
    case "random": {
      const shape = p & 2 ? [] : x.shape;
      const dist = p & 1 ? "normal" : "random";
      return [np.random[dist](shape), `np.random.${dist}(${show(shape)})`];
    }
    default:
      throw new Error(`properties: step kind ${kind} is control flow; runSteps hands it to control.ts`);
  }
}

const PREFIX = ["t", "u", "w"] as const;

/** Runs `steps` on `ctx`'s pool, appending the values each step adds (and its source lines). */
export function runSteps(steps: readonly Step[], ctx: Ctx): void {
  const indent = "  ".repeat(ctx.depth + 1);
  const prefix = PREFIX[ctx.depth] ?? `d${ctx.depth}_`;
  for (const s of steps) {
    if (isControl(s)) {
      const names = Array.from({ length: valuesAdded(s, ctx.vars.length) }, (_, k) => `${prefix}${ctx.pool.length + k}`);
      const values = runControl(s, ctx, names, indent, runSteps);
      ctx.pool.push(...values);
      ctx.names.push(...names);
      continue;
    }
    const r = runStep(s, ctx);
    if (!r) continue;
    const name = `${prefix}${ctx.pool.length}`;
    ctx.listing?.push(`${indent}${name} = ${r[1]};  // ${typeStr(r[0])}`);
    ctx.pool.push(r[0]);
    ctx.names.push(name);
  }
}

/**
 * The recipe as a function of its input arrays, closing over `vars`. It returns the
 * last value computed and the extra values the recipe selects. With `listing`, it
 * appends one line of np source per step (for failure reports).
 */
export function makeFunction(recipe: Recipe, vars: readonly Variable[], values: readonly number[], listing?: string[]) {
  return function generated(...xs: NDArray[]): NDArray[] {
    const ctx: Ctx = { pool: [...xs], names: xs.map((_, i) => `x${i}`), vars, values, listing, depth: 0 };
    recipe.vars.forEach((spec, i) => {
      if (!spec.read) return;
      ctx.pool.push(vars[i]!.value);
      ctx.names.push(`v${i}.value`);
    });
    listing?.push(`function (${ctx.names.join(", ")}) {`);
    runSteps(recipe.steps, ctx);
    const outs = [ctx.pool.length - 1, ...recipe.outs.map((i) => i % ctx.pool.length)];
    listing?.push(`  return [${outs.map((i) => ctx.names[i]).join(", ")}];`, "}");
    return outs.map((i) => ctx.pool[i]!);
  };
}

/**
 * The program as np source, for reports. Listed while tracing (so each body appears
 * once, both branches of a cond included); eagerly if tracing fails, up to the step
 * that failed.
 */
export function programListing(recipe: Recipe, inputs: readonly ArraySpec[], values: readonly number[]): string[] {
  for (const mode of ["traced", "eager"] as const) {
    const listing: string[] = [];
    resetStream();
    const fn = makeFunction(recipe, makeVariables(recipe.vars, values), values, listing);
    try {
      (mode === "traced" ? jit(fn, { tier: "interpreter", name: "listing" }) : fn)(...inputs.map((s) => makeArray(s, values)));
      return listing;
    } catch {
      if (mode === "eager") return listing;
    }
  }
  return [];
}
