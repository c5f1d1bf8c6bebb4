// The loop nests tier 2 emits, each into one wasm function: elementwise loops (SIMD
// main loop over 4 elements, scalar tail unrolled with static indices), reductions
// and matmul in the canonical summation order of ir/kernels/reduce.ts (term j goes to
// partial j % 4, partials start at the identity, combined (p0+p1)+(p2+p3); reductions
// per block of REDUCE_BLOCK terms, the blocks merged pairwise). In SIMD
// form the four lanes of an accumulator ARE the four partials; a loop tail loads a
// whole vector and replaces the lanes past the end by the identity, which leaves every
// partial unchanged (x + -0 = x, max(x, -Inf) = x).

import type { DType } from "../../ir/dtype.js";
import { REDUCE, isElementwise, type ReduceOp } from "../../ir/ops.js";
import type { Instr, ValueInfo } from "../../ir/program.js";
import { InternalError } from "../../ir/errors.js";
import { REDUCE_BLOCK } from "../../ir/kernels/reduce.js";
import { sizeOf } from "../../ir/shape.js";
import { lowerOp } from "./ew.js";
import type { Fn } from "./fn.js";
import { ty, x, type Expr } from "./recipe.js";
import { Lanes, type Region, type V } from "./values.js";

export interface EwLoop {
  readonly n: number;
  readonly instrs: readonly Instr[];
  /** Where each value read from memory lives; a region of size 1 is splat, otherwise read at the loop index. */
  readonly src: ReadonlyMap<number, Region>;
  /** Values to store, and where. */
  readonly dst: ReadonlyMap<number, Region>;
  /**
   * Broadcast reads without materialising: the loop runs as rows of `inner` elements
   * (n = rows * inner); each read listed here (its region in `src`) starts row o at
   * element table[o] and is contiguous along the row, or one element splat over it.
   */
  readonly nest?: { readonly inner: number; readonly reads: ReadonlyMap<number, { readonly table: Region; readonly splat: boolean }> };
}

/** Evaluates a loop body at element `idx` (4 elements in vector Lanes), storing loop.dst; returns every value it computed. */
export function evalBody(L: Lanes, values: readonly ValueInfo[], loop: EwLoop, idx: Expr | number, hoisted: ReadonlyMap<number, V>, at?: ReadonlyMap<number, Expr>): Map<number, V> {
  const env = new Map<number, V>(hoisted);
  const get = (id: number): V => {
    let v = env.get(id);
    if (!v) {
      v = L.load(loop.src.get(id)!, at?.get(id) ?? idx);
      env.set(id, v);
    }
    return v;
  };
  for (const ins of loop.instrs) {
    if (ins.op === "reshape") env.set(ins.out, get(ins.args[0]!));
    else if (isElementwise(ins.op)) {
      const args = ins.args.map(get);
      const dt = ins.op === "where" ? values[ins.args[1]!]!.dtype : values[ins.args[0]!]!.dtype;
      env.set(ins.out, lowerOp(L, ins.op, dt, values[ins.out]!.dtype, args));
    }
  }
  for (const [id, r] of loop.dst) L.store(r, idx, get(id));
  return env;
}

/** Size-1 reads of a loop, loaded once and splat (into vector lanes for a vector Lanes). */
export function hoistSplats(L: Lanes, loop: EwLoop): Map<number, V> {
  const hoisted = new Map<number, V>();
  for (const [id, r] of loop.src) if (r.n === 1 && loop.n !== 1) hoisted.set(id, L.splatLoad(r));
  return hoisted;
}

export function emitElementwise(fn: Fn, values: readonly ValueInfo[], loop: EwLoop): void {
  if (loop.nest) return emitNest(fn, values, loop, loop.nest);
  const n = loop.n;
  const n4 = n & ~3;
  for (const vec of [true, false]) {
    const L = new Lanes(fn, vec);
    if (vec && n4 === 0) continue;
    if (!vec && n4 === n) continue;
    const hoisted = hoistSplats(L, loop);
    if (vec) fn.loop(0, n4, 4, (i) => evalBody(L, values, loop, i, hoisted));
    else for (let i = n4; i < n; i++) evalBody(L, values, loop, i, hoisted);
  }
}

