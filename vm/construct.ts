// Making concrete arrays: from JS data (np.array), and the creation routines
// zeros/ones/full/arange/linspace. Nested JS numbers default to float32, nested
// booleans to bool, and typed arrays keep their own dtype.

import { allocate, castScalar, dtypeOfTypedArray, isDType, type DType, type TypedArray } from "../ir/dtype.js";
import { ArgumentError, DTypeError, ShapeError, fmtShape, requireStatic, show } from "../ir/errors.js";
import { checkShape, checkSize, resolveReshape, sizeOf } from "../ir/shape.js";
import { NDArray, type ArrayLike } from "./ndarray.js";

export interface ArrayOptions {
  dtype?: DType;
  shape?: readonly number[];
}

export function checkDType(where: string, d: unknown): DType {
  if (!isDType(d)) throw new DTypeError(`${where}: unknown dtype ${show(d)}; use "float32", "float64", "int32" or "bool"`);
  return d;
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
    const own = dtypeOfTypedArray(data);
    if (own === undefined) {
      throw new DTypeError(`${where}: ${data.constructor.name} is not supported; use Float32Array, Float64Array, Int32Array or Uint8Array (bool)`);
    }
    const dt = dtype ?? own;
    return new NDArray([(data as TypedArray).length], dt, convert(data as TypedArray, dt));
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

export function full(shape: readonly number[], value: number | boolean, dtype: DType = "float32", what = "np.full"): NDArray {
  const s = checkShape(what, shape);
  const dt = checkDType(what, dtype);
  requireStatic(`${what}: the fill value`, value);
  if (typeof value !== "number" && typeof value !== "boolean") throw new ArgumentError(`${what}: fill value must be a number or boolean, got ${typeof value}`);
  checkSize(what, s, dt);
  const out = allocate(dt, sizeOf(s));
  out.fill(castScalar(Number(value), dt));
  return new NDArray(s, dt, out);
}

export function zeros(shape: readonly number[], dtype: DType = "float32"): NDArray {
  return full(shape, 0, dtype, "np.zeros");
}

export function ones(shape: readonly number[], dtype: DType = "float32"): NDArray {
  return full(shape, 1, dtype, "np.ones");
}

/** np.arange(stop) or np.arange(start, stop, step = 1, dtype = "float32"). */
export function arange(start: number, stop?: number, step = 1, dtype: DType = "float32"): NDArray {
  if (stop === undefined) [start, stop] = [0, start];
  for (const [k, v] of [["start", start], ["stop", stop], ["step", step]] as const) {
    requireStatic(`np.arange: ${k}`, v);
    if (typeof v !== "number" || !Number.isFinite(v)) throw new ArgumentError(`np.arange: ${k} must be a finite number, got ${show(v)}`);
  }
  if (step === 0) throw new ArgumentError("np.arange: step must not be 0");
  const dt = checkDType("np.arange", dtype);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize("np.arange", [n], dt);
  const out = allocate(dt, n);
  for (let i = 0; i < n; i++) out[i] = castScalar(start + i * step, dt);
  return new NDArray([n], dt, out);
}

/** `num` evenly spaced values from `start` to `stop` inclusive, computed in float64. */
export function linspace(start: number, stop: number, num = 50, dtype: DType = "float32"): NDArray {
  for (const [k, v] of [["start", start], ["stop", stop], ["num", num]] as const) {
    requireStatic(`np.linspace: ${k}`, v);
    if (typeof v !== "number") throw new ArgumentError(`np.linspace: ${k} must be a number, got ${show(v)}`);
  }
  if (!Number.isInteger(num) || num < 0) throw new ArgumentError(`np.linspace: num must be a non-negative integer, got ${show(num)}`);
  const dt = checkDType("np.linspace", dtype);
  checkSize("np.linspace", [num], dt);
  const out = allocate(dt, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = castScalar(i === num - 1 && num > 1 ? stop : start + i * step, dt);
  return new NDArray([num], dt, out);
}
