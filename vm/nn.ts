// The `nn` namespace (jax.nn's names): activations, softmax and one-hot encoding,
// composed from the ops of the table with the stable formulations (max-subtracted
// softmax, softplus without overflow), each defined once here. Like ./statistics.ts
// they add no IR op, so every tier, the passes and autodiff get them for free.

import { ArgumentError, requireStatic, show } from "../ir/errors.js";
import { checkSize, normalizeAxes } from "../ir/shape.js";
import { arange, dtypeArg, isOptionsObject, type DTypeArg } from "./construct.js";
import type { ArrayLike, NDArray } from "./ndarray.js";
import { add, asArray, castTo, div, elementwiseFns, expandDims, max, maximum, mul, pow, sub, sum } from "./ops.js";
import { logsumexp } from "./statistics.js";

const { abs, equal, exp, log, log1p, neg, sigmoid, tanh } = elementwiseFns;
/** x in the float dtype it computes in (int32/bool as float32, as the transcendentals). */
function floating(op: string, x: ArrayLike): NDArray {
  const a = asArray(op, x);
  return castTo(a, a.dtype === "float64" ? "float64" : "float32");
}

/** max(x, 0). */
export function relu(x: ArrayLike): NDArray {
  return maximum(asArray("nn.relu", x), 0);
}

/** silu (swish): x * sigmoid(x). */
export function silu(x: ArrayLike): NDArray {
  const a = floating("nn.silu", x);
  return mul(a, sigmoid(a));
}

/** softplus: log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)): no overflow, and exp(x) itself far below 0. */
export function softplus(x: ArrayLike): NDArray {
  const a = floating("nn.softplus", x);
  return add(maximum(a, 0), log1p(exp(neg(abs(a)))));
}

export interface GeluOptions {
  /** The tanh approximation (default true, jax's); false: the exact x * (1 + erf(x / sqrt 2)) / 2. */
  approximate?: boolean;
}

/** gelu: x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))), or the exact erf form with { approximate: false }. */
export function gelu(x: ArrayLike, options: GeluOptions | boolean = {}): NDArray {
  if (typeof options !== "boolean" && !isOptionsObject(options)) throw new ArgumentError(`nn.gelu: options must be { approximate } or a boolean, got ${show(options)}`);
  const approximate = typeof options === "boolean" ? options : (options.approximate ?? true);
  requireStatic("nn.gelu: approximate", approximate);
  if (typeof approximate !== "boolean") throw new ArgumentError(`nn.gelu: approximate must be a boolean, got ${show(approximate)}`);
  const a = floating("nn.gelu", x);
  if (approximate) {
    // jax.nn.gelu's order of operations.
    const inner = mul(Math.sqrt(2 / Math.PI), add(a, mul(0.044715, pow(a, 3))));
    return mul(a, mul(0.5, add(1, tanh(inner))));
  }
  // jax.nn.gelu(approximate=False): x * (erf(x / sqrt 2) + 1) / 2.
  return div(mul(a, add(elementwiseFns.erf(div(a, Math.SQRT2)), 1)), 2);
}

/** An axis argument of softmax/logSoftmax: a number or numbers (default -1), null for every axis, or { axis }. */
export type SoftmaxAxis = number | readonly number[] | null | { axis?: number | readonly number[] | null };

function softmaxAxes(op: string, a: NDArray, axis: SoftmaxAxis | undefined): number[] {
  requireStatic(`${op}: the axis`, axis);
  const ax = isOptionsObject(axis) ? (axis as { axis?: unknown }).axis : axis;
  requireStatic(`${op}: the axis`, ax);
  if (ax === null) return normalizeAxes(op, undefined, a.ndim);
  return normalizeAxes(op, (ax ?? -1) as number | number[], a.ndim);
}

/**
 * softmax over `axis` (default -1): exp(x - max) / sum(exp(x - max)), max-subtracted
 * (jax's). A row of -Inf is NaN, as in jax and scipy; an empty axis gives an empty array.
 */
export function softmax(x: ArrayLike, axis?: SoftmaxAxis): NDArray {
  const a = floating("nn.softmax", x);
  const axes = softmaxAxes("nn.softmax", a, axis);
  if (axes.some((i) => a.shape[i] === 0)) return a;
  const e = exp(sub(a, max(a, axes, true)));
  return div(e, sum(e, axes, true));
}

/** log(softmax(x)) over `axis` (default -1), as jax: s = x - max, then s - log(sum(exp(s))). */
export function logSoftmax(x: ArrayLike, axis?: SoftmaxAxis): NDArray {
  const a = floating("nn.logSoftmax", x);
  const axes = softmaxAxes("nn.logSoftmax", a, axis);
  if (axes.some((i) => a.shape[i] === 0)) return a;
  const s = sub(a, max(a, axes, true));
  return sub(s, log(sum(exp(s), axes, true)));
}

/**
 * One-hot encoding: shape [...indices.shape, n], 1 where the index equals the class
 * (compared as jax does, in the promoted dtype), so an index outside [0, n) (or NaN, or
 * 2.5) gives a row of zeros. The dtype defaults to float32.
 */
export function oneHot(indices: ArrayLike, n: number, dtype?: DTypeArg): NDArray {
  const idx = asArray("nn.oneHot", indices);
  requireStatic("nn.oneHot: the number of classes", n);
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new ArgumentError(`nn.oneHot: the number of classes must be a non-negative integer, got ${show(n)}`);
  const dt = dtypeArg("nn.oneHot", dtype);
  checkSize("nn.oneHot", [...idx.shape, n], dt);
  return castTo(equal(expandDims(idx, -1), arange(0, n, { dtype: "int32" })), dt);
}

export const nn = { relu, sigmoid, softplus, silu, gelu, softmax, logSoftmax, logsumexp, oneHot } as const;
