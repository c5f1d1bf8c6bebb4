// The derivative of every op, next to the op table (ir/ops.ts): one entry per op name,
// in a table whose type is mapped over `Op`, so adding an op without its rule fails tsc.
//
// Rules are generic in the array type: they build the derivative through `AdOps`, the
// np-level op constructors (vm/autodiff/adops.ts gives NDArray's), so the derivative of
// a program is an ordinary program of table ops. It runs eagerly when the operands are
// concrete, is recorded when they are traced (jit(grad(f))), and is itself
// differentiable (grad(grad(f))). The driver (vm/autodiff/transform.ts) only calls a
// rule for a float result, passes `null` for a zero tangent, reduces a cotangent of
// the result's shape back to a broadcast operand's shape, and asks only for the
// cotangents of operands that depend on a differentiated input (`need`).
//
// Elementwise ops are diagonal: their rule is the list of partial derivatives
// ∂y/∂x_i (`partials`), from which jvp (Σ ∂_i · dx_i) and vjp (ct · ∂_i) follow.
// Non-smooth points follow JAX (CONTRIBUTING.md "Derivatives at non-smooth points").

import type { DType } from "../dtype.js";
import { ArgumentError } from "../errors.js";
import type { BinaryOp, ControlOp, Op, UnaryOp } from "../ops.js";
import type { InstrOf, ParamsArg, SingleOp } from "../program.js";
import { INDEXING_RULES } from "./indexing.js";

/** What a rule needs to know of an array. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** The op constructors rules build derivatives with; numbers are weak scalars (they take the array's dtype). */
export interface AdOps<T extends Tensor> {
  un(op: UnaryOp, x: T): T;
  bin(op: BinaryOp, x: T | number, y: T | number): T;
  where(c: T, x: T | number, y: T | number): T;
  cast(x: T, dtype: DType): T;
  sum(x: T, axes: readonly number[], keepdims: boolean): T;
  prod(x: T, axes: readonly number[], keepdims: boolean): T;
  argsort(x: T, axis: number): T;
  /** int32 [0, 1, ..., n-1]. */
  iota(n: number): T;
  cumsum(x: T, axis: number): T;
  reshape(x: T, shape: readonly number[]): T;
  broadcast(x: T, shape: readonly number[]): T;
  transpose(x: T, perm: readonly number[]): T;
  flip(x: T, along: readonly number[]): T;
  matmul(a: T, b: T): T;
  zeros(shape: readonly number[], dtype: DType): T;
  /** Any single-result op of the table (the indexing ops' transposes). */
  op<K extends SingleOp>(op: K, args: readonly T[], shape: readonly number[], dtype: DType, ...params: ParamsArg<K>): T;
  /** A constant int32 array (static index tables). */
  constInt(data: Int32Array, shape: readonly number[]): T;
  /** `value` everywhere (a broadcast scalar). */
  full(shape: readonly number[], value: number, dtype: DType): T;
  /** The instruction `ins` again on other operands, with the result type of `like` (linear ops' tangents). */
  reemit<K extends SingleOp>(ins: InstrOf<K>, args: readonly T[], like: T): T;
}

/** The primal of one instruction: its operands and result. */
export interface Primal<T, K extends SingleOp> {
  readonly ins: InstrOf<K>;
  readonly x: readonly T[];
  readonly y: T;
}

export interface SingleRule<K extends SingleOp> {
  /** Zero derivative everywhere (piecewise-constant, integer or bool results): the driver skips it. */
  readonly zero?: true;
  /** The tangent of the result from the operands' tangents (null: zero); the driver broadcasts it to y's shape. */
  jvp<T extends Tensor>(o: AdOps<T>, p: Primal<T, K>, dx: readonly (T | null)[]): T | null;
  /** The operands' cotangents from the result's (`need[i]` false: may be null); the driver sums broadcast axes away. */
  vjp<T extends Tensor>(o: AdOps<T>, p: Primal<T, K>, ct: T, need: readonly boolean[]): readonly (T | null)[];
}

