// tierjit's public API, shared by the Node entry (index.ts) and the browser entry (browser.ts).

export { NDArray } from "./vm/ndarray.js";
export type { ArrayLike, Axis, NestedArray, ReduceOptions } from "./vm/ndarray.js";
export { np } from "./vm/np.js";
export { nn } from "./vm/nn.js";
export type { GeluOptions, SoftmaxAxis } from "./vm/nn.js";
export type { VarOptions } from "./vm/statistics.js";
export { Variable } from "./vm/variable.js";
export { Module, jitMethod } from "./vm/module.js";
export { jit } from "./vm/jit.js";
export { grad, valueAndGrad, vjp, jvp, stopGradient } from "./vm/autodiff/api.js";
export type { GradOptions, VarsSpec } from "./vm/autodiff/api.js";
export { vmap } from "./vm/vmap/api.js";
export type { AxisSpec, VmapOptions } from "./vm/vmap/api.js";
export type { CsrMatrix, CsrOptions } from "./vm/sparse.js";
export type { JitOptions, Jitted } from "./vm/jit.js";
export type { InspectReport, SignatureReport, TierEvent } from "./vm/inspect.js";
export type { TierName } from "./tiers/tier.js";
export type { DType } from "./ir/dtype.js";
export { setLogging } from "./vm/log.js";
export { ArgumentError, DTypeError, IndexError, ShapeError, SizeError, TierjitError, TierUnavailableError, TracerError } from "./ir/errors.js";
