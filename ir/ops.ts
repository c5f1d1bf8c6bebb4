// The op table: every op tierjit knows, defined once. Arity, the dtype rule, the shape
// rule and the scalar semantics of each op live here; the tracer, the reference
// kernels, the printer, the passes and every tier derive from this table. Adding an op
// means adding an entry here and then following the compile errors: every tier keeps
// a mapped table `{ [K in ElementwiseOp]: ... }`, so a missing case fails `tsc`.
// One table per kind: ELEMENTWISE; REDUCE, ARG_REDUCE and SCAN (built from elementwise
// ops, so no tier code per op); SORT; the movement, contraction, random and control ops
// (OTHER_DOCS; their kernels and tier-2 lowerings end in `satisfies never`).
// CONTRIBUTING.md "How to add an op" counts the files each kind touches.
//
// Scalar semantics are JS functions over the numbers an array of that dtype stores
// (float32 values are float32-representable doubles). Float32 rounds after every
// operation (`Math.fround`), as f32 hardware does; transcendentals use tierjit's own
// algorithms (ir/math) because WebAssembly has no exp/log/tanh instruction and every
// tier must produce the same bits.

import type { DType } from "./dtype.js";
import { toFloat, toNumeric } from "./dtype.js";
import { pow32 } from "./math/pow32.js";
import { cos32, sin32 } from "./math/trig32.js";
import { exp32, log32, sigmoid32, tanh32 } from "./math/float32.js";
import { cos64, exp64, log64, pow64, sigmoid64, sin64, tanh64 } from "./math/f64.js";
import * as E from "./math/elementary.js";
import { EXP2, EXPM1, LOG10, LOG1P, LOG2 } from "./math/logexp.js";
import { KIT } from "./math/transcendentals.js";

export const UNARY_OPS = [
  "neg", "abs", "sign", "floor", "ceil", "sqrt", "exp", "log", "tanh", "sin", "cos", "sigmoid",
  "round", "trunc", "reciprocal", "isnan", "isinf", "isfinite", "signbit", "logicalNot", "bitwiseNot",
  "log1p", "expm1", "log2", "log10", "exp2",
  "sinh", "cosh", "asinh", "acosh", "atanh", "cbrt", "atan", "asin", "acos", "tan", "erf",
  "stopGradient",
] as const;
export const BINARY_OPS = [
  "add", "sub", "mul", "div", "pow", "maximum", "minimum",
  "less", "greater", "lessEqual", "greaterEqual", "equal", "notEqual",
  "mod", "fmod", "floorDivide", "copysign",
  "logicalAnd", "logicalOr", "logicalXor", "bitwiseAnd", "bitwiseOr", "bitwiseXor", "leftShift", "rightShift",
  "atan2", "hypot",
] as const;
export const REDUCE_OPS = ["sum", "max", "min", "prod", "any", "all"] as const;

export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];
export type TernaryOp = "where";
/** Ops computed independently per element (after broadcasting). `cast` converts dtype. */
export type ElementwiseOp = UnaryOp | BinaryOp | TernaryOp | "cast";
export type ReduceOp = (typeof REDUCE_OPS)[number];
export const ARG_REDUCE_OPS = ["argmax", "argmin"] as const;
/** Reductions giving the int32 position of the extreme element. */
export type ArgReduceOp = (typeof ARG_REDUCE_OPS)[number];
export const SCAN_OPS = ["cumsum", "cumprod"] as const;
/** Scan-like reductions: running combines along one axis, keeping the shape. */
export type ScanOp = (typeof SCAN_OPS)[number];
export const SORT_OPS = ["sort", "argsort"] as const;
/** Sorting along one axis: the values, or their int32 positions. */
export type SortOp = (typeof SORT_OPS)[number];
/** Ops that only move or repeat data (`remap` and `concat`: ir/kernels/assembly.ts). */
export type MovementOp = "reshape" | "transpose" | "broadcast" | "flip" | "remap" | "concat";
/** Structured control flow: instructions holding sub-programs. */
export type ControlOp = "loop" | "while" | "cond";
/** Indexing (ir/indexing.ts documents each): static strided slices, gathers, scatters, dynamic windows. */
export type IndexOp = "slice" | "gather" | "scatter" | "dynamicSlice" | "dynamicUpdateSlice";
/** Sparse matrix-vector products over a compressed-row layout (ir/sparse.ts). */
export type SparseOp = "spmv";
export type Op = ElementwiseOp | ReduceOp | ArgReduceOp | ScanOp | SortOp | MovementOp | ControlOp | IndexOp | SparseOp | "matmul" | "random";