/**
 * Control ops are differentiated structurally (their sub-programs are transformed by
 * the driver, recursively); the entry says how reverse mode treats each.
 */
export interface ControlRule {
  readonly reverse: "stored carries" | "branches" | { readonly error: string };
}

export type RuleOf<K extends Op> = K extends ControlOp ? ControlRule : K extends SingleOp ? SingleRule<K> : never;

// ---- elementwise: partial derivatives ----

/** ∂y/∂x_i: an array, exactly 1 or -1 (no multiplication), or null (zero). */
type Partial<T> = T | 1 | -1 | null;
type Partials = <T extends Tensor>(o: AdOps<T>, x: readonly T[], y: T) => readonly Partial<T>[];

function times<T extends Tensor>(o: AdOps<T>, d: Partial<T>, v: T): T | null {
  return d === null ? null : d === 1 ? v : d === -1 ? o.un("neg", v) : o.bin("mul", v, d);
}

function diagonal<K extends SingleOp>(partials: Partials): SingleRule<K> {
  return {
    jvp(o, p, dx) {
      const ds = partials(o, p.x, p.y);
      let t: (typeof dx)[number] = null;
      dx.forEach((d, i) => {
        const term = d === null ? null : times(o, ds[i] ?? null, d);
        if (term !== null) t = t === null ? term : o.bin("add", t, term);
      });
      return t;
    },
    vjp(o, p, ct, need) {
      const ds = partials(o, p.x, p.y);
      return p.x.map((_, i) => (need[i] ? times(o, ds[i] ?? null, ct) : null));
    },
  };
}

const ZERO: SingleRule<never> = { zero: true, jvp: () => null, vjp: (_o, p) => p.x.map(() => null) };
function zero<K extends SingleOp>(): SingleRule<K> {
  return ZERO as unknown as SingleRule<K>;
}

/** max/min's split at ties (JAX's balanced_eq): 1 where a alone is the result, 1/2 where a and b both are, else 0. */
function tieSplit<T extends Tensor>(o: AdOps<T>, a: T, b: T, y: T): T {
  return o.where(o.bin("equal", a, y), o.where(o.bin("equal", b, y), 0.5, 1), 0);
}

type ElementwiseRules = { readonly [K in UnaryOp | BinaryOp]: SingleRule<K> };

