// The batching rule of every op, next to the op table (ir/ops.ts): one entry per op
// name, in a table whose type is mapped over `Op`, so adding an op without its rule
// fails tsc.
//
// A batched value carries its batch axis first (size `n`); an unbatched one is the
// same for every lane. A rule receives the instruction of one example, its operands
// (each flagged batched or not; the driver calls a rule only when at least one is,
// except for `always` rules) and the example's result type, and returns the result
// for all lanes, batch axis first. Rules are generic in the array type and build the
// result through `BatchOps`, the np-level op constructors (vm/vmap/bops.ts gives
// NDArray's), so the batched program is an ordinary program of table ops: it runs
// eagerly on concrete arrays, is recorded under jit, and is batched again by an outer
// vmap. Every rule computes each lane's elements with exactly the operations the
// example does (the same reduction order, the same roundings), so a batched result is
// bit for bit the stack of the per-example results.

import type { DType } from "../dtype.js";
import { ArgumentError } from "../errors.js";
import { BINARY_OPS, UNARY_OPS, type ArgReduceOp, type BinaryOp, type ControlOp, type ElementwiseOp, type Op, type ReduceOp, type ScanOp, type SortOp } from "../ops.js";
import type { InstrOf, SingleOp, ValueInfo } from "../program.js";
import { sizeOf, stridesOf } from "../shape.js";

export interface Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** An operand of a batched instruction: `b` says whether `v` has the batch axis (first). */
export interface Batched<T> {
  readonly v: T;
  readonly b: boolean;
}

/** The op constructors batching rules build with; numbers are weak scalars (they take the array's dtype). */
export interface BatchOps<T extends Tensor> {
  /** The instruction `ins` on other operands, with result type `out` and some parameters replaced. */
  reemit<K extends SingleOp>(ins: InstrOf<K>, args: readonly T[], out: ValueInfo, params?: Partial<InstrOf<K>>): T;
  reshape(x: T, shape: readonly number[]): T;
  transpose(x: T, perm: readonly number[]): T;
  broadcast(x: T, shape: readonly number[]): T;
  bin(op: BinaryOp, x: T | number, y: T | number): T;
  where(c: T, x: T | number, y: T | number): T;
  sum(x: T, axes: readonly number[], keepdims: boolean): T;
  concat(xs: readonly T[], axis: number): T;
  /** A constant int32 array. */
  ints(values: ArrayLike<number>, shape: readonly number[]): T;
  gather(x: T, idx: T, axis: number): T;
  scatterSet(x: T, idx: T, upd: T): T;
}

export interface SingleRule<K extends SingleOp> {
  /** The result is batched even when no operand is (random draws: each lane draws its own numbers). */
  readonly always?: true;
  batch<T extends Tensor>(o: BatchOps<T>, ins: InstrOf<K>, x: readonly Batched<T>[], out: ValueInfo, n: number): T;
}

/** Control ops are batched structurally by the driver (vm/vmap/transform.ts); the entry documents how. */
export interface ControlRule {
  readonly structural: string;
}

export type RuleOf<K extends Op> = K extends ControlOp ? ControlRule : K extends SingleOp ? SingleRule<K> : never;

// ---- helpers ----

const range = (n: number, f: (i: number) => number = (i) => i): number[] => Array.from({ length: n }, (_, i) => f(i));
const shift = (axes: readonly number[]): number[] => axes.map((a) => a + 1);
const batchedOut = (out: ValueInfo, n: number): ValueInfo => ({ shape: [n, ...out.shape], dtype: out.dtype });

/** A batched operand with its example rank raised to `rank` by size-1 axes after the batch axis (numpy aligns ranks on the right). */
function lift<T extends Tensor>(o: BatchOps<T>, x: T, rank: number): T {
  const ex = x.shape.length - 1;
  if (ex >= rank) return x;
  return o.reshape(x, [x.shape[0]!, ...range(rank - ex, () => 1), ...x.shape.slice(1)]);
}

/** Every operand batched: unbatched ones broadcast along a new batch axis. */
export function withBatch<T extends Tensor>(o: BatchOps<T>, a: Batched<T>, n: number): T {
  return a.b ? a.v : o.broadcast(o.reshape(a.v, [1, ...a.v.shape]), [n, ...a.v.shape]);
}

/** Moves axis `from` of `x` to position `to`. */
export function moveAxis<T extends Tensor>(o: BatchOps<T>, x: T, from: number, to: number): T {
  if (from === to) return x;
  const perm = range(x.shape.length).filter((d) => d !== from);
  perm.splice(to, 0, from);
  return o.transpose(x, perm);
}

// ---- rules by kind ----

