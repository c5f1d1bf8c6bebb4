// The array ops users call (as `np.*` or as methods). Each op applies its dtype rule
// (ir/dtype.ts, ir/ops.ts) and shape rule, inserts explicit casts so that every IR
// instruction sees operands of one dtype, and then either records the instruction in
// the active trace or runs it at once (eager mode: vm/eager.ts, tier 1's kernel for the
// one instruction or the reference kernel). Both paths share `emit`, so eager and
// jitted code compute the same thing by construction.

import { allocate, castScalar, isDType, resultType, weakKindOf, type DType, type WeakKind } from "../ir/dtype.js";
import { ArgumentError, DTypeError, ShapeError, fmtShape, requireStatic, show } from "../ir/errors.js";
import { ARG_REDUCE_OPS, BINARY_OPS, ELEMENTWISE, REDUCE, REDUCE_OPS, SCAN, SCAN_OPS, SORT, SORT_OPS, UNARY_OPS, type SortOp, operandDType, type ArgReduceOp, type ScanOp, type BinaryOp, type ElementwiseOp, type ReduceOp, type UnaryOp } from "../ir/ops.js";
import { type ParamsArg, type SingleOp, type ValueInfo } from "../ir/program.js";
import { broadcastShapes, checkShape, checkSize, normalizeAxes, normalizeAxis, resolveReshape, shapesEqual } from "../ir/shape.js";
import { fromData } from "./construct.js";
import { runEager } from "./eager.js";
import { NDArray, type ArrayLike, type Axis, type ReduceOptions } from "./ndarray.js";
import { currentTrace, escapedError, type Trace } from "./trace.js";

/** An operand: an array (weak when it is a traced JS number argument) or a literal JS scalar. */
type Operand = { arr: NDArray; weak?: WeakKind } | { arr?: undefined; weak: WeakKind; value: number };

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}

/** Converts an argument of op `op` at position `pos` into an array or a weak scalar. */
function operand(op: string, x: unknown, pos: number): Operand {
  if (x instanceof NDArray) return x._weak === undefined ? { arr: x } : { arr: x, weak: x._weak };
  if (typeof x === "number") return { weak: weakKindOf(x), value: x };
  if (typeof x === "boolean") return { weak: "bool", value: x ? 1 : 0 };
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return { arr: fromData(x as ArrayLike, undefined, `${op} argument ${pos}`) };
  throw new ArgumentError(`${op}: argument ${pos} must be an NDArray, a number, a boolean or a nested array of numbers, got ${describe(x)}`);
}

export function asArray(op: string, x: unknown, pos = 0): NDArray {
  const o = operand(op, x, pos);
  const dt = o.weak === "bool" ? "bool" : o.weak === "int" ? "int32" : "float32";
  if (o.arr) return o.weak === undefined ? o.arr : castTo(o.arr, dt); // a traced number becomes what the literal would
  return fromData(o.value, dt, op);
}

/** The trace an op on `inputs` must be recorded in, or null to run eagerly. */
function traceFor(inputs: readonly NDArray[]): Trace | null {
  const cur = currentTrace();
  for (const x of inputs) {
    if (x._trace !== null) {
      if (cur === null || !cur.active || !cur.sees(x._trace)) throw escapedError(x);
      return cur;
    }
  }
  if (cur !== null && cur.active && inputs.some((x) => x._isVar)) return cur;
  return null;
}

/** Records or runs one IR instruction. */
export function emit<K extends SingleOp>(op: K, inputs: readonly NDArray[], out: ValueInfo, ...params: ParamsArg<K>): NDArray {
  checkSize(op, out.shape, out.dtype);
  const t = traceFor(inputs);
  if (t !== null) return t.wrap(t.builder.emit(op, inputs.map((x) => t.idOf(x)), out, ...params));
  return new NDArray(out.shape, out.dtype, runEager(op, inputs, out, params[0]));
}

function scalarArray(value: number, dt: DType): NDArray {
  const data = allocate(dt, 1);
  data[0] = castScalar(value, dt);
  return new NDArray([], dt, data);
}

export function castTo(x: NDArray, dt: DType): NDArray {
  return x.dtype === dt ? x : emit("cast", [x], { shape: x.shape, dtype: dt });
}

export function astype(x: ArrayLike, dtype: DType): NDArray {
  if (!isDType(dtype)) throw new DTypeError(`astype: unknown dtype ${show(dtype)}; use "float32", "float64", "int32" or "bool"`);
  return castTo(asArray("astype", x), dtype);
}

