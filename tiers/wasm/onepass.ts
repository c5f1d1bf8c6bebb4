// The one-pass "matvec → elementwise → vecmat over the same matrix" kernel (the
// logistic-regression step's shape, issue #5). Two consecutive fused kernels
//
//   A: z = X·w  ([M,D]x[D,1]), epilogue over the M rows computing g (and anything else)
//   B: u = gᵀ·X ([1,M]x[M,D]), epilogue over the D columns
//
// become one loop over X, four rows per iteration: each row's chunks are loaded once
// and used for both products. The canonical summation orders are kept exactly:
// - row r's z sums its products in partials by column % 4 (the lanes of one
//   accumulator; a masked tail adds -0), combined (p0+p1)+(p2+p3), as emitMatmul;
// - u[j]'s partial r % 4 accumulates g[r]*X[r,j] in row order: in a block of rows
//   i..i+3 (i % 4 == 0) row i+l goes to partial l, so partial l is a vector set over
//   the columns; combined (P0+P1)+(P2+P3) at the end.
// A's epilogue runs once per block on the four z's as one vector; tail rows and tail
// columns run scalar. Partials live in locals up to UNROLL_CHUNKS vectors per row,
// otherwise in a scratch region (then a block's four rows are re-read from cache
// for the second product, still one pass over X in memory).

import type { ContractionKernel, Kernel } from "../../ir/kernel.js";
import type { Instr, Program } from "../../ir/program.js";
import type { Shape } from "../../ir/shape.js";
import type { Fn } from "./fn.js";
import { combineLanes, evalBody, hoistSplats, mulAdd, type EwLoop } from "./loops.js";
import { lowerOp } from "./ew.js";
import type { Scope } from "./layout.js";
import { x, type Expr } from "./recipe.js";
import { Lanes, type V } from "./values.js";

const UNROLL_CHUNKS = 8;

export interface OnePass {
  readonly a: ContractionKernel;
  readonly b: ContractionKernel;
}

/** Kernels ki and ki+1 as a one-pass pair, if they have that shape. */
export function matchOnePass(p: Program, kernels: readonly Kernel[], ki: number): OnePass | undefined {
  const a = kernels[ki];
  const b = kernels[ki + 1];
  if (a?.kind !== "matmul" || b?.kind !== "matmul" || a.prologue.length || b.prologue.length) return undefined;
  const [X, w] = a.main.args as [number, number];
  const [g, X2] = b.main.args as [number, number];
  const xs = p.values[X]!;
  if (xs.shape.length !== 2) return undefined;
  const [M, D] = xs.shape as [number, number];
  if (X2 !== X || p.values[a.main.out]!.shape[1] !== 1 || p.values[b.main.out]!.shape[0] !== 1) return undefined;
  if (M === 0 || D === 0 || !a.writes.includes(g) || w === X) return undefined;
  return { a, b };
}

type LoopFor = (k: Kernel, shape: Shape, instrs: readonly Instr[]) => EwLoop;