/** Elementwise ops broadcast: batched operands keep the batch axis first, unbatched ones align on the right. */
function elementwise<K extends ElementwiseOp>(): SingleRule<K> {
  return {
    batch: (o, ins, x, out, n) => o.reemit(ins, x.map((a) => (a.b ? lift(o, a.v, out.shape.length) : a.v)), batchedOut(out, n)),
  };
}

/** Ops of one operand with axis parameters: the axes move past the batch axis. */
function alongAxes<K extends SingleOp>(params: (ins: InstrOf<K>) => Partial<InstrOf<K>>): SingleRule<K> {
  return { batch: (o, ins, [x], out, n) => o.reemit(ins, [x!.v], batchedOut(out, n), params(ins)) };
}

/**
 * matmul: a batched left operand is M·n rows; a batched right operand is N·n columns;
 * both batched is the IR's batch of products [n,M,K]x[n,K,N]; a batch of products
 * (3-D result) joins the lanes to its batch axis. Every product is the example's.
 */
const matmul: SingleRule<"matmul"> = {
  batch(o, ins, [a, b], out, n) {
    if (out.shape.length === 3) {
      // A batch [B,M,K]x[B,K,N] (vm/linalg.ts): the lanes join its batch axis, [n*B,M,K]x[n*B,K,N].
      const [B, M, N] = out.shape as [number, number, number];
      const K = (a!.b ? a!.v.shape[3] : a!.v.shape[2])!;
      const lanes = (t: (typeof a) & object, s: number[]) => o.reshape(t.b ? t.v : o.broadcast(t.v, [n, ...s]), [n * B, ...s.slice(1)]);
      const r = o.reemit(ins, [lanes(a!, [B, M, K]), lanes(b!, [B, K, N])], { shape: [n * B, M, N], dtype: out.dtype });
      return o.reshape(r, [n, B, M, N]);
    }
    const [M, N] = out.shape as [number, number];
    if (a!.b && !b!.b) {
      const K = a!.v.shape[2]!;
      return o.reshape(o.reemit(ins, [o.reshape(a!.v, [n * M, K]), b!.v], { shape: [n * M, N], dtype: out.dtype }), [n, M, N]);
    }
    if (!a!.b && b!.b) {
      const K = b!.v.shape[1]!;
      const bt = o.reshape(o.transpose(b!.v, [1, 0, 2]), [K, n * N]);
      return o.transpose(o.reshape(o.reemit(ins, [a!.v, bt], { shape: [M, n * N], dtype: out.dtype }), [M, n, N]), [1, 0, 2]);
    }
    // Both batched: the IR's batch of products, one per lane.
    return o.reemit(ins, [a!.v, b!.v], { shape: [n, M, N], dtype: out.dtype });
  },
};

/** A gather or scatter index made lane-local in the flattened axis of n·len positions: lane b's index j becomes b·len + j. */
function laneIndex<T extends Tensor>(o: BatchOps<T>, j: T, n: number, len: number): T {
  const lane = o.ints(range(n, (b) => b * len), [n, ...j.shape.slice(1).map(() => 1)]);
  return o.bin("add", j, lane);
}

/**
 * gather [x, idx] {axis}: a batched idx with an unbatched x gathers once with the
 * batch axis inside idx's and moves it first; with x batched too, x's batch and
 * gather axes are merged into one of n·len and each lane's (wrapped, clamped) index
 * offset into its own block.
 */
const gather: SingleRule<"gather"> = {
  batch(o, ins, [x, idx], out, n) {
    const ax = ins.axis;
    if (!idx!.b) return o.reemit(ins, [x!.v, idx!.v], batchedOut(out, n), { axis: ax + 1 });
    const ishape = idx!.v.shape.slice(1);
    const lead = out.shape.slice(0, ax);
    const trail = out.shape.slice(ax + ishape.length);
    if (!x!.b) {
      const g = o.reemit(ins, [x!.v, idx!.v], { shape: [...lead, n, ...ishape, ...trail], dtype: out.dtype });
      return moveAxis(o, g, ax, 0);
    }
    const len = x!.v.shape[ax + 1]!;
    const wrapped = o.where(o.bin("less", idx!.v, 0), o.bin("add", idx!.v, len), idx!.v);
    const clamped = o.bin("minimum", o.bin("maximum", wrapped, 0), Math.max(len - 1, 0));
    const merged = o.reshape(moveAxis(o, x!.v, 0, ax), [...lead, n * len, ...trail]);
    const g = o.reemit(ins, [merged, laneIndex(o, clamped, n, len)], { shape: [...lead, n, ...ishape, ...trail], dtype: out.dtype });
    return moveAxis(o, g, ax, 0);
  },
};