function elementwise(op: Exclude<ElementwiseOp, "cast">, args: readonly unknown[]): NDArray {
  const def = ELEMENTWISE[op];
  const ops = args.map((a, i) => operand(op, a, i));
  const cond = op === "where" ? ops.shift()! : undefined;
  const strong = ops.flatMap((o) => (o.arr && !o.weak ? [o.arr.dtype] : []));
  const weak = ops.flatMap((o) => (o.weak ? [o.weak] : []));
  const dt = operandDType(def.operands, resultType(strong, weak));
  if (!def.scalar[dt]) {
    const has = Object.keys(def.scalar).join(", ");
    throw new DTypeError(`${op}: ${dt} operands are not supported (${op} takes ${has}${def.operands === "numeric" && def.scalar.int32 ? "; bool lifts to int32" : ""})`);
  }
  const arrays = ops.map((o) => (o.arr ? castTo(o.arr, dt) : scalarArray(o.value, dt)));
  if (cond) arrays.unshift(cond.arr ? castTo(cond.arr, "bool") : scalarArray(cond.value, "bool"));
  const shape = broadcastShapes(op, arrays.map((a) => a.shape));
  return emit(op, arrays, { shape, dtype: def.result === "bool" ? "bool" : dt });
}

type Unary = (x: ArrayLike) => NDArray;
type Binary = (x: ArrayLike, y: ArrayLike) => NDArray;
/** One function per unary and binary op of the table (ir/ops.ts), under the op's name. */
export type ElementwiseFns = { readonly [K in UnaryOp]: Unary } & { readonly [K in BinaryOp]: Binary };

function fromTable(): ElementwiseFns {
  const fns: Record<string, Unary | Binary> = {};
  for (const op of UNARY_OPS) fns[op] = (x: ArrayLike) => elementwise(op, [x]);
  for (const op of BINARY_OPS) fns[op] = (x: ArrayLike, y: ArrayLike) => elementwise(op, [x, y]);
  return fns as ElementwiseFns; // every name of both lists was just set
}
const generated = fromTable();
export const { neg, add, sub, mul, div, maximum, minimum } = generated;

/**
 * Largest |n| for which `pow(x, n)` with a static integer n is a multiplication chain
 * (JAX's integer_pow). Each multiplication rounds once, so the chain's relative error is
 * at most about (|n| - 1) * 2^-24 in float32 (≤ 7.5 ulp at 16, ≤ 1 ulp at 3); beyond it
 * the general pow algorithm (ir/math), accurate to 0.5 ulp, is the better answer.
 */
export const INTEGER_POW_MAX = 16;

/**
 * x^n for a static integer n (2 ≤ |n| ≤ INTEGER_POW_MAX) as right-to-left binary
 * exponentiation, the chain JAX's integer_pow uses: acc *= x^(2^i) for each set bit i of
 * |n| from the lowest, x^(2^i) by repeated squaring; a negative n is 1 / x^|n|. The chain
 * is emitted as ordinary mul/div instructions, so every tier and eager mode compute it
 * with the same roundings by construction (x^3 = x * (x * x), the bits of x.mul(x).mul(x)).
 */
function integerPow(x: NDArray, n: number): NDArray {
  let m = Math.abs(n);
  let p = x;
  let acc: NDArray | null = null;
  while (m > 0) {
    if (m & 1) acc = acc === null ? p : mul(acc, p);
    m >>= 1;
    if (m > 0) p = mul(p, p);
  }
  return n < 0 ? div(1, acc!) : acc!;
}

/**
 * x ** y with Math.pow's special cases. A static integer exponent (a JS number such as
 * the 3 of `x.pow(3)`) with 2 ≤ |n| ≤ INTEGER_POW_MAX compiles to multiplications
 * (integerPow); ±1 are x * 1 and 1 / x, which the general algorithm gives too. Every other
 * exponent, and any exponent passed as an array, runs the general pow algorithm.
 */
export function pow(x: ArrayLike, y: ArrayLike): NDArray {
  if (typeof y === "number" && Number.isInteger(y) && y !== 0 && Math.abs(y) <= INTEGER_POW_MAX) {
    const a = asArray("pow", x);
    const base = castTo(a, operandDType(ELEMENTWISE.pow.operands, resultType([a.dtype], ["int"])));
    if (y === 1) return mul(base, 1);
    if (y === -1) return div(1, base);
    return integerPow(base, y);
  }
  return elementwise("pow", [x, y]);
}

