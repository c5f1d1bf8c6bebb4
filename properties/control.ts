// Control-flow steps of generated programs: np.forLoop (a tree carry; or no carry and
// a Variable updated in the body), np.scan (over xs; or a length only), np.whileLoop
// (a counter that surely stops the loop plus data carries) and np.cond (a traced
// predicate; branches that may assign Variables the other does not). Each body is a
// few random steps (recipe.ts) run by build.ts `runSteps` on the body's own pool:
//
//   [carry leaves (or cond operands), i / x / counter, Variable values, outer a, b, c]
//
// so a body reads its carries, the loop index or scanned row, Variables (which the
// loop then carries) and values of the enclosing program (captures). A body returns
// its last values made into the carries' shapes and dtypes (fit.ts `fitTo`), so every
// recipe is a valid program. Step parameters (bits of `p`): bit 0 one or two leaves;
// bit 1 the carry as a bare array / tuple or as an object; bits 2-4 trip count;
// bits 5-6 the lower bound; bit 7 (and up) a data condition (while), the comparison
// (cond) or the Variable a carry-less loop updates.

import { typeStr } from "../ir/printer.js";
import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";
import type { Ctx } from "./build.js";
import { fitTo } from "./fit.js";
import { MAX_SIZE, leavesOf, type Step } from "./recipe.js";

export type RunSteps = (steps: readonly Step[], ctx: Ctx) => void;

/** Trip counts, simplest first; 2 and more let an OSR at iteration 1 hand over mid-loop. */
const COUNTS = [2, 3, 1, 0, 5] as const;

function bounds(p: number): [number, number] {
  const lo = ((p >> 5) & 3) - 1;
  return [lo, lo + COUNTS[(p >> 2) % COUNTS.length]!];
}

/** A carry of 1 or 2 leaves as a tree: bare array or tuple, or an object with a nested tuple. */
function toTree<T>(leaves: readonly T[], obj: boolean): unknown {
  if (leaves.length === 1) return obj ? { a: leaves[0] } : leaves[0];
  return obj ? { a: leaves[0], b: [leaves[1]] } : [leaves[0], leaves[1]];
}

function fromTree(t: any, n: number, obj: boolean): NDArray[] {
  if (n === 1) return [obj ? t.a : t];
  return obj ? [t.a, t.b[0]] : [t[0], t[1]];
}

function paths(root: string, n: number, obj: boolean): string[] {
  if (n === 1) return [obj ? `${root}.a` : root];
  return obj ? [`${root}.a`, `${root}.b[0]`] : [`${root}[0]`, `${root}[1]`];
}

/** Runs a body's steps on a fresh pool seeded with `seeds`, Variable values and the step's outer operands. */
function body(ctx: Ctx, s: Step, steps: readonly Step[], seeds: readonly [NDArray, string][], listed: boolean, run: RunSteps): Ctx {
  const child: Ctx = { pool: [], names: [], vars: ctx.vars, values: ctx.values, listing: listed ? ctx.listing : undefined, depth: ctx.depth + 1 };
  const at = (i: number) => i % ctx.pool.length;
  const all: [NDArray, string][] = [
    ...seeds,
    ...ctx.vars.map((v, i): [NDArray, string] => [v.value, `v${i}.value`]),
    ...[s.a, s.b, s.c].map((i): [NDArray, string] => [ctx.pool[at(i)]!, ctx.names[at(i)]!]),
  ];
  for (const [x, name] of all) {
    child.pool.push(x);
    child.names.push(name);
  }
  run(steps, child);
  return child;
}

/** The value k places before the end of a body's pool, and its name. */
function last(b: Ctx, k: number): [NDArray, string] {
  const i = (((b.pool.length - 1 - k) % b.pool.length) + b.pool.length) % b.pool.length;
  return [b.pool[i]!, b.names[i]!];
}