/** Kernels call every scalar function with three arguments (unused ones are 0): never pass a variadic like Math.max. */
export type ScalarFn = (a: number, b: number, c: number) => number;

/**
 * Operand classes: "float" lifts int32/bool operands to float32 (exp, div), "numeric"
 * lifts bool to int32 (add, neg), "any" keeps the common dtype (comparisons, max),
 * "bool" casts to bool (x != 0; any, all).
 */
export type OperandClass = "float" | "numeric" | "any" | "bool";

/**
 * How long an op's code takes per element, for fusion policy (tiers/js/split.ts):
 * "short" (a few cycles: + - * compare select), "long" (a division or square root),
 * "call" (tier 1 calls an ir/math function: a long dependency chain).
 */
export type Latency = "short" | "long" | "call";

export interface ElementwiseDef {
  readonly arity: 1 | 2 | 3;
  readonly doc: string;
  readonly operands: OperandClass;
  /** "bool" for comparisons; otherwise the result has the operands' dtype. */
  readonly result: "same" | "bool";
  /** Scalar semantics for each dtype the operands can have after promotion. */
  readonly scalar: Partial<Record<DType, ScalarFn>>;
  readonly latency: Latency;
}

const f = Math.fround;
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x; // keeps ±0 and NaN
}

/** One table entry per dtype family, so each op reads as one line. */
function num(doc: string, f32: ScalarFn, f64: ScalarFn, i32: ScalarFn, arity: 1 | 2 = 2, latency: Latency = "short"): ElementwiseDef {
  return { arity, doc, operands: "numeric", result: "same", scalar: { float32: f32, float64: f64, int32: i32 }, latency };
}
/** Float ops are transcendentals (an ir/math call) unless `latency` says otherwise. */
function flt(doc: string, f32: ScalarFn, f64: ScalarFn, arity: 1 | 2 = 1, latency: Latency = "call"): ElementwiseDef {
  return { arity, doc, operands: "float", result: "same", scalar: { float32: f32, float64: f64 }, latency };
}
function cmp(doc: string, fn: ScalarFn): ElementwiseDef {
  return { arity: 2, doc, operands: "any", result: "bool", scalar: { float32: fn, float64: fn, int32: fn, bool: fn }, latency: "short" };
}
function any2(doc: string, fn: ScalarFn): ElementwiseDef {
  return { arity: 2, doc, operands: "any", result: "same", scalar: { float32: fn, float64: fn, int32: fn, bool: fn }, latency: "short" };
}
/** A predicate of one operand of any dtype, giving bool: `flt` for floats, `int` for int32 and bool. */
function pred(doc: string, flt: ScalarFn, int: ScalarFn, arity: 1 | 2 = 1): ElementwiseDef {
  return { arity, doc, operands: "any", result: "bool", scalar: { float32: flt, float64: flt, int32: int, bool: int }, latency: "short" };
}
/** int32 and bool only (bitwise ops); float operands are a DTypeError. */
function bits(doc: string, i32: ScalarFn, bool: ScalarFn, arity: 1 | 2 = 2): ElementwiseDef {
  return { arity, doc, operands: "any", result: "same", scalar: { int32: i32, bool }, latency: "short" };
}
const truthy = (a: number) => a !== 0; // NaN is true, as in numpy