/** The elementwise loop as rows (EwLoop.nest): per row, each broadcast read's base is loaded from its table. */
function emitNest(fn: Fn, values: readonly ValueInfo[], loop: EwLoop, nest: NonNullable<EwLoop["nest"]>): void {
  const B = nest.inner;
  const B4 = B & ~3;
  const lanes = [new Lanes(fn, true), new Lanes(fn, false)] as const;
  const hoisted = lanes.map((L) => hoistSplats(L, loop));
  const S = lanes[1];
  fn.loop(0, loop.n / B, 1, (o) => {
    const row = fn.let("i32", x("i32.mul", o, x("i32.const", B)));
    const bases = new Map<number, Expr>();
    const splats: Map<number, V>[] = [new Map(hoisted[0]), new Map(hoisted[1])];
    for (const [id, { table, splat }] of nest.reads) {
      const base = S.load(table, o).p[0]!;
      if (!splat) bases.set(id, base);
      else {
        const v = S.load(loop.src.get(id)!, base);
        splats[1]!.set(id, v);
        splats[0]!.set(id, lanes[0].splat(v));
      }
    }
    const at = (j: Expr) => new Map([...bases].map(([id, b]) => [id, fn.let("i32", x("i32.add", b, j))] as const));
    if (B4 > 0) fn.loop(0, B4, 4, (j) => evalBody(lanes[0], values, loop, x("i32.add", row, j), splats[0]!, at(j)));
    for (let j = B4; j < B; j++) evalBody(S, values, loop, fn.let("i32", x("i32.add", row, x("i32.const", j))), splats[1]!, at(x("i32.const", j)));
  });
}

type Comb = ReduceOp;

const startOf = (op: Comb, dt: DType): number => REDUCE[op].start(dt);
const emptyOf = (op: Comb, dt: DType): number => REDUCE[op].empty(dt) ?? startOf(op, dt);

/** The reduction's combine step: tier 2's own lowering of its elementwise combine op (ir/ops.ts REDUCE). */
function combine(L: Lanes, op: Comb, a: V, b: V): V {
  return lowerOp(L, REDUCE[op].combine, a.dt, a.dt, [a, b]);
}

/** (p0 ⊕ p1) ⊕ (p2 ⊕ p3) of a vector accumulator's lanes, as a scalar V. */
export function combineLanes(V4: Lanes, S: Lanes, op: Comb, acc: V): V {
  const lane = (l: number) => S.let(acc.dt, [V4.lane(acc, l)]);
  return combine(S, op, combine(S, op, lane(0), lane(1)), combine(S, op, lane(2), lane(3)));
}

/**
 * The pairwise merge of block values (ir/kernels/reduce.ts foldBlocks) over a stack of
 * scalars in memory, for one output: push(v, count) merges while count has trailing
 * zero bits (count = blocks done so far), fold() combines the stack from the top.
 */
class BlockStack {
  private readonly sp: number;
  constructor(private readonly fn: Fn, private readonly S: Lanes, private readonly op: Comb, private readonly stack: Region) {
    this.sp = fn.local("i32");
    fn.emit(x("local.set", this.sp, x("i32.const", 0)));
  }
  private spGet(): Expr {
    return this.fn.get(this.sp, "i32");
  }
  private spAdd(d: number): void {
    this.fn.emit(x("local.set", this.sp, x("i32.add", this.spGet(), x("i32.const", d))));
  }
  /** `while (cond()) body()`: cond and body emit their statements inside the loop. */
  private whileLoop(cond: () => Expr, body: () => void): void {
    const { fn } = this;
    const done = fn.label("W");
    const again = fn.label("L");
    const inner = fn.block(() => {
      fn.emit(x("br_if", done, x("i32.eqz", cond())));
      body();
      fn.emit(x("br", again));
    });
    fn.emit(x("block", done, [x("loop", again, inner)], ty("none")));
  }
  push(v: V, count: Expr): void {
    const { fn, S, op, stack } = this;
    const c = fn.local("i32");
    fn.emit(x("local.set", c, count));
    const acc = S.mutable(v.dt, v);
    this.whileLoop(
      () => x("i32.eqz", x("i32.and", fn.get(c, "i32"), x("i32.const", 1))),
      () => {
        this.spAdd(-1);
        acc.set(combine(S, op, S.load(stack, this.spGet()), acc.get()));
        fn.emit(x("local.set", c, x("i32.shr_u", fn.get(c, "i32"), x("i32.const", 1))));
      },
    );
    S.store(stack, this.spGet(), acc.get());
    this.spAdd(1);
  }
  fold(dt: DType): V {
    const { S, op, stack } = this;
    this.spAdd(-1);
    const acc = S.mutable(dt, S.load(stack, this.spGet()));
    this.whileLoop(
      () => x("i32.gt_s", this.spGet(), x("i32.const", 0)),
      () => {
        this.spAdd(-1);
        acc.set(combine(S, op, S.load(stack, this.spGet()), acc.get()));
      },
    );
    return acc.get();
  }
}