const ELEMENTWISE_RULES: ElementwiseRules = {
  neg: diagonal(() => [-1]),
  // sign(0) = 0: abs'(0) = 0 as in JAX.
  abs: diagonal((o, [x]) => [o.un("sign", x!)]),
  sign: zero(),
  floor: zero(),
  ceil: zero(),
  round: zero(),
  trunc: zero(),
  sqrt: diagonal((o, _x, y) => [o.bin("div", 0.5, y)]),
  exp: diagonal((_o, _x, y) => [y]),
  log: diagonal((o, [x]) => [o.un("reciprocal", x!)]),
  tanh: diagonal((o, _x, y) => [o.bin("sub", 1, o.bin("mul", y, y))]),
  sin: diagonal((o, [x]) => [o.un("cos", x!)]),
  cos: diagonal((o, [x]) => [o.un("neg", o.un("sin", x!))]),
  sigmoid: diagonal((o, _x, y) => [o.bin("mul", y, o.bin("sub", 1, y))]),
  reciprocal: diagonal((o, _x, y) => [o.un("neg", o.bin("mul", y, y))]),
  log1p: diagonal((o, [x]) => [o.un("reciprocal", o.bin("add", x!, 1))]),
  expm1: diagonal((o, _x, y) => [o.bin("add", y, 1)]),
  log2: diagonal((o, [x]) => [o.un("reciprocal", o.bin("mul", x!, Math.LN2))]),
  log10: diagonal((o, [x]) => [o.un("reciprocal", o.bin("mul", x!, Math.LN10))]),
  exp2: diagonal((o, _x, y) => [o.bin("mul", y, Math.LN2)]),
  sinh: diagonal((o, [x]) => [o.un("cosh", x!)]),
  cosh: diagonal((o, [x]) => [o.un("sinh", x!)]),
  asinh: diagonal((o, [x]) => [o.un("reciprocal", o.un("sqrt", o.bin("add", o.bin("mul", x!, x!), 1)))]),
  // sqrt(x - 1) sqrt(x + 1), not sqrt(x² - 1): no cancellation near 1, no overflow for large x.
  acosh: diagonal((o, [x]) => [o.un("reciprocal", o.bin("mul", o.un("sqrt", o.bin("sub", x!, 1)), o.un("sqrt", o.bin("add", x!, 1))))]),
  atanh: diagonal((o, [x]) => [o.un("reciprocal", o.bin("sub", 1, o.bin("mul", x!, x!)))]),
  // 1 / (3 y²): Inf at 0, as JAX.
  cbrt: diagonal((o, _x, y) => [o.un("reciprocal", o.bin("mul", o.bin("mul", y, y), 3))]),
  atan: diagonal((o, [x]) => [o.un("reciprocal", o.bin("add", o.bin("mul", x!, x!), 1))]),
  asin: diagonal((o, [x]) => [asinPartial(o, x!)]),
  acos: diagonal((o, [x]) => [o.un("neg", asinPartial(o, x!))]),
  tan: diagonal((o, _x, y) => [o.bin("add", o.bin("mul", y, y), 1)]),
  erf: diagonal((o, [x]) => [o.bin("mul", o.un("exp", o.un("neg", o.bin("mul", x!, x!))), 2 / Math.sqrt(Math.PI))]),
  isnan: zero(),
  isinf: zero(),
  isfinite: zero(),
  signbit: zero(),
  logicalNot: zero(),
  bitwiseNot: zero(),
  stopGradient: zero(),

  add: diagonal(() => [1, 1]),
  sub: diagonal(() => [1, -1]),
  mul: diagonal((_o, [a, b]) => [b!, a!]),
  div: diagonal((o, [, b], y) => [o.un("reciprocal", b!), o.un("neg", o.bin("div", y, b!))]),
  // JAX: ∂/∂x is 0 where the exponent is 0, ∂/∂y is 0 where the base is 0.
  pow: diagonal((o, [a, b], y) => [
    o.where(o.bin("equal", b!, 0), 0, o.bin("mul", b!, o.bin("pow", a!, o.bin("sub", b!, 1)))),
    o.where(o.bin("equal", a!, 0), 0, o.bin("mul", y, o.un("log", a!))),
  ]),
  maximum: diagonal((o, [a, b], y) => [tieSplit(o, a!, b!, y), tieSplit(o, b!, a!, y)]),
  minimum: diagonal((o, [a, b], y) => [tieSplit(o, a!, b!, y), tieSplit(o, b!, a!, y)]),
  less: zero(),
  greater: zero(),
  lessEqual: zero(),
  greaterEqual: zero(),
  equal: zero(),
  notEqual: zero(),
  // x mod y = x - y * floor(x / y), x fmod y = x - y * trunc(x / y): the quotient is piecewise constant.
  mod: diagonal((o, [a, b]) => [1, o.un("neg", o.bin("floorDivide", a!, b!))]),
  fmod: diagonal((o, [a, b]) => [1, o.un("neg", o.un("trunc", o.bin("div", a!, b!)))]),
  floorDivide: zero(),
  copysign: diagonal((o, [a, b]) => [o.bin("mul", o.un("sign", a!), o.bin("copysign", 1, b!)), null]),
  logicalAnd: zero(),
  logicalOr: zero(),
  logicalXor: zero(),
  bitwiseAnd: zero(),
  bitwiseOr: zero(),
  bitwiseXor: zero(),
  leftShift: zero(),
  rightShift: zero(),
  // atan2(a, b) = the angle of (b, a): [b / r, -a / r] with r = a² + b² (NaN at the origin, as JAX).
  atan2: diagonal((o, [a, b]) => {
    const r = o.bin("add", o.bin("mul", a!, a!), o.bin("mul", b!, b!));
    return [o.bin("div", b!, r), o.un("neg", o.bin("div", a!, r))];
  }),
  // [a / y, b / y] with y = hypot(a, b); 0 at the origin and where y is Inf, as JAX (its hypot
  // passes through |a|, |b| with abs'(0) = 0, and returns an Inf constant where an operand is
  // Inf; where it overflows, a / y is 0 anyway).
  hypot: diagonal((o, [a, b], y) => {
    const origin = o.bin("logicalOr", o.bin("equal", y, 0), o.un("isinf", y));
    return [o.where(origin, 0, o.bin("div", a!, y)), o.where(origin, 0, o.bin("div", b!, y))];
  }),
};