export const ELEMENTWISE: { readonly [K in Exclude<ElementwiseOp, "cast">]: ElementwiseDef } = {
  neg: num("-x", (a) => -a, (a) => -a, (a) => -a | 0, 1),
  abs: num("|x|; int32 abs(-2^31) wraps to -2^31", Math.abs, Math.abs, (a) => (a < 0 ? -a | 0 : a), 1),
  sign: num("-1, 0 or 1; keeps -0 and NaN", sign, sign, sign, 1),
  floor: num("round toward -Inf; identity on int32", Math.floor, Math.floor, (a) => a, 1),
  ceil: num("round toward +Inf; identity on int32", Math.ceil, Math.ceil, (a) => a, 1),
  sqrt: flt("square root, correctly rounded", (a) => f(Math.sqrt(a)), Math.sqrt, 1, "long"),
  exp: flt("e^x (ir/math algorithm)", exp32, exp64),
  log: flt("natural logarithm; log(0) = -Inf, log(x<0) = NaN", log32, log64),
  tanh: flt("hyperbolic tangent", tanh32, tanh64),
  sin: flt("sine", sin32, sin64),
  cos: flt("cosine", cos32, cos64),
  sigmoid: flt("1 / (1 + exp(-x))", sigmoid32, sigmoid64),
  round: num("round half to even (numpy); keeps -0; identity on int32", E.rint, E.rint, (a) => a, 1, "call"),
  trunc: num("round toward 0; identity on int32", Math.trunc, Math.trunc, (a) => a, 1),
  reciprocal: flt("1 / x; int32 operands divide as float32", (a) => f(1 / a), (a) => 1 / a, 1, "long"),
  isnan: pred("x is NaN", (a) => (a !== a ? 1 : 0), () => 0),
  isinf: pred("x is +Inf or -Inf", (a) => (a === Infinity || a === -Infinity ? 1 : 0), () => 0),
  isfinite: pred("x is neither NaN nor ±Inf", (a) => (a - a === 0 ? 1 : 0), () => 1),
  signbit: pred("x < 0 or x is -0; false for NaN (a NaN's sign is not observable in JS)", (a) => (E.negative(a) ? 1 : 0), (a) => (a < 0 ? 1 : 0)),
  logicalNot: pred("x == 0 (NaN is true, so its not is false)", (a) => (a === 0 ? 1 : 0), (a) => (a === 0 ? 1 : 0)),
  bitwiseNot: bits("~x; on bool, logical not", (a) => ~a, (a) => a ^ 1, 1),
  log1p: flt("log(1 + x), accurate near 0; log1p(-1) = -Inf, x < -1 -> NaN", LOG1P.js32, LOG1P.js64),
  expm1: flt("e^x - 1, accurate near 0; keeps -0", EXPM1.js32, EXPM1.js64),
  log2: flt("base-2 logarithm; exact at powers of two", LOG2.js32, LOG2.js64),
  log10: flt("base-10 logarithm", LOG10.js32, LOG10.js64),
  exp2: flt("2^x; exact at integers", EXP2.js32, EXP2.js64),
  sinh: flt("hyperbolic sine", KIT.sinh.js32, KIT.sinh.js64),
  cosh: flt("hyperbolic cosine", KIT.cosh.js32, KIT.cosh.js64),
  asinh: flt("inverse hyperbolic sine; keeps -0", KIT.asinh.js32, KIT.asinh.js64),
  acosh: flt("inverse hyperbolic cosine; x < 1 -> NaN", KIT.acosh.js32, KIT.acosh.js64),
  atanh: flt("inverse hyperbolic tangent; atanh(±1) = ±Inf, |x| > 1 -> NaN", KIT.atanh.js32, KIT.atanh.js64),
  cbrt: flt("cube root; keeps -0", KIT.cbrt.js32, KIT.cbrt.js64),
  atan: flt("arctangent", KIT.atan.js32, KIT.atan.js64),
  asin: flt("arcsine; |x| > 1 -> NaN", KIT.asin.js32, KIT.asin.js64),
  acos: flt("arccosine; |x| > 1 -> NaN", KIT.acos.js32, KIT.acos.js64),
  tan: flt("tangent (accurate for |x| < 2^28 pi/2 in float32, 2^19 pi/2 in float64)", KIT.tan.js32, KIT.tan.js64),
  erf: flt("error function", KIT.erf.js32, KIT.erf.js64),
  atan2: flt("atan2(y, x): the angle of (x, y), numpy's special values", KIT.atan2.js32, KIT.atan2.js64, 2),
  hypot: flt("sqrt(x^2 + y^2) without overflow; Inf if either is ±Inf", KIT.hypot.js32, KIT.hypot.js64, 2),
  stopGradient: {
    arity: 1,
    doc: "x itself; differentiation treats it as a constant (ir/autodiff/rules.ts)",
    operands: "any",
    result: "same",
    scalar: { float32: (a) => a, float64: (a) => a, int32: (a) => a, bool: (a) => a },
    latency: "short",
  },

  add: num("x + y; int32 wraps", (a, b) => f(a + b), (a, b) => a + b, (a, b) => (a + b) | 0),
  sub: num("x - y; int32 wraps", (a, b) => f(a - b), (a, b) => a - b, (a, b) => (a - b) | 0),
  mul: num("x * y; int32 wraps", (a, b) => f(a * b), (a, b) => a * b, Math.imul),
  div: flt("true division; int32 operands divide as float32", (a, b) => f(a / b), (a, b) => a / b, 2, "long"),
  pow: flt("x ** y with Math.pow's special cases", pow32, pow64, 2),
  maximum: any2("larger of x and y; NaN if either is NaN; max(-0, +0) = +0", (a, b) => Math.max(a, b)),
  minimum: any2("smaller of x and y; NaN if either is NaN; min(-0, +0) = -0", (a, b) => Math.min(a, b)),

  less: cmp("x < y", (a, b) => (a < b ? 1 : 0)),
  greater: cmp("x > y", (a, b) => (a > b ? 1 : 0)),
  lessEqual: cmp("x <= y", (a, b) => (a <= b ? 1 : 0)),
  greaterEqual: cmp("x >= y", (a, b) => (a >= b ? 1 : 0)),
  equal: cmp("x == y (NaN != NaN)", (a, b) => (a === b ? 1 : 0)),
  notEqual: cmp("x != y (NaN != NaN)", (a, b) => (a !== b ? 1 : 0)),

  mod: num("numpy's remainder: sign of the divisor; int32 exact, x mod 0 = 0; float x mod 0 = NaN", E.mod32, E.mod64, E.modI32, 2, "call"),
  fmod: num("C fmod: sign of the dividend; int32 exact, x fmod 0 = 0; float x fmod 0 = NaN", (a, b) => a % b, (a, b) => a % b, E.fmodI32, 2, "call"),
  floorDivide: num("numpy's floor_divide: floor(x / y) (float: numpy's divmod formula); int32 exact, x // 0 = 0, INT_MIN // -1 wraps", E.floorDivide32, E.floorDivide64, E.floorDivideI32, 2, "call"),
  copysign: flt("|x| with the sign of y (a NaN y counts as positive)", E.copysign, E.copysign, 2, "short"),
  logicalAnd: pred("x != 0 and y != 0", (a, b) => (truthy(a) && truthy(b) ? 1 : 0), (a, b) => (a !== 0 && b !== 0 ? 1 : 0), 2),
  logicalOr: pred("x != 0 or y != 0", (a, b) => (truthy(a) || truthy(b) ? 1 : 0), (a, b) => (a !== 0 || b !== 0 ? 1 : 0), 2),
  logicalXor: pred("(x != 0) != (y != 0)", (a, b) => (truthy(a) !== truthy(b) ? 1 : 0), (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0), 2),
  bitwiseAnd: bits("x & y (int32 and bool)", (a, b) => a & b, (a, b) => a & b),
  bitwiseOr: bits("x | y (int32 and bool)", (a, b) => a | b, (a, b) => a | b),
  bitwiseXor: bits("x ^ y (int32 and bool)", (a, b) => a ^ b, (a, b) => a ^ b),
  leftShift: { arity: 2, doc: "x << y (int32; bool lifts to int32); a count outside [0, 32) gives 0", operands: "numeric", result: "same", scalar: { int32: E.leftShiftI32 }, latency: "short" },
  rightShift: { arity: 2, doc: "x >> y, arithmetic (int32; bool lifts to int32); a count outside [0, 32) gives the sign fill", operands: "numeric", result: "same", scalar: { int32: E.rightShiftI32 }, latency: "short" },

  where: {
    arity: 3,
    doc: "where(cond, x, y): x where cond is true, else y",
    operands: "any",
    result: "same",
    scalar: {
      float32: (c, a, b) => (c ? a : b),
      float64: (c, a, b) => (c ? a : b),
      int32: (c, a, b) => (c ? a : b),
      bool: (c, a, b) => (c ? a : b),
    },
    latency: "short",
  },
};