export function emitOnePass(fn: Fn, scope: Scope, m: OnePass, loopFor: LoopFor): void {
  const p = scope.p;
  const values = p.values;
  const A = m.a.main;
  const B = m.b.main;
  const X = scope.of(A.args[0]!);
  const w = scope.of(A.args[1]!);
  const [M, D] = values[A.args[0]!]!.shape as [number, number];
  const dt = X.dt;
  const zero = dt === "int32" ? 0 : -0;
  const V4 = new Lanes(fn, true);
  const S = new Lanes(fn, false);
  const c = (v: number) => x("i32.const", v);
  const add = (q: Expr, r: Expr | number) => (typeof r === "number" && r === 0 ? q : x("i32.add", q, typeof r === "number" ? c(r) : r));
  const vadd = (L: Lanes, u: V, v: V) => lowerOp(L, "add", dt, dt, [u, v]);
  const vmul = (L: Lanes, u: V, v: V) => lowerOp(L, "mul", dt, dt, [u, v]);
  const epiA = loopFor(m.a, values[A.out]!.shape, m.a.epilogue);
  const epiB = loopFor(m.b, values[B.out]!.shape, m.b.epilogue);
  const storeA = m.a.writes.includes(A.out) ? scope.of(A.out) : undefined;
  const storeB = m.b.writes.includes(B.out) ? scope.of(B.out) : undefined;

  const C = Math.ceil(D / 4);
  const D4 = D & ~3;
  const inLocals = C <= UNROLL_CHUNKS;
  const wv = inLocals ? Array.from({ length: C }, (_, k) => V4.load(w, 4 * k)) : [];
  // u's partials: P[l][chunk] in locals, or at scratch[(l*C + chunk)*4] in memory.
  const P = inLocals ? [0, 1, 2, 3].map(() => Array.from({ length: C }, () => V4.mutable(dt, V4.const(dt, zero)))) : [];
  const scratch = inLocals ? undefined : scope.layout.alloc(dt, 16 * C);
  if (scratch) {
    const z = V4.const(dt, zero);
    fn.loop(0, 16 * C, 4, (k) => V4.store(scratch, k, z));
  }

  /** z of the row starting at element `base`, as a scalar V; `rowChunks` gets the row's chunks when in locals. */
  const rowDot = (base: Expr, rowChunks: V[]): V => {
    const acc = V4.mutable(dt, V4.const(dt, zero));
    const step = (xv: V, wk: V, k: number) => {
      if (4 * k < D4) acc.set(mulAdd(V4, acc.get(), xv, wk));
      else acc.set(vadd(V4, acc.get(), V4.keepLanes(vmul(V4, xv, wk), D - D4, zero)));
    };
    if (inLocals) {
      for (let k = 0; k < C; k++) {
        const xv = V4.load(X, add(base, 4 * k));
        rowChunks.push(xv);
        step(xv, wv[k]!, k);
      }
    } else {
      fn.loop(0, D4, 4, (k) => acc.set(mulAdd(V4, acc.get(), V4.load(X, x("i32.add", base, k)), V4.load(w, k))));
      if (D4 < D) step(V4.load(X, add(base, D4)), V4.load(w, D4), C - 1);
    }
    return combineLanes(V4, S, "sum", acc.get());
  };

  /** Adds g (a scalar V) times the row at `base` into partial l. */
  const accumulate = (l: number, g: V, base: Expr, rowChunks: readonly V[]): void => {
    const gs = V4.splat(g);
    if (inLocals) {
      rowChunks.forEach((xv, k) => P[l]![k]!.set(mulAdd(V4, P[l]![k]!.get(), gs, xv)));
      return;
    }
    fn.loop(0, 4 * C, 4, (k) => {
      const at = x("i32.add", k, c(l * C * 4));
      V4.store(scratch!, at, mulAdd(V4, V4.load(scratch!, at), gs, V4.load(X, x("i32.add", base, k))));
    });
  };

  const M4 = M & ~3;
  const gOf = (env: Map<number, V>) => env.get(B.args[0]!)!;
  if (M4 > 0) {
    const hoisted = hoistSplats(V4, epiA);
    fn.loop(0, M4, 4, (i) => {
      const bases = [0, 1, 2, 3].map((l) => fn.let("i32", x("i32.mul", add(i, l), c(D))));
      const chunks: V[][] = [[], [], [], []];
      const zs = bases.map((b, l) => rowDot(b, chunks[l]!));
      const z = joinLanes(V4, zs);
      if (storeA) V4.store(storeA, i, z);
      const g = gOf(evalBody(V4, values, epiA, i, new Map([...hoisted, [A.out, z]])));
      bases.forEach((b, l) => accumulate(l, S.let(dt, [V4.lane(g, l)]), b, chunks[l]!));
    });
  }
  if (M4 < M) {
    const hoisted = hoistSplats(S, epiA);
    for (let r = M4; r < M; r++) {
      const b = fn.let("i32", c(r * D));
      const chunks: V[] = [];
      const z = rowDot(b, chunks);
      if (storeA) S.store(storeA, r, z);
      accumulate(r - M4, gOf(evalBody(S, values, epiA, r, new Map([...hoisted, [A.out, z]]))), b, chunks);
    }
  }

  // u = (P0 + P1) + (P2 + P3) per chunk, then B's epilogue over the columns.
  const partial = (l: number, k: number): V => (inLocals ? P[l]![k]!.get() : V4.load(scratch!, (l * C + k) * 4));
  const hv = hoistSplats(V4, epiB);
  const hs = hoistSplats(S, epiB);
  for (let k = 0; k < C; k++) {
    const u = vadd(V4, vadd(V4, partial(0, k), partial(1, k)), vadd(V4, partial(2, k), partial(3, k)));
    if (4 * k < D4) {
      if (storeB) V4.store(storeB, 4 * k, u);
      evalBody(V4, values, epiB, 4 * k, new Map([...hv, [B.out, u]]));
      continue;
    }
    for (let j = D4; j < D; j++) {
      const uj = S.let(dt, [V4.lane(u, j - D4)]);
      if (storeB) S.store(storeB, j, uj);
      evalBody(S, values, epiB, j, new Map([...hs, [B.out, uj]]));
    }
  }
}

/** Four scalar Vs as the lanes of one vector V. */
function joinLanes(V4: Lanes, s: readonly V[]): V {
  const dt = s[0]!.dt;
  const e = (l: number) => s[l]!.p[0]!;
  if (dt === "float64") {
    const pair = (l: number) => x("f64x2.replace_lane", x("f64x2.splat", e(l)), 1, e(l + 1));
    return V4.let(dt, [pair(0), pair(2)]);
  }
  const ns = dt === "float32" ? "f32x4" : "i32x4";
  let v: Expr = x(`${ns}.splat`, e(0));
  for (let l = 1; l < 4; l++) v = x(`${ns}.replace_lane`, v, l, e(l));
  return V4.let(dt, [v]);
}