/** `np`'s and NDArray's elementwise functions: the table's, with pow's static-integer special case. */
export const elementwiseFns: ElementwiseFns = { ...generated, pow };

export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): NDArray {
  return elementwise("where", [cond, x, y]);
}

/** x * x (in x's dtype: int32 wraps, as numpy's square). */
export function square(x: ArrayLike): NDArray {
  const a = asArray("square", x);
  return mul(a, a);
}

/** numpy's clip: minimum(maximum(x, lo), hi), so NaN stays NaN and lo > hi gives hi. */
export function clip(x: ArrayLike, lo: ArrayLike, hi: ArrayLike): NDArray {
  return minimum(maximum(x, lo), hi);
}

// ---- reductions ----

export function reduceArgs(op: string, axis: Axis | ReduceOptions, keepdims: boolean | undefined): { axis: Axis; keepdims: boolean } {
  requireStatic(`${op}: the axis`, axis);
  if (Array.isArray(axis)) for (const a of axis) requireStatic(`${op}: an axis`, a);
  requireStatic(`${op}: keepdims`, keepdims);
  if (keepdims !== undefined && typeof keepdims !== "boolean") throw new ArgumentError(`${op}: keepdims must be a boolean, got ${show(keepdims)}`);
  if (axis instanceof NDArray) throw new ArgumentError(`${op}: axis must be a number, an array of numbers or { axis, keepdims }, got an array; axes are static`);
  if (axis !== null && typeof axis === "object" && !Array.isArray(axis)) {
    const o = axis as ReduceOptions;
    return reduceArgs(op, o.axis, o.keepdims ?? keepdims);
  }
  if (axis !== undefined && typeof axis !== "number" && !Array.isArray(axis)) {
    throw new ArgumentError(`${op}: axis must be a number, an array of numbers or { axis, keepdims }, got ${describe(axis)}`);
  }
  return { axis: axis as Axis, keepdims: keepdims ?? false };
}

function reduction(op: ReduceOp, x: ArrayLike, axisArg: Axis | ReduceOptions, keepdimsArg: boolean | undefined): NDArray {
  const { axis, keepdims } = reduceArgs(op, axisArg, keepdimsArg);
  const arr = asArray(op, x);
  const axes = normalizeAxes(op, axis, arr.ndim);
  if (REDUCE[op].empty(operandDType(REDUCE[op].operands, arr.dtype)) === undefined) {
    for (const a of axes) {
      if (arr.shape[a] === 0) {
        throw new ShapeError(`${op}: cannot reduce axis ${a} of size 0 (shape ${fmtShape(arr.shape)}): an empty ${op} has no identity`);
      }
    }
  }
  const dt = operandDType(REDUCE[op].operands, arr.dtype);
  const shape = keepdims
    ? arr.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : arr.shape.filter((_, i) => !axes.includes(i));
  if (axes.length === 0) return castTo(arr, dt);
  return emit(op, [castTo(arr, dt)], { shape, dtype: dt }, { axes, keepdims });
}

type Reduction = (x: ArrayLike, axis?: Axis | ReduceOptions, keepdims?: boolean) => NDArray;
/** One function per reduction of the table (ir/ops.ts REDUCE), under the op's name. */
export const reductions = Object.fromEntries(
  REDUCE_OPS.map((op) => [op, (x: ArrayLike, axis?: Axis | ReduceOptions, keepdims?: boolean) => reduction(op, x, axis, keepdims)]),
) as { readonly [K in ReduceOp]: Reduction };
export const { sum, max, min } = reductions;
/** An axis for ops that take one: a number, none, or `{ axis }` in its place. */
export type OneAxis = number | undefined | { axis?: number; keepdims?: boolean };

/** Axis and keepdims arguments are static: a traced number names its argument, an array is refused. */
function staticAxisArgs(op: string, axis: unknown, keepdims: unknown): void {
  requireStatic(`${op}: the axis`, axis);
  requireStatic(`${op}: keepdims`, keepdims);
  if (axis instanceof NDArray) throw new ArgumentError(`${op}: axis must be a number, got an array; axes are static`);
  if (keepdims !== undefined && typeof keepdims !== "boolean") throw new ArgumentError(`${op}: keepdims must be a boolean, got ${show(keepdims)}`);
}