/**
 * One output of a reduction of m > 0 terms: blocks of REDUCE_BLOCK terms, each reduced
 * by `block(lo, n)` (n terms from term lo, a static count; lo is static or a runtime
 * i32), merged pairwise through `stack` (not needed when m fits one block).
 */
function reduceBlocks(fn: Fn, S: Lanes, op: Comb, dt: DType, m: number, stack: Region | undefined, block: (lo: Expr | number, n: number) => V): V {
  if (m <= REDUCE_BLOCK) return block(0, m);
  if (!stack) throw new InternalError("a reduction of several blocks needs its stack region");
  const full = Math.floor(m / REDUCE_BLOCK);
  const rest = m - full * REDUCE_BLOCK;
  const st = new BlockStack(fn, S, op, stack);
  fn.loop(0, full, 1, (b) => {
    const lo = fn.let("i32", x("i32.mul", b, x("i32.const", REDUCE_BLOCK)));
    st.push(block(lo, REDUCE_BLOCK), x("i32.add", b, x("i32.const", 1)));
  });
  if (rest > 0) st.push(block(full * REDUCE_BLOCK, rest), x("i32.const", full + 1));
  return st.fold(dt);
}

/** Scalars a reduction of m terms needs for its block stack (reduceBlocks), or 0. */
export function reduceStackSize(m: number): number {
  return m <= REDUCE_BLOCK ? 0 : Math.ceil(Math.log2(Math.ceil(m / REDUCE_BLOCK))) + 2;
}

const at = (lo: Expr | number, k: Expr | number): Expr =>
  typeof lo === "number" && typeof k === "number" ? x("i32.const", lo + k) : x("i32.add", typeof lo === "number" ? x("i32.const", lo) : lo, typeof k === "number" ? x("i32.const", k) : k);

/** A reduction over contiguous trailing axes: out[o] = reduce(in[o*m .. o*m+m)). */
export function emitReduceContiguous(fn: Fn, op: Comb, input: Region, out: Region, m: number, stack?: Region): void {
  const dt = input.dt;
  const V4 = new Lanes(fn, true);
  const S = new Lanes(fn, false);
  const start = startOf(op, dt);
  fn.loop(0, out.n, 1, (o) => {
    if (m === 0) {
      S.store(out, o, S.const(dt, emptyOf(op, dt)));
      return;
    }
    const base = fn.let("i32", x("i32.mul", o, x("i32.const", m)));
    const res = reduceBlocks(fn, S, op, dt, m, stack, (lo, n) => {
      const n4 = n & ~3;
      const from = fn.let("i32", at(base, lo));
      const acc = V4.mutable(dt, V4.const(dt, start));
      fn.loop(0, n4, 4, (j) => acc.set(combine(V4, op, acc.get(), V4.load(input, x("i32.add", from, j)))));
      if (n4 < n) {
        const tail = V4.keepLanes(V4.load(input, x("i32.add", from, x("i32.const", n4))), n - n4, start);
        acc.set(combine(V4, op, acc.get(), tail));
      }
      return combineLanes(V4, S, op, acc.get());
    });
    S.store(out, o, res);
  });
}