/** asin'(x) = 1 / sqrt(1 - x²); acos' is its negation. */
function asinPartial<T extends Tensor>(o: AdOps<T>, x: T): T {
  return o.un("reciprocal", o.un("sqrt", o.bin("sub", 1, o.bin("mul", x, x))));
}

// ---- reductions ----

/** The shape of a reduction's result with its axes kept as size 1. */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** A reduction's result (or cotangent) broadcast back over the reduced axes. */
function expand<T extends Tensor>(o: AdOps<T>, r: T, shape: readonly number[], axes: readonly number[]): T {
  return o.broadcast(o.reshape(r, keptShape(shape, axes)), shape);
}

/**
 * max/min: the derivative goes to the elements equal to the result, split evenly among
 * ties (JAX's reduce_max rule).
 */
function chooser<K extends "max" | "min">(): SingleRule<K> {
  const weights = <T extends Tensor>(o: AdOps<T>, p: Primal<T, K>): T => {
    const { axes } = p.ins;
    const x = p.x[0]!;
    const hit = o.cast(o.bin("equal", x, expand(o, p.y, x.shape, axes)), x.dtype);
    return o.bin("div", hit, o.broadcast(o.sum(hit, axes, true), x.shape));
  };
  return {
    jvp: (o, p, [dx]) => o.sum(o.bin("mul", dx!, weights(o, p)), p.ins.axes, p.ins.keepdims),
    vjp: (o, p, ct) => [o.bin("mul", expand(o, ct, p.x[0]!.shape, p.ins.axes), weights(o, p))],
  };
}

/**
 * prod: ∂y/∂x_j is the product of the other elements: y / x_j where the line has no
 * zero, the product of the nonzero elements at a lone zero, and 0 elsewhere.
 */
function prodPartial<T extends Tensor>(o: AdOps<T>, p: Primal<T, "prod">): T {
  const { axes } = p.ins;
  const x = p.x[0]!;
  const isZero = o.bin("equal", x, 0);
  const zeros = o.broadcast(o.sum(o.cast(isZero, x.dtype), axes, true), x.shape);
  const nonzeroProd = o.broadcast(o.prod(o.where(isZero, 1, x), axes, true), x.shape);
  const withoutZero = o.bin("div", expand(o, p.y, x.shape, axes), x);
  const loneZero = o.bin("logicalAnd", isZero, o.bin("equal", zeros, 1));
  return o.where(o.bin("equal", zeros, 0), withoutZero, o.where(loneZero, nonzeroProd, 0));
}

/**
 * sort as a permutation: P[j, k] = 1 where the j-th sorted element is x[k] (from
 * argsort, the same stable order), so dy = P·dx and ct_x = Pᵀ·ct along the axis. P has
 * n² entries per line: fine for the short axes sorted inside models, costly for long ones.
 */
