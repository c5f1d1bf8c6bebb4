// var, std and logsumexp: reductions composed from the ops of the table (mean, sub,
// mul, sum, max, isfinite, where, exp, log), each defined once here. Eager mode, every
// tier, the passes and autodiff get them with no rule of their own, and their bits are
// those of the same ops written out by hand (so the tiers agree by construction).

import { ArgumentError, requireStatic, show } from "../ir/errors.js";
import { normalizeAxes } from "../ir/shape.js";
import { isOptionsObject, zeros } from "./construct.js";
import type { ArrayLike, Axis, NDArray, ReduceOptions } from "./ndarray.js";
import { add, asArray, castTo, div, elementwiseFns, max, mean, mul, reduceArgs, reshape, sub, sum, where } from "./ops.js";

const { exp, log, isfinite, sqrt } = elementwiseFns;

export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is N - ddof (numpy's; clamped at 0, as numpy). Default 0. */
  ddof?: number;
}

/** The axes and keepdims as for sum (axis, or { axis, keepdims } in its place), and ddof from either options object. */
function varArgs(op: string, axisArg: Axis | VarOptions, third: boolean | VarOptions | undefined): { axis: Axis; keepdims: boolean; ddof: number } {
  let ddof: unknown = 0;
  let keepdims: boolean | undefined;
  if (isOptionsObject(third)) {
    keepdims = third.keepdims as boolean | undefined;
    if (third.ddof !== undefined) ddof = third.ddof;
  } else keepdims = third as boolean | undefined;
  if (isOptionsObject(axisArg) && axisArg.ddof !== undefined) ddof = axisArg.ddof;
  const { axis, keepdims: kd } = reduceArgs(op, axisArg, keepdims);
  requireStatic(`${op}: ddof`, ddof);
  if (typeof ddof !== "number" || !Number.isFinite(ddof)) throw new ArgumentError(`${op}: ddof must be a finite number, got ${show(ddof)}`);
  return { axis, keepdims: kd, ddof };
}

function varianceOf(op: string, x: ArrayLike, axisArg: Axis | VarOptions, third: boolean | VarOptions | undefined): NDArray {
  const { axis, keepdims, ddof } = varArgs(op, axisArg, third);
  const a = asArray(op, x);
  const axes = normalizeAxes(op, axis, a.ndim);
  const f = castTo(a, a.dtype === "float64" ? "float64" : "float32");
  const n = axes.reduce((k, i) => k * a.shape[i]!, 1);
  // numpy's _var: the mean (kept dims), the squared deviations summed, / max(N - ddof, 0).
  const d = sub(f, mean(f, axes, true));
  return div(sum(mul(d, d), axes, keepdims), Math.max(n - ddof, 0));
}

/**
 * numpy's var: the mean squared deviation over `axis` (none: all), divided by N - ddof.
 * int32/bool inputs compute in float32, as mean. An empty reduction is NaN (0 / 0).
 */
export function variance(x: ArrayLike, axis?: Axis | VarOptions, keepdims?: boolean | VarOptions): NDArray {
  return varianceOf("var", x, axis, keepdims);
}

/** numpy's std: the square root of var (same axis, keepdims and ddof). */
export function std(x: ArrayLike, axis?: Axis | VarOptions, keepdims?: boolean | VarOptions): NDArray {
  return sqrt(varianceOf("std", x, axis, keepdims));
}

/**
 * log(sum(exp(x))) over `axis` (none: all), stable: with m the maximum over the axes
 * where it is finite and 0 elsewhere, log(sum(exp(x - m))) + m (jax's formulation), so
 * large values do not overflow, a row of -Inf gives -Inf (not NaN), a row holding +Inf
 * gives +Inf, a NaN gives NaN, and an empty reduction gives -Inf. int32/bool compute in float32.
 */
export function logsumexp(x: ArrayLike, axis?: Axis | ReduceOptions, keepdims?: boolean): NDArray {
  const { axis: ax, keepdims: kd } = reduceArgs("logsumexp", axis, keepdims);
  const a0 = asArray("logsumexp", x);
  const a = castTo(a0, a0.dtype === "float64" ? "float64" : "float32");
  const axes = normalizeAxes("logsumexp", ax, a.ndim);
  const kept = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const m = axes.some((i) => a.shape[i] === 0) ? zeros(kept, a.dtype) : safeMax(a, axes);
  const r = add(log(sum(exp(sub(a, m)), axes, true)), m);
  return kd ? r : reshape(r, a.shape.filter((_, i) => !axes.includes(i)));
}

/** The maximum over `axes` (kept dims) where it is finite, else 0: the shift of logsumexp. */
function safeMax(a: NDArray, axes: readonly number[]): NDArray {
  const m = max(a, axes, true);
  return where(isfinite(m), m, 0);
}
