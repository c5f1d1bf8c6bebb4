// Making concrete arrays: from JS data (np.array), and the creation routines
// zeros/ones/full/arange/linspace (the others are in ./creation.ts). Nested JS numbers
// default to float32, nested booleans to bool; typed arrays convert by value
// (./typedarrays.ts). Every routine takes its dtype as a name or as `{ dtype }`.

import { allocate, castScalar, dtypeOfTypedArray, isDType, type DType, type TypedArray } from "../ir/dtype.js";
import { ArgumentError, DTypeError, ShapeError, fmtShape, requireStatic, show } from "../ir/errors.js";
import { checkShape, checkSize, resolveReshape, sizeOf } from "../ir/shape.js";
import { NDArray, type ArrayLike } from "./ndarray.js";
import { fromTypedArray } from "./typedarrays.js";

export interface ArrayOptions {
  dtype?: DType;
  shape?: readonly number[];
}

export function checkDType(where: string, d: unknown): DType {
  if (!isDType(d)) throw new DTypeError(`${where}: unknown dtype ${show(d)}; use "float32", "float64", "int32" or "bool"`);
  return d;
}

/** A creation routine's dtype argument: a name, `{ dtype }` (numpy's keyword, jax-js's options) or nothing. */
export type DTypeArg = DType | { dtype?: DType };

export function isOptionsObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof NDArray) && !ArrayBuffer.isView(x);
}

export function dtypeArg(where: string, d: unknown, dflt: DType = "float32"): DType {
  if (d === undefined) return dflt;
  if (isOptionsObject(d)) return d.dtype === undefined ? dflt : checkDType(where, d.dtype);
  return checkDType(where, d);
}

/** np.array: a new concrete array holding a copy of `data`. */
export function array(data: ArrayLike, options: ArrayOptions | DType = {}): NDArray {
  if (options === null || (typeof options !== "string" && typeof options !== "object")) {
    throw new ArgumentError(`np.array: options must be a dtype name or { dtype, shape }, got ${show(options)}`);
  }
  const opts = typeof options === "string" ? { dtype: options } : options;
  const arr = fromData(data, opts.dtype === undefined ? undefined : checkDType("np.array", opts.dtype), "np.array", true);
  if (opts.shape === undefined) return arr;
  const shape = resolveReshape("np.array", arr.shape, checkShape("np.array", opts.shape));
  return new NDArray(shape, arr.dtype, arr._data);
}

/** Converts JS data into an array; `copy` forces a fresh buffer even for NDArray input. */
export function fromData(data: ArrayLike, dtype: DType | undefined, where: string, copy = false): NDArray {
  if (data instanceof NDArray) {
    const src = data._concrete(where);
    const dt = dtype ?? data.dtype;
    if (dt === data.dtype) return copy ? new NDArray(data.shape, dt, src.slice()) : data;
    return new NDArray(data.shape, dt, convert(src, dt));
  }
  if (typeof data === "number" || typeof data === "boolean") {
    const dt = dtype ?? (typeof data === "boolean" ? "bool" : "float32");
    const out = allocate(dt, 1);
    out[0] = castScalar(Number(data), dt);
    return new NDArray([], dt, out);
  }
  if (ArrayBuffer.isView(data)) {
    const { dtype: dt, data: out } = fromTypedArray(where, data, dtype);
    return new NDArray([out.length], dt, out);
  }
  if (Array.isArray(data)) {
    const shape: number[] = [];
    const flat: (number | boolean)[] = [];
    let allBool = true;
    const walk = (x: unknown, depth: number, path: string): void => {
      if (Array.isArray(x)) {
        if (depth === shape.length) shape.push(x.length);
        else if (depth > shape.length || shape[depth] !== x.length) throw ragged(where, path, shape);
        x.forEach((y, i) => walk(y, depth + 1, `${path}[${i}]`));
        return;
      }
      if (depth !== shape.length) throw ragged(where, path, shape);
      if (typeof x === "boolean") flat.push(x);
      else if (typeof x === "number") {
        allBool = false;
        flat.push(x);
      } else throw new ArgumentError(`${where}: element ${path} is ${x === null ? "null" : typeof x}, expected a number or boolean`);
    };
    walk(data, 0, "");
    const dt = dtype ?? (allBool && flat.length > 0 ? "bool" : "float32");
    const out = allocate(dt, flat.length);
    for (let i = 0; i < flat.length; i++) out[i] = castScalar(Number(flat[i]), dt);
    return new NDArray(shape, dt, out);
  }
  throw new ArgumentError(`${where}: cannot make an array from ${data === null ? "null" : typeof data}`);
}

function ragged(where: string, path: string, shape: readonly number[]): ShapeError {
  return new ShapeError(`${where}: nested arrays are ragged at element ${path || "(top)"}; expected a regular shape like ${fmtShape(shape)}`);
}

function convert(src: TypedArray, dt: DType): TypedArray {
  const out = allocate(dt, src.length);
  if (dtypeOfTypedArray(src) === dt) out.set(src);
  else for (let i = 0; i < src.length; i++) out[i] = castScalar(src[i]!, dt);
  return out;
}