/** Any reduction: element (o, j) of the reduced view is in[outer[o] + inner[j]] (offset tables in memory). */
export function emitReduceGeneral(fn: Fn, op: Comb, input: Region, out: Region, outer: Region, inner: Region, stack?: Region): void {
  const dt = input.dt;
  const S = new Lanes(fn, false);
  const m = inner.n;
  const start = startOf(op, dt);
  fn.loop(0, out.n, 1, (o) => {
    if (m === 0) {
      S.store(out, o, S.const(dt, emptyOf(op, dt)));
      return;
    }
    const base = S.load(outer, o).p[0]!;
    const term = (j: Expr) => S.load(input, x("i32.add", base, S.load(inner, j).p[0]!));
    const res = reduceBlocks(fn, S, op, dt, m, stack, (lo, n) => {
      const n4 = n & ~3;
      const ps = [0, 1, 2, 3].map(() => S.mutable(dt, S.const(dt, start)));
      fn.loop(0, n4, 4, (j) => {
        for (let l = 0; l < 4; l++) ps[l]!.set(combine(S, op, ps[l]!.get(), term(at(lo, x("i32.add", j, x("i32.const", l))))));
      });
      for (let l = 0; l < n - n4; l++) ps[l]!.set(combine(S, op, ps[l]!.get(), term(at(lo, n4 + l))));
      const [a, b, c, d] = ps.map((p) => p.get()) as [V, V, V, V];
      return combine(S, op, combine(S, op, a, b), combine(S, op, c, d));
    });
    S.store(out, o, res);
  });
}

export function mulAdd(L: Lanes, acc: V, a: V, b: V): V {
  const prod = lowerOp(L, "mul", acc.dt, acc.dt, [a, b]);
  return lowerOp(L, "add", acc.dt, acc.dt, [acc, prod]);
}

/** Element offsets of one product of a batch inside its operands' and result's regions. */
export interface Bases {
  readonly a: Expr;
  readonly b: Expr;
  readonly o: Expr;
}

/** A batch of B products [M,K]·[K,N], one after another in each region: `body` runs once per product with its bases. */
export function forBatch(fn: Fn, B: number, M: number, K: number, N: number, body: (base: Bases | undefined) => void): void {
  if (B === 1) return body(undefined);
  const c = (v: number) => x("i32.const", v);
  fn.loop(0, B, 1, (t) => body({ a: fn.let("i32", x("i32.mul", t, c(M * K))), b: fn.let("i32", x("i32.mul", t, c(K * N))), o: fn.let("i32", x("i32.mul", t, c(M * N))) }));
}

const plus = (base: Expr | undefined, e: Expr): Expr => (base ? x("i32.add", base, e) : e);