function sortRule(): SingleRule<"sort"> {
  const perm = <T extends Tensor>(o: AdOps<T>, p: Primal<T, "sort">) => {
    const x = p.x[0]!;
    const r = x.shape.length;
    const ax = p.ins.axis;
    const toLast = [...Array.from({ length: r }, (_, i) => i).filter((i) => i !== ax), ax];
    const xt = o.transpose(x, toLast);
    const n = x.shape[ax]!;
    const idx = o.argsort(xt, r - 1);
    const P = o.cast(o.bin("equal", o.reshape(idx, [...xt.shape, 1]), o.iota(n)), x.dtype);
    return { P, toLast, back: inverse(toLast), r, xtShape: xt.shape };
  };
  return {
    jvp(o, p, [dx]) {
      const { P, toLast, back, r, xtShape } = perm(o, p);
      const d = o.reshape(o.transpose(dx!, toLast), [...xtShape.slice(0, -1), 1, xtShape[r - 1]!]);
      return o.transpose(o.sum(o.bin("mul", P, d), [r], false), back);
    },
    vjp(o, p, ct) {
      const { P, toLast, back, r, xtShape } = perm(o, p);
      const c = o.reshape(o.transpose(ct, toLast), [...xtShape, 1]);
      return [o.transpose(o.sum(o.bin("mul", P, c), [r - 1], false), back)];
    },
  };
}

export const RULES: { readonly [K in Op]: RuleOf<K> } = {
  ...ELEMENTWISE_RULES,
  where: {
    jvp: (o, p, [, dx, dy]) => (dx === null && dy === null ? null : o.where(p.x[0]!, dx ?? 0, dy ?? 0)),
    vjp: (o, p, ct, need) => [null, need[1] ? o.where(p.x[0]!, ct, 0) : null, need[2] ? o.where(p.x[0]!, 0, ct) : null],
  },
  cast: {
    // Only float -> float casts carry a derivative; the driver never asks for an int operand's.
    jvp: (o, p, [dx]) => o.cast(dx!, p.y.dtype),
    vjp: (o, p, ct) => [o.cast(ct, p.x[0]!.dtype)],
  },
  sum: {
    jvp: (o, p, [dx]) => o.sum(dx!, p.ins.axes, p.ins.keepdims),
    vjp: (o, p, ct) => [expand(o, ct, p.x[0]!.shape, p.ins.axes)],
  },
  max: chooser(),
  min: chooser(),
  prod: {
    jvp: (o, p, [dx]) => o.sum(o.bin("mul", dx!, prodPartial(o, p)), p.ins.axes, p.ins.keepdims),
    vjp: (o, p, ct) => [o.bin("mul", expand(o, ct, p.x[0]!.shape, p.ins.axes), prodPartial(o, p))],
  },
  any: zero(),
  all: zero(),
  argmax: zero(),
  argmin: zero(),
  cumsum: {
    jvp: (o, p, [dx]) => o.cumsum(dx!, p.ins.axis),
    vjp: (o, p, ct) => [o.flip(o.cumsum(o.flip(ct, [p.ins.axis]), p.ins.axis), [p.ins.axis])],
  },
  // y_j = prod_{k<=j} x_k, with zeros handled exactly (cumprodZeros).
  cumprod: {
    jvp: (o, p, [dx]) => {
      const z = cumprodZeros(o, p.x[0]!, p.ins.axis);
      // Before a row's first zero: y * cumsum(dx / x). From it on only that zero's tangent counts: dx_z * y'.
      const dxz = o.sum(o.where(z.first, dx!, 0), [p.ins.axis], true);
      return o.where(z.before, o.bin("mul", p.y, o.cumsum(o.bin("div", dx!, z.safe), p.ins.axis)), o.bin("mul", o.broadcast(dxz, p.y.shape), z.yOne));
    },
    vjp: (o, p, ct) => {
      const a = [p.ins.axis];
      const z = cumprodZeros(o, p.x[0]!, p.ins.axis);
      const revcumsum = (t: Parameters<typeof o.flip>[0]) => o.flip(o.cumsum(o.flip(t, a), p.ins.axis), a);
      // Before the first zero: revcumsum(ct * y) / x; at it: revcumsum(ct * y'); after it: 0.
      return [o.where(z.before, o.bin("div", revcumsum(o.bin("mul", ct, p.y)), z.safe), o.where(z.first, revcumsum(o.bin("mul", ct, z.yOne)), 0))];
    },
  },
  sort: sortRule(),
  argsort: zero(),
  reshape: {
    jvp: (o, p, [dx]) => o.reshape(dx!, p.y.shape),
    vjp: (o, p, ct) => [o.reshape(ct, p.x[0]!.shape)],
  },
  transpose: {
    jvp: (o, p, [dx]) => o.transpose(dx!, p.ins.perm),
    vjp: (o, p, ct) => [o.transpose(ct, inverse(p.ins.perm))],
  },
  // The driver sums the cotangent over the broadcast axes.
  broadcast: {
    jvp: (o, p, [dx]) => o.broadcast(dx!, p.y.shape),
    vjp: (_o, _p, ct) => [ct],
  },
  flip: {
    jvp: (o, p, [dx]) => o.flip(dx!, p.ins.along),
    vjp: (o, p, ct) => [o.flip(ct, p.ins.along)],
  },
  matmul: {
    jvp(o, p, [da, db]) {
      const [a, b] = p.x;
      const l = da == null ? null : o.matmul(da, b!);
      const r = db == null ? null : o.matmul(a!, db);
      return l === null ? r : r === null ? l : o.bin("add", l, r);
    },
    vjp(o, p, ct, need) {
      const [a, b] = p.x;
      // A batch [B,M,K]x[B,K,N] transposes each product, not the batch axis.
      const tr = (v: NonNullable<typeof a>) => o.transpose(v, v.shape.length === 3 ? [0, 2, 1] : [1, 0]);
      return [need[0] ? o.matmul(ct, tr(b!)) : null, need[1] ? o.matmul(tr(a!), ct) : null];
    },
  },
  ...INDEXING_RULES,
  // Linear in x (layout and weights are constants): the tangent is the product of dx, the
  // cotangent the other direction's product over the same layout (ir/sparse.ts).
  spmv: {
    jvp: (o, p, [, , dx]) => (dx == null ? null : o.reemit(p.ins, [p.x[0]!, p.x[1]!, dx], p.y)),
    vjp: (o, p, ct, need) => [null, null, need[2] ? o.reemit({ ...p.ins, transpose: !p.ins.transpose }, [p.x[0]!, p.x[1]!, ct], p.x[2]!) : null],
  },
  // Draws are constants of the derivative (their operand is the integer generator state).
  random: zero(),
  loop: { reverse: "stored carries" },
  cond: { reverse: "branches" },
  while: {
    reverse: {
      error:
        "reverse-mode differentiation (grad, valueAndGrad, vjp) through np.whileLoop is not supported: its trip count is only known at run time, " +
        "so the iterations cannot be stored for the backward pass. Use np.forLoop or np.scan with a static bound (and np.where to stop updating), or jvp for forward mode",
    },
  },
};