/** Binary elementwise ops (the combine step of a reduction is one). */
export type BinaryElementwiseOp = BinaryOp;

/**
 * A reduction folds the elements of each output with one binary elementwise op,
 * `combine`, in the canonical order (ir/kernels/reduce.ts: term j goes to partial
 * j % 4, partials start at `start`, combined (p0 ⊕ p1) ⊕ (p2 ⊕ p3)). Every tier
 * builds the reduction from its own implementation of `combine` and from `start`,
 * so a new reduction of this form needs no tier code at all.
 */
export interface ReduceDef {
  readonly doc: string;
  readonly operands: OperandClass;
  readonly combine: BinaryElementwiseOp;
  /** Start value of every partial: an identity of `combine` (x ⊕ start = x for every x). */
  readonly start: (d: DType) => number;
  /** The result of an empty reduction; undefined when an empty reduction is an error. */
  readonly empty: (d: DType) => number | undefined;
}

const isFloat = (d: DType) => d === "float32" || d === "float64";

export const REDUCE: { readonly [K in ReduceOp]: ReduceDef } = {
  sum: {
    doc: "sum over axes; float sums use 4 interleaved partial sums combined (p0+p1)+(p2+p3); an empty sum is +0",
    operands: "numeric",
    combine: "add",
    // -0 is the additive identity: -0 + x === x for every x, including -0.
    start: (d) => (d === "int32" ? 0 : -0),
    empty: () => 0,
  },
  max: {
    doc: "maximum over axes; NaN if any element is NaN",
    operands: "any",
    combine: "maximum",
    start: (d) => (isFloat(d) ? -Infinity : d === "int32" ? -2147483648 : 0),
    empty: () => undefined,
  },
  min: {
    doc: "minimum over axes; NaN if any element is NaN",
    operands: "any",
    combine: "minimum",
    start: (d) => (isFloat(d) ? Infinity : d === "int32" ? 2147483647 : 1),
    empty: () => undefined,
  },
  prod: {
    doc: "product over axes in the canonical 4-partial order; int32 wraps; an empty product is 1",
    operands: "numeric",
    combine: "mul",
    // 1 * x === x for every x, including -0 and NaN.
    start: () => 1,
    empty: () => 1,
  },
  any: {
    doc: "whether any element is true (x != 0; NaN counts as true); false when empty",
    operands: "bool",
    combine: "maximum",
    start: () => 0,
    empty: () => 0,
  },
  all: {
    doc: "whether every element is true (x != 0; NaN counts as true); true when empty",
    operands: "bool",
    combine: "minimum",
    start: () => 1,
    empty: () => 1,
  },
};