/**
 * scatter [x, idx, upd] {axis, mode}: with an unbatched idx every lane scatters at the
 * same positions (axis + 1); a batched idx merges x's batch and scatter axes into one
 * of n·len, each lane's index offset into its own block (an index out of range stays
 * out of range: -1, dropped), so lanes never touch each other's elements and each
 * lane's updates apply in its own row-major order.
 */
const scatter: SingleRule<"scatter"> = {
  batch(o, ins, [x, idx, upd], out, n) {
    const ax = ins.axis;
    if (!idx!.b) return o.reemit(ins, [withBatch(o, x!, n), idx!.v, withBatch(o, upd!, n)], batchedOut(out, n), { axis: ax + 1 });
    const lead = out.shape.slice(0, ax);
    const len = out.shape[ax]!;
    const trail = out.shape.slice(ax + 1);
    const M = sizeOf(idx!.v.shape.slice(1));
    const j = idx!.v;
    const inRange = o.bin("logicalAnd", o.bin("greaterEqual", j, 0), o.bin("less", j, len));
    const lj = o.reshape(o.where(inRange, laneIndex(o, j, n, len), -1), [n * M]);
    const xm = o.reshape(moveAxis(o, withBatch(o, x!, n), 0, ax), [...lead, n * len, ...trail]);
    const um = o.reshape(moveAxis(o, withBatch(o, upd!, n), 0, ax), [...lead, n * M, ...trail]);
    const r = o.reemit(ins, [xm, lj, um], { shape: [...lead, n * len, ...trail], dtype: out.dtype });
    return moveAxis(o, o.reshape(r, [...lead, n, len, ...trail]), ax, 0);
  },
};

/**
 * The flat positions of each lane's window (lax's start rule: plus the axis length when
 * negative, then clamped so the window fits): [n, ...sizes], into x flattened per
 * lane, plus b·size(x) when x is batched (its lanes flattened one after another).
 */
function windowPositions<T extends Tensor>(o: BatchOps<T>, starts: T, xShape: readonly number[], sizes: readonly number[], n: number, xBatched: boolean): T {
  const r = xShape.length;
  const st = stridesOf(xShape);
  const len = o.ints(xShape, [r]);
  const wrapped = o.where(o.bin("less", starts, 0), o.bin("add", starts, len), starts);
  const ws = o.bin("minimum", o.bin("maximum", wrapped, 0), o.ints(xShape.map((d, k) => d - sizes[k]!), [r]));
  const base = o.reshape(o.sum(o.bin("mul", ws, o.ints(st, [r])), [1], false), [n, ...sizes.map(() => 1)]);
  let table = [0];
  sizes.forEach((s, d) => (table = table.flatMap((t) => range(s, (w) => t + w * st[d]!))));
  const pos = o.bin("add", base, o.ints(table, sizes));
  return xBatched ? laneIndex(o, pos, n, sizeOf(xShape)) : pos;
}

const startsWithBatchAxis = <T extends Tensor>(o: BatchOps<T>, starts: T) => o.concat([o.ints([0], [1]), starts], 0);

/** dynamicSlice [x, starts] {sizes}: unbatched starts slice every lane alike; batched starts gather each lane's window. */
const dynamicSlice: SingleRule<"dynamicSlice"> = {
  batch(o, ins, [x, starts], out, n) {
    if (!starts!.b) return o.reemit(ins, [x!.v, startsWithBatchAxis(o, starts!.v)], batchedOut(out, n), { sizes: [n, ...ins.sizes] });
    const xShape = x!.b ? x!.v.shape.slice(1) : x!.v.shape;
    const pos = windowPositions(o, starts!.v, xShape, ins.sizes, n, x!.b);
    return o.gather(o.reshape(x!.v, [(x!.b ? n : 1) * sizeOf(xShape)]), pos, 0);
  },
};

/** dynamicUpdateSlice [x, upd, starts]: unbatched starts update every lane alike; batched starts scatter each lane's window. */
const dynamicUpdateSlice: SingleRule<"dynamicUpdateSlice"> = {
  batch(o, ins, [x, upd, starts], out, n) {
    const xv = withBatch(o, x!, n);
    const uv = withBatch(o, upd!, n);
    if (!starts!.b) return o.reemit(ins, [xv, uv, startsWithBatchAxis(o, starts!.v)], batchedOut(out, n));
    const sizes = uv.shape.slice(1);
    const pos = windowPositions(o, starts!.v, out.shape, sizes, n, true);
    const r = o.scatterSet(o.reshape(xv, [n * sizeOf(out.shape)]), o.reshape(pos, [n * sizeOf(sizes)]), o.reshape(uv, [n * sizeOf(sizes)]));
    return o.reshape(r, [n, ...out.shape]);
  },
};

/**
 * random [state]: one draw of n times the example's shape from the shared generator
 * state, so lane b gets the b-th block of the stream: every lane its own numbers, the
 * same ones on every run. The state advance was traced for all n blocks
 * (vm/random.ts reads the batch size of the active vmap traces).
 */