/** The body's last values fitted to the types of `like`, with the source of the returned tree. */
function results(b: Ctx, like: readonly NDArray[], skip: number, obj: boolean): [unknown, string] {
  const picked = like.map((t, k) => last(b, skip + k));
  const vals = picked.map(([x], k) => fitTo(x, like[k]!.shape, like[k]!.dtype));
  const src = picked.map(([, n], k) => `fit(${n}, ${typeStr(like[k]!)})`);
  return [toTree(vals, obj), toTree(src, obj) as never];
}

const treeSrc = (t: unknown): string => (typeof t === "string" ? t : Array.isArray(t) ? `[${t.map(treeSrc).join(", ")}]` : `{ ${Object.entries(t as object).map(([k, v]) => `${k}: ${treeSrc(v)}`).join(", ")} }`);

/**
 * Runs control step `s` on `ctx`; returns the values it adds to the pool (as many as
 * recipe.ts `valuesAdded` says, named `names` in the listing).
 */
export function runControl(s: Step, ctx: Ctx, names: readonly string[], indent: string, run: RunSteps): NDArray[] {
  const { pool } = ctx;
  const at = (i: number) => i % pool.length;
  const n = leavesOf(s);
  const obj = ((s.p >> 1) & 1) === 1;
  const init = [pool[at(s.a)]!, pool[at(s.b)]!].slice(0, n);
  const initSrc = treeSrc(toTree([ctx.names[at(s.a)]!, ctx.names[at(s.b)]!].slice(0, n), obj));
  const L = ctx.listing;
  const out = `[${names.join(", ")}]`;
  // Bodies run once per iteration eagerly: list each only the first time it runs.
  let listed = L !== undefined;
  const once = () => {
    const l = listed;
    listed = false;
    return l;
  };
  const ret = (src: string) => L?.push(`${indent}  return ${src};`);
  switch (s.def.kind) {
    case "forLoop": {
      const [lo, hi] = bounds(s.p);
      L?.push(`${indent}${out} = leaves(np.forLoop(${lo}, ${hi}, (i, c) => {`);
      const r = np.forLoop(lo, hi, (i, c: unknown) => {
        const l = once();
        const b = body(ctx, s, s.body!, [...fromTree(c, n, obj).map((x, k): [NDArray, string] => [x, paths("c", n, obj)[k]!]), [i, "i"]], l, run);
        const [tree, src] = results(b, init, 0, obj);
        if (l) ret(treeSrc(src));
        return tree;
      }, toTree(init, obj));
      L?.push(`${indent}}, ${initSrc}));`);
      return fromTree(r, n, obj);
    }
    case "forVars": {
      const [lo, hi] = bounds(s.p);
      const vi = ctx.vars.length ? (s.p >> 7) % ctx.vars.length : -1;
      L?.push(`${indent}np.forLoop(${lo}, ${hi}, (i) => {`);
      np.forLoop(lo, hi, (i) => {
        const l = once();
        const b = body(ctx, s, s.body!, [[i, "i"]], l, run);
        if (vi < 0) return;
        const v = ctx.vars[vi]!;
        const [x, name] = last(b, 0);
        v.value = fitTo(x, v.shape, v.dtype);
        if (l) L?.push(`${indent}  v${vi}.value = fit(${name});`);
      });
      L?.push(`${indent}});`);
      if (vi < 0) return [];
      L?.push(`${indent}${names[0]} = v${vi}.value;`);
      return [ctx.vars[vi]!.value];
    }
    case "scan":
    case "scanLength": {
      let xs: NDArray | undefined;
      let length: number | undefined;
      let xsSrc = "undefined";
      if (s.def.kind === "scan") {
        xs = pool[at(s.c)]!;
        xsSrc = ctx.names[at(s.c)]!;
        // Eagerly a scan needs a step to know y's type: never scan an empty leading axis.
        if (xs.ndim === 0) [xs, xsSrc] = [np.expandDims(xs, 0), `expandDims(${xsSrc}, 0)`];
        if (xs.shape[0] === 0) [xs, xsSrc] = [np.reshape(np.sum(xs), [1]), `reshape(sum(${xsSrc}), [1])`];
      } else length = 1 + ((s.p >> 2) % 4);
      const steps = xs ? xs.shape[0]! : length!;
      L?.push(`${indent}${out} = [...leaves(carry), ys] of np.scan((c, x) => {`);
      const [c, ys] = np.scan((c: unknown, x: NDArray | undefined) => {
        const l = once();
        const seeds = fromTree(c, n, obj).map((v, k): [NDArray, string] => [v, paths("c", n, obj)[k]!]);
        if (x) seeds.push([x, "x"]);
        const b = body(ctx, s, s.body!, seeds, l, run);
        const [tree, src] = results(b, init, 1, obj);
        let [y, yName] = last(b, 0);
        if (y.size * steps > 4 * MAX_SIZE) [y, yName] = [np.sum(y), `sum(${yName})`];
        if (l) ret(`[${treeSrc(src)}, ${yName}]`);
        return [tree, y];
      }, toTree(init, obj), xs, length);
      L?.push(`${indent}}, ${initSrc}, ${xsSrc}${length !== undefined ? `, ${length}` : ""});`);
      return [...fromTree(c, n, obj), ys as NDArray];
    }
    case "whileLoop": {
      const bound = (s.p >> 2) % 5;
      const data = ((s.p >> 7) & 1) === 1;
      L?.push(`${indent}${out} = [...leaves(c.d), c.n] of np.whileLoop(`);
      L?.push(`${indent}  (c) => ${data ? `np.minimum(np.less(c.n, ${bound}), np.greater(np.sum(np.astype(${paths("c.d", n, obj)[0]}, "float64")), 0))` : `np.less(c.n, ${bound})`},`);
      L?.push(`${indent}  (c) => {`);
      type W = { n: NDArray; d: unknown };
      const r = np.whileLoop(
        (c: W) => {
          const q = np.less(c.n, bound);
          return data ? np.minimum(q, np.greater(np.sum(np.astype(fromTree(c.d, n, obj)[0]!, "float64")), 0)) : q;
        },
        (c: W) => {
          const l = once();
          const seeds = fromTree(c.d, n, obj).map((v, k): [NDArray, string] => [v, paths("c.d", n, obj)[k]!]);
          const b = body(ctx, s, s.body!, [[c.n, "c.n"], ...seeds], l, run);
          const [tree, src] = results(b, init, 0, obj);
          if (l) ret(`{ n: np.add(c.n, 1), d: ${treeSrc(src)} }`);
          return { n: np.add(c.n, 1), d: tree };
        },
        { n: np.array(0, "int32"), d: toTree(init, obj) },
      );
      L?.push(`${indent}  }, { n: 0, d: ${initSrc} });`);
      return [...fromTree(r.d, n, obj), r.n];
    }
    case "cond": {
      const x = pool[at(s.a)]!;
      const cmp = (s.p >> 7) & 1 ? "lessEqual" : "greater";
      const pred = np[cmp](np.sum(np.astype(x, "float64")), 0);
      const like = [pool[at(s.b)]!, pool[at(s.c)]!].slice(0, n);
      const ops: [NDArray, NDArray] = [pool[at(s.b)]!, pool[at(s.c)]!];
      const opNames = `${ctx.names[at(s.b)]}, ${ctx.names[at(s.c)]}`;
      L?.push(`${indent}${out} = leaves(np.cond(np.${cmp}(np.sum(${ctx.names[at(s.a)]} as f64), 0),`);
      const branch = (steps: readonly Step[], label: string) => {
        let first = L !== undefined;
        return (p0: NDArray, p1: NDArray) => {
          const l = first;
          first = false;
          if (l) L!.push(`${indent}  (p0, p1) => {  // ${label}`);
          const b = body(ctx, s, steps, [[p0, "p0"], [p1, "p1"]], l, run);
          const [tree, src] = results(b, like, 0, obj);
          if (l) L!.push(`${indent}    return ${treeSrc(src)};`, `${indent}  },`);
          return tree;
        };
      };
      const r = np.cond(pred, branch(s.body!, "then"), branch(s.alt!, "else"), ...ops);
      L?.push(`${indent}  ${opNames}));`);
      return fromTree(r, n, obj);
    }
    default:
      throw new Error(`properties: ${s.def.kind} is not a control step`);
  }
}