/**
 * An arg-reduction scans each output's elements in row-major order of the reduced
 * axes and keeps the position of the first extreme: element j replaces the best so far
 * when the best is not NaN and j is NaN or `better(x_j, best)` (numpy: the first NaN
 * wins). Every tier builds it from its own implementation of the comparison `better`.
 */
export interface ArgReduceDef {
  readonly doc: string;
  readonly better: "greater" | "less";
}

export const ARG_REDUCE: { readonly [K in ArgReduceOp]: ArgReduceDef } = {
  argmax: { doc: "int32 position of the first maximum over axes (row-major over them); a NaN counts as the maximum", better: "greater" },
  argmin: { doc: "int32 position of the first minimum over axes (row-major over them); a NaN counts as the minimum", better: "less" },
};

/**
 * A scan runs one accumulator along `axis`, in order: acc = start, then for each j,
 * acc = combine(acc, x_j) and out_j = acc (sequential, so every tier has the same order).
 */
export interface ScanDef {
  readonly doc: string;
  readonly operands: OperandClass;
  readonly combine: BinaryElementwiseOp;
  /** An identity of `combine`: combine(start, x) = x for every x. */
  readonly start: (d: DType) => number;
}

export const SCAN: { readonly [K in ScanOp]: ScanDef } = {
  cumsum: { doc: "running sum along axis (bool lifts to int32; int32 wraps)", operands: "numeric", combine: "add", start: (d) => (d === "int32" ? 0 : -0) },
  cumprod: { doc: "running product along axis (bool lifts to int32; int32 wraps)", operands: "numeric", combine: "mul", start: () => 1 },
};