const random: SingleRule<"random"> = {
  always: true,
  batch(o, ins, [state], out, n) {
    if (state!.b) {
      throw new ArgumentError(
        "vmap: np.random's generator state became batched (it went through np.cond with a batched predicate or a select); " +
          "draw the numbers outside the branch, or pass the predicate unbatched",
      );
    }
    return o.reemit(ins, [state!.v], batchedOut(out, n));
  },
};

type ElementwiseRules = { readonly [K in ElementwiseOp]: SingleRule<K> };

/** Every elementwise op of the table (a new one in UNARY_OPS/BINARY_OPS batches with no edit here). */
const ELEMENTWISE_RULES = Object.fromEntries([...UNARY_OPS, ...BINARY_OPS, "where", "cast"].map((k) => [k, elementwise()])) as unknown as ElementwiseRules;

const reduceAxes = <K extends ReduceOp | ArgReduceOp>() => alongAxes<K>((ins) => ({ axes: shift(ins.axes) }) as unknown as Partial<InstrOf<K>>);
const oneAxis = <K extends ScanOp | SortOp | "concat">() => alongAxes<K>((ins) => ({ axis: ins.axis + 1 }) as unknown as Partial<InstrOf<K>>);

export const RULES: { readonly [K in Op]: RuleOf<K> } = {
  ...ELEMENTWISE_RULES,
  sum: reduceAxes(),
  max: reduceAxes(),
  min: reduceAxes(),
  prod: reduceAxes(),
  any: reduceAxes(),
  all: reduceAxes(),
  argmax: reduceAxes(),
  argmin: reduceAxes(),
  cumsum: oneAxis(),
  cumprod: oneAxis(),
  sort: oneAxis(),
  argsort: oneAxis(),
  reshape: { batch: (o, ins, [x], out, n) => o.reemit(ins, [x!.v], batchedOut(out, n)) },
  transpose: alongAxes((ins) => ({ perm: [0, ...shift(ins.perm)] })),
  broadcast: { batch: (o, ins, [x], out, n) => o.reemit(ins, [lift(o, x!.v, out.shape.length)], batchedOut(out, n)) },
  flip: alongAxes((ins) => ({ along: shift(ins.along) })),
  // Lane b reads the example's map offset by b times the example's size.
  remap: {
    batch: (o, ins, [x], out, n) => {
      const size = sizeOf(x!.v.shape.slice(1));
      return o.reemit(ins, [x!.v], batchedOut(out, n), { offsets: [range(n, (b) => b * size), ...ins.offsets] });
    },
  },
  concat: { batch: (o, ins, x, out, n) => o.reemit(ins, x.map((a) => withBatch(o, a, n)), batchedOut(out, n), { axis: ins.axis + 1 }) },
  slice: alongAxes((ins) => ({ starts: [0, ...ins.starts], steps: [1, ...ins.steps] })),
  gather,
  scatter,
  dynamicSlice,
  dynamicUpdateSlice,
  matmul,
  // Layout and weights are constants (never batched by np.sparse); a batched x runs the
  // example's product once per lane (gathered row b), so every lane's sums are the example's.
  spmv: {
    batch<T extends Tensor>(o: BatchOps<T>, ins: InstrOf<"spmv">, [layout, data, x]: readonly Batched<T>[], out: ValueInfo, n: number): T {
      if (layout!.b || data!.b) throw new ArgumentError("vmap: a batched sparse structure or weight array is not supported; only the vector of A.matvec / A.rmatvec may be batched");
      const len = x!.v.shape.slice(1);
      const lanes: T[] = [];
      for (let b = 0; b < n; b++) lanes.push(o.reshape(o.reemit(ins, [layout!.v, data!.v, o.reshape(o.gather(x!.v, o.ints([b], [1]), 0), len)], out), [1, ...out.shape]));
      if (n > 0) return o.concat(lanes, 0);
      // No lanes: an empty result of the product's dtype (the weights' sum, broadcast to nothing).
      const w = o.sum(data!.v, range(data!.v.shape.length), false);
      return o.broadcast(o.reshape(w, [1, ...out.shape.map(() => 1)]), [0, ...out.shape]);
    },
  },
  random,
  loop: { structural: "carries that become batched in the body are batched from the start; batched xs scan their second axis; stacked ys come back batch-first" },
  while: {
    structural:
      "an unbatched condition loops as before; a batched one loops while any lane's holds, and each iteration keeps the old carries of the lanes whose condition fails (finished lanes freeze); the generator state always advances",
  },
  cond: {
    structural:
      "an unbatched predicate picks a branch as before; a batched one runs both branches and selects per lane (np.where), the generator state threaded through both",
  },
};