function oneAxis(op: string, axis: OneAxis, keepdims: boolean | undefined): { axis: number | undefined; keepdims: boolean } {
  staticAxisArgs(op, axis, keepdims);
  const o = axis !== null && typeof axis === "object" && !Array.isArray(axis) ? axis : { axis, keepdims };
  staticAxisArgs(op, o.axis, o.keepdims);
  if (o.axis !== undefined && typeof o.axis !== "number") {
    throw new ArgumentError(`${op}: axis must be a single number or undefined (all axes), got ${Array.isArray(o.axis) ? show(o.axis) : describe(o.axis)}`);
  }
  return { axis: o.axis, keepdims: o.keepdims ?? keepdims ?? false };
}

function argReduction(op: ArgReduceOp, x: ArrayLike, axisArg: OneAxis, keepdimsArg: boolean | undefined): NDArray {
  const { axis, keepdims } = oneAxis(op, axisArg, keepdimsArg);
  const arr = asArray(op, x);
  const axes = normalizeAxes(op, axis, arr.ndim);
  if (axes.some((a) => arr.shape[a] === 0)) {
    throw new ShapeError(`${op}: cannot take the ${op} of an empty axis (shape ${fmtShape(arr.shape)})`);
  }
  const shape = keepdims ? arr.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : arr.shape.filter((_, i) => !axes.includes(i));
  return emit(op, [arr], { shape, dtype: "int32" }, { axes, keepdims });
}

function scanAlong(op: ScanOp, x: ArrayLike, axisArg: OneAxis): NDArray {
  const { axis } = oneAxis(op, axisArg, undefined);
  const arr0 = asArray(op, x);
  // numpy: without an axis, the scan runs over the flattened array.
  const arr = axis === undefined ? reshape(arr0, [arr0.size]) : arr0;
  const a = normalizeAxis(op, axis ?? 0, arr.ndim);
  const dt = operandDType(SCAN[op].operands, arr.dtype);
  return emit(op, [castTo(arr, dt)], { shape: arr.shape, dtype: dt }, { axis: a });
}

type ArgReduction = (x: ArrayLike, axis?: OneAxis, keepdims?: boolean) => NDArray;
/** argmax and argmin (ir/ops.ts ARG_REDUCE): int32 positions, the first extreme, NaN counting as the extreme. */
export const argReductions = Object.fromEntries(
  ARG_REDUCE_OPS.map((op) => [op, (x: ArrayLike, axis?: OneAxis, keepdims?: boolean) => argReduction(op, x, axis, keepdims)]),
) as { readonly [K in ArgReduceOp]: ArgReduction };

type Scan = (x: ArrayLike, axis?: OneAxis) => NDArray;
/** cumsum and cumprod (ir/ops.ts SCAN): the shape is kept; without an axis, over the flattened array. */
export const scans = Object.fromEntries(SCAN_OPS.map((op) => [op, (x: ArrayLike, axis?: OneAxis) => scanAlong(op, x, axis)])) as { readonly [K in ScanOp]: Scan };

function sortAlongAxis(op: SortOp, x: ArrayLike, axisArg: number | null | { axis?: number | null } | undefined): NDArray {
  staticAxisArgs(op, axisArg, undefined);
  const o = axisArg !== null && typeof axisArg === "object" ? axisArg : { axis: axisArg };
  staticAxisArgs(op, o.axis, undefined);
  if (o.axis !== undefined && o.axis !== null && typeof o.axis !== "number") {
    throw new ArgumentError(`${op}: axis must be a number (default -1) or null (the flattened array), got ${describe(o.axis)}`);
  }
  const arr0 = asArray(op, x);
  // numpy: axis null sorts the flattened array.
  const arr = o.axis === null ? reshape(arr0, [arr0.size]) : arr0;
  const axis = normalizeAxis(op, o.axis ?? -1, arr.ndim);
  return emit(op, [arr], { shape: arr.shape, dtype: SORT[op].result === "int32" ? "int32" : arr.dtype }, { axis });
}

type Sort = (x: ArrayLike, axis?: number | null | { axis?: number | null }) => NDArray;
/** sort and argsort (ir/ops.ts SORT): stable, NaN last, along axis -1 by default. */
export const sorts = Object.fromEntries(SORT_OPS.map((op) => [op, (x: ArrayLike, axis?: number | null | { axis?: number | null }) => sortAlongAxis(op, x, axis)])) as { readonly [K in SortOp]: Sort };