/**
 * Sorting is stable and ascending by `less` with NaN after every number (NaN == NaN;
 * -0 and +0 are equal, so they keep their order): the sorted order of a line is the
 * unique stable one, which any correct stable sort in any tier reproduces.
 */
export interface SortDef {
  readonly doc: string;
  /** "same": the sorted values; "int32": their positions along the axis. */
  readonly result: "same" | "int32";
}

export const SORT: { readonly [K in SortOp]: SortDef } = {
  sort: { doc: "values sorted ascending along axis, stable, NaN last", result: "same" },
  argsort: { doc: "int32 positions that sort the values along axis (stable, NaN last)", result: "int32" },
};

/** The order of sort and argsort: a before b (NaN after every number). */
export function sortsBefore(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

export function isSort(op: string): op is SortOp {
  return op === "sort" || op === "argsort";
}

export function isArgReduce(op: string): op is ArgReduceOp {
  return op === "argmax" || op === "argmin";
}

export function isScan(op: string): op is ScanOp {
  return Object.prototype.hasOwnProperty.call(SCAN, op);
}

/** Lane count of the canonical summation order shared by every tier (reductions, matmul). */
export const SUM_LANES = 4;

export const OTHER_DOCS: Readonly<Record<"cast" | MovementOp | ControlOp | IndexOp | SparseOp | "matmul" | "random", string>> = {
  loop: "for i in [lo, hi): carries = body(i, carries, xs[i - lo]); ys[i - lo] = body's y slices",
  while: "while cond(carries): carries = body(carries)",
  cond: "then(operands) if pred else else(operands)",
  random: "float32 draws from the counter-based generator at state [key, counter] (ir/random.ts)",
  cast: "convert dtype: float→int32 truncates and saturates (NaN→0); x→bool is x != 0",
  reshape: "same data, new shape (row-major)",
  transpose: "permute axes",
  broadcast: "repeat along size-1 or new leading axes (numpy broadcasting)",
  flip: "reverse the order of elements along the axes `along`",
  remap: "out[j0,...,jr] = x[offsets[0][j0] + ... + offsets[r][jr]] (a static separable index map: slices, repeat, tile, roll, edge/reflect pad)",
  concat: "join the operands along `axis` (the other axes equal)",
  matmul: "[M,K]·[K,N], or a batch [B,M,K]·[B,K,N] -> [B,M,N]; each output sums a*b over k in the canonical 4-lane order",
  slice: "out[i] = x[starts + i * steps] per axis (a static strided view; steps may be negative)",
  gather: "out[p, i, q] = x[p, j, q] along `axis`, j = idx[i] (+ n when negative), clamped to [0, n)",
  scatter: "a copy of x with x[p, j, q] = combine(x[p, j, q], upd[p, i, q]) in row-major order of upd, j = idx[i]; j outside [0, n) is dropped",
  dynamicSlice: "the window of `sizes` at int32 starts (+ n when negative), clamped so the window fits",
  dynamicUpdateSlice: "a copy of x with the window at int32 starts (as dynamicSlice's) replaced by upd",
  spmv: "B·x (or Bᵀ·x with transpose) for B in compressed rows [ptr ++ cols] with weights data (or one weight); bool x adds the weights of true entries; sums from +0 in entry order (ir/sparse.ts)",
};

export function isElementwise(op: Op): op is ElementwiseOp {
  return op === "cast" || Object.prototype.hasOwnProperty.call(ELEMENTWISE, op);
}

export function isControl(op: Op): op is ControlOp {
  return op === "loop" || op === "while" || op === "cond";
}

export function isReduce(op: string): op is ReduceOp {
  return Object.prototype.hasOwnProperty.call(REDUCE, op);
}

/** Whether reduction `op` runs on operands of dtype `d` (after its operand class has applied). */
export function reduceSupports(op: ReduceOp, d: DType): boolean {
  const def = REDUCE[op];
  return operandDType(def.operands, d) === d && ELEMENTWISE[def.combine].scalar[d] !== undefined;
}

/** The dtype the operands of an elementwise/reduce op are cast to, from their common dtype. */
export function operandDType(cls: OperandClass, common: DType): DType {
  return cls === "float" ? toFloat(common) : cls === "numeric" ? toNumeric(common) : cls === "bool" ? "bool" : common;
}