function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** The clear error for reverse mode through `op` (a whileLoop). */
export function reverseError(op: ControlOp): ArgumentError | undefined {
  const r = RULES[op].reverse;
  return typeof r === "object" ? new ArgumentError(r.error) : undefined;
}

/**
 * Where cumprod's derivative may divide by x: for each row along `axis`, the elements
 * `before` its first zero (there dy_j/dx_i = y_j / x_i), the `first` zero itself, and
 * `yOne`, the cumprod with that zero replaced by 1 (prod_{k<=j, k != z} x_k). Every
 * element after the first zero has derivative 0 in reverse mode, and only the first
 * zero's tangent reaches the outputs from it on in forward mode (JAX's values; the
 * quotient form was NaN there).
 */
function cumprodZeros<T extends Tensor>(o: AdOps<T>, x: T, axis: number): { before: T; first: T; safe: T; yOne: T } {
  const isZero = o.bin("equal", x, 0);
  const seen = o.cumsum(o.cast(isZero, "int32"), axis);
  const before = o.bin("equal", seen, 0);
  const first = o.bin("logicalAnd", isZero, o.bin("equal", seen, 1));
  const safe = o.where(isZero, 1, x);
  const yOne = o.op("cumprod", [o.where(first, 1, x)], x.shape, x.dtype, { axis });
  return { before, first, safe, yOne };
}