/** Mean in floating point: int32/bool inputs average as float32. */
export function mean(x: ArrayLike, axis?: Axis | ReduceOptions, keepdims?: boolean): NDArray {
  const { axis: ax, keepdims: kd } = reduceArgs("mean", axis, keepdims);
  const arr = asArray("mean", x);
  const f = castTo(arr, arr.dtype === "float64" ? "float64" : "float32");
  const count = normalizeAxes("mean", ax, arr.ndim).reduce((n, a) => n * arr.shape[a]!, 1);
  return div(reduction("sum", f, ax, kd), count);
}

// ---- linear algebra: vm/linalg.ts ----

// ---- movement ----

function shapeArgs(op: string, args: readonly unknown[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  for (const d of list) requireStatic(`${op}: a shape or axis entry`, d);
  if (list.some((d) => typeof d !== "number")) throw new ArgumentError(`${op}: expected numbers, got ${show(args)}`);
  return list as number[];
}

export function reshape(x: ArrayLike, ...shape: number[] | [readonly number[]]): NDArray {
  const arr = asArray("reshape", x);
  const to = resolveReshape("reshape", arr.shape, shapeArgs("reshape", shape));
  if (shapesEqual(to, arr.shape)) return arr;
  // Concrete arrays are immutable, so a reshape can share their buffer (Variables change in place: copy).
  if (arr._trace === null && !arr._isVar) return new NDArray(to, arr.dtype, arr._data);
  return emit("reshape", [arr], { shape: to, dtype: arr.dtype });
}

export function transpose(x: ArrayLike, ...permArgs: number[] | [readonly number[]]): NDArray {
  const arr = asArray("transpose", x);
  const r = arr.ndim;
  const perm = permArgs.length === 0 ? Array.from({ length: r }, (_, i) => r - 1 - i) : shapeArgs("transpose", permArgs).map((a) => normalizeAxis("transpose", a, r));
  if (perm.length !== r || new Set(perm).size !== r) {
    throw new ArgumentError(`transpose: axes ${show(permArgs)} are not a permutation of the ${r} axes of shape ${fmtShape(arr.shape)}`);
  }
  if (perm.every((p, i) => p === i)) return arr;
  return emit("transpose", [arr], { shape: perm.map((p) => arr.shape[p]!), dtype: arr.dtype }, { perm });
}

/** numpy's flip: reverses the order of elements along `axis` (a number or an array), or along every axis. */
export function flip(x: ArrayLike, axis?: Axis): NDArray {
  const arr = asArray("flip", x);
  if (axis !== undefined && typeof axis !== "number" && !Array.isArray(axis)) {
    throw new ArgumentError(`flip: axis must be a number, an array of numbers or undefined (every axis), got ${describe(axis)}`);
  }
  const along = normalizeAxes("flip", axis, arr.ndim).filter((a) => arr.shape[a]! > 1);
  if (along.length === 0) return arr;
  return emit("flip", [arr], { shape: arr.shape, dtype: arr.dtype }, { along });
}

export function expandDims(x: ArrayLike, axis: number): NDArray {
  const arr = asArray("expandDims", x);
  const a = normalizeAxis("expandDims", axis, arr.ndim + 1);
  const shape = [...arr.shape];
  shape.splice(a, 0, 1);
  return reshape(arr, shape);
}

export function squeeze(x: ArrayLike, axis?: Axis): NDArray {
  const arr = asArray("squeeze", x);
  const axes = axis === undefined ? arr.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes("squeeze", axis, arr.ndim);
  for (const a of axes) {
    if (arr.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of shape ${fmtShape(arr.shape)} has size ${arr.shape[a]}, not 1`);
  }
  return reshape(arr, arr.shape.filter((_, i) => !axes.includes(i)));
}

export function broadcastTo(x: ArrayLike, shape: readonly number[]): NDArray {
  const arr = asArray("broadcastTo", x);
  const target = checkShape("broadcastTo", shape);
  let ok = target.length >= arr.ndim;
  if (ok) {
    try {
      ok = shapesEqual(broadcastShapes("broadcastTo", [arr.shape, target]), target);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new ShapeError(`broadcastTo: cannot broadcast shape ${fmtShape(arr.shape)} to ${fmtShape(target)}`);
  if (shapesEqual(arr.shape, target)) return arr;
  return emit("broadcast", [arr], { shape: target, dtype: arr.dtype });
}