/** [M,K]·[K,N] → [M,N] (at `base` in a batch); each output sums a[i,k]*b[k,j] with k going to partial k % 4. */
export function emitMatmul(fn: Fn, a: Region, b: Region, out: Region, M: number, K: number, N: number, base?: Bases): void {
  const dt = out.dt;
  const V4 = new Lanes(fn, true);
  const S = new Lanes(fn, false);
  if (K === 0) {
    // The empty sum is +0; the region may hold an earlier value (region reuse, an earlier loop iteration).
    fn.loop(0, out.n, 1, (i) => S.store(out, i, S.const(dt, 0)));
    return;
  }
  const zero = dt === "int32" ? 0 : -0;
  const K4 = K & ~3;
  const c = (v: number) => x("i32.const", v);
  const add = (p: Expr, q: Expr) => x("i32.add", p, q);
  const mul = (p: Expr, q: Expr) => x("i32.mul", p, q);
  if (N === 1) return emitMatvec(fn, a, b, out, M, K, base);
  fn.loop(0, M, 1, (i) => {
    const rowA = fn.let("i32", plus(base?.a, mul(i, c(K))));
    const rowO = fn.let("i32", plus(base?.o, mul(i, c(N))));
    const N4 = N & ~3;
    // Four output columns at a time: partial l of all four lives in vector P[l].
    fn.loop(0, N4, 4, (j) => {
      const P = [0, 1, 2, 3].map(() => V4.mutable(dt, V4.const(dt, zero)));
      const step = (k: Expr, l: number) => {
        const av = V4.splat(S.load(a, add(rowA, k)));
        P[l]!.set(mulAdd(V4, P[l]!.get(), av, V4.load(b, plus(base?.b, add(mul(k, c(N)), j)))));
      };
      fn.loop(0, K4, 4, (k) => {
        for (let l = 0; l < 4; l++) step(fn.let("i32", add(k, c(l))), l);
      });
      for (let l = 0; l < K - K4; l++) step(c(K4 + l), l);
      const [p0, p1, p2, p3] = P.map((p) => p.get()) as [V, V, V, V];
      const sum = (u: V, v: V) => lowerOp(V4, "add", dt, dt, [u, v]);
      V4.store(out, add(rowO, j), sum(sum(p0, p1), sum(p2, p3)));
    });
    for (let j = N4; j < N; j++) {
      const ps = [0, 1, 2, 3].map(() => S.mutable(dt, S.const(dt, zero)));
      const step = (k: Expr, l: number) => ps[l]!.set(mulAdd(S, ps[l]!.get(), S.load(a, add(rowA, k)), S.load(b, plus(base?.b, add(mul(k, c(N)), c(j))))));
      fn.loop(0, K4, 4, (k) => {
        for (let l = 0; l < 4; l++) step(fn.let("i32", add(k, c(l))), l);
      });
      for (let l = 0; l < K - K4; l++) step(c(K4 + l), l);
      const [p0, p1, p2, p3] = ps.map((p) => p.get()) as [V, V, V, V];
      const sum = (u: V, v: V) => lowerOp(S, "add", dt, dt, [u, v]);
      S.store(out, add(rowO, c(j)), sum(sum(p0, p1), sum(p2, p3)));
    }
  });
}

/**
 * [M,K]·[K] (K > 0): the lanes of one accumulator are the partials over k. Rows go
 * four at a time (four independent accumulators, one load of each b chunk): one row's
 * adds form a dependency chain that alone would leave the SIMD units idle.
 */
export function emitMatvec(fn: Fn, a: Region, b: Region, out: Region, M: number, K: number, base?: Bases): void {
  const M4 = M & ~3;
  fn.loop(0, M4, 4, (i) => matvecRows(fn, a, b, out, K, i, 4, base));
  fn.loop(M4, M, 1, (i) => matvecRows(fn, a, b, out, K, i, 1, base));
}

/** Rows i .. i+R-1 of a matvec (K > 0), stored into out. */
export function matvecRows(fn: Fn, a: Region, b: Region, out: Region, K: number, i: Expr, R: number, base?: Bases): void {
  const dt = out.dt;
  const V4 = new Lanes(fn, true);
  const S = new Lanes(fn, false);
  const zero = dt === "int32" ? 0 : -0;
  const K4 = K & ~3;
  const c = (v: number) => x("i32.const", v);
  const add = (p: Expr, q: Expr) => x("i32.add", p, q);
  const mul = (p: Expr, q: Expr) => x("i32.mul", p, q);
  const rowA = Array.from({ length: R }, (_, r) => fn.let("i32", plus(base?.a, mul(r ? add(i, c(r)) : i, c(K)))));
  const acc = rowA.map(() => V4.mutable(dt, V4.const(dt, zero)));
  fn.loop(0, K4, 4, (k) => {
    const bk = V4.load(b, plus(base?.b, k));
    acc.forEach((ac, r) => ac.set(mulAdd(V4, ac.get(), V4.load(a, add(rowA[r]!, k)), bk)));
  });
  if (K4 < K) {
    const bk = V4.load(b, plus(base?.b, c(K4)));
    acc.forEach((ac, r) => {
      const prod = lowerOp(V4, "mul", dt, dt, [V4.load(a, add(rowA[r]!, c(K4))), bk]);
      ac.set(lowerOp(V4, "add", dt, dt, [ac.get(), V4.keepLanes(prod, K - K4, zero)]));
    });
  }
  acc.forEach((ac, r) => S.store(out, plus(base?.o, r ? add(i, c(r)) : i), combineLanes(V4, S, "sum", ac.get())));
}

export const sizeOfValue = (v: ValueInfo) => sizeOf(v.shape);