export function full(shape: readonly number[], value: number | boolean, dtype?: DTypeArg, what = "np.full"): NDArray {
  const s = checkShape(what, shape);
  const dt = dtypeArg(what, dtype);
  requireStatic(`${what}: the fill value`, value);
  if (typeof value !== "number" && typeof value !== "boolean") throw new ArgumentError(`${what}: fill value must be a number or boolean, got ${typeof value}`);
  checkSize(what, s, dt);
  const out = allocate(dt, sizeOf(s));
  out.fill(castScalar(Number(value), dt));
  return new NDArray(s, dt, out);
}

export function zeros(shape: readonly number[], dtype?: DTypeArg): NDArray {
  return full(shape, 0, dtype, "np.zeros");
}

export function ones(shape: readonly number[], dtype?: DTypeArg): NDArray {
  return full(shape, 1, dtype, "np.ones");
}

/** Splits `args` at the first options value (a dtype name or an object): positional numbers before it, nothing after. */
export function trailingOptions(where: string, given: readonly unknown[], names: readonly string[]): { pos: unknown[]; options: unknown } {
  let end = given.length;
  while (end > 0 && given[end - 1] === undefined) end--;
  const args = given.slice(0, end);
  const at = args.findIndex((a) => typeof a === "string" || isOptionsObject(a));
  if (at < 0) {
    if (args.length > names.length) throw new ArgumentError(`${where}: expected at most ${names.length} positional arguments (${names.join(", ")}) and an options object, got ${args.length}`);
    return { pos: [...args], options: undefined };
  }
  if (at > names.length || at < end - 1) {
    throw new ArgumentError(`${where}: the options (${show(args[at])}) must be the last argument, after at most ${names.length} of ${names.join(", ")}`);
  }
  return { pos: args.slice(0, at), options: args[at] };
}

type Num = number;

/**
 * np.arange(stop), np.arange(start, stop, step = 1), with the dtype (default float32)
 * as a last argument in any position: a name or `{ dtype }` (`np.arange(5, { dtype: "int32" })`).
 */
export function arange(stop: Num, dtype?: DTypeArg): NDArray;
export function arange(start: Num, stop: Num, dtype?: DTypeArg): NDArray;
export function arange(start: Num, stop: Num | undefined, step: Num, dtype?: DTypeArg): NDArray;
export function arange(...args: unknown[]): NDArray {
  const { pos, options } = trailingOptions("np.arange", args, ["start", "stop", "step"]);
  let [start, stop, step = 1] = pos as [Num, Num | undefined, Num | undefined];
  if (stop === undefined) [start, stop] = [0, start];
  for (const [k, v] of [["start", start], ["stop", stop], ["step", step]] as const) {
    requireStatic(`np.arange: ${k}`, v);
    if (typeof v !== "number" || !Number.isFinite(v)) throw new ArgumentError(`np.arange: ${k} must be a finite number, got ${show(v)}`);
  }
  if (step === 0) throw new ArgumentError("np.arange: step must not be 0");
  const dt = dtypeArg("np.arange", options);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize("np.arange", [n], dt);
  const out = allocate(dt, n);
  for (let i = 0; i < n; i++) out[i] = castScalar(start + i * step, dt);
  return new NDArray([n], dt, out);
}

export interface LinspaceOptions {
  dtype?: DType;
  /** Whether `stop` is the last sample (default true, numpy's). */
  endpoint?: boolean;
}

/**
 * `num` evenly spaced values from `start` to `stop` (inclusive unless `endpoint: false`),
 * computed in float64; the dtype (default float32) or `{ dtype, endpoint }` last.
 */
export function linspace(start: Num, stop: Num, num?: Num | DType | LinspaceOptions, options?: DType | LinspaceOptions): NDArray {
  const { pos, options: o } = trailingOptions("np.linspace", [start, stop, num, options], ["start", "stop", "num"]);
  const [, , n = 50] = pos as [Num, Num, Num | undefined];
  for (const [k, v] of [["start", start], ["stop", stop], ["num", n]] as const) {
    requireStatic(`np.linspace: ${k}`, v);
    if (typeof v !== "number") throw new ArgumentError(`np.linspace: ${k} must be a number, got ${show(v)}`);
  }
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`np.linspace: num must be a non-negative integer, got ${show(n)}`);
  const dt = dtypeArg("np.linspace", o);
  const endpoint = isOptionsObject(o) && o.endpoint !== undefined ? o.endpoint : true;
  if (typeof endpoint !== "boolean") throw new ArgumentError(`np.linspace: endpoint must be a boolean, got ${show(endpoint)}`);
  checkSize("np.linspace", [n], dt);
  const out = allocate(dt, n);
  const div = endpoint ? n - 1 : n;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < n; i++) out[i] = castScalar(endpoint && i === n - 1 && n > 1 ? stop : start + i * step, dt);
  return new NDArray([n], dt, out);
}
