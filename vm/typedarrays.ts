// Typed arrays from outside tierjit (np.array, op arguments, jit arguments): each is
// read by value, never reinterpreted bit for bit. Without a `dtype` an element type
// maps to the smallest tierjit dtype that holds every one of its values exactly:
// 8- and 16-bit integers (Uint8Array and Uint8ClampedArray included) to int32,
// Uint32Array to float64 (values above 2^31 - 1 do not fit int32). A Uint8Array is a
// byte buffer, not a bool array: `{ dtype: "bool" }` asks for x != 0. 64-bit integers
// and DataViews have no exact tierjit dtype and are refused.

import { allocate, castScalar, type DType, type TypedArray } from "../ir/dtype.js";
import { DTypeError } from "../ir/errors.js";

/** Every typed array np.array accepts. */
export type TypedArrayInput = TypedArray | Int8Array | Uint8ClampedArray | Int16Array | Uint16Array | Uint32Array;

type Ctor = abstract new (...a: never[]) => ArrayBufferView;
const F16 = (globalThis as { Float16Array?: Ctor }).Float16Array;

/** Element type -> the dtype np.array gives without `{ dtype }` (the first match: Uint8ClampedArray is not a Uint8Array). */
const DEFAULTS: readonly (readonly [Ctor, DType])[] = [
  [Float32Array, "float32"],
  [Float64Array, "float64"],
  [Int32Array, "int32"],
  [Uint8Array, "int32"],
  [Uint8ClampedArray, "int32"],
  [Int8Array, "int32"],
  [Int16Array, "int32"],
  [Uint16Array, "int32"],
  [Uint32Array, "float64"],
  ...(F16 ? [[F16, "float32"] as const] : []),
];

/** The dtype a typed array becomes without `{ dtype }`, or undefined for views tierjit does not read. */
export function defaultDType(a: ArrayBufferView): DType | undefined {
  for (const [C, d] of DEFAULTS) if (a instanceof C) return d;
  return undefined;
}

export function isTypedArrayInput(x: unknown): x is TypedArrayInput {
  return ArrayBuffer.isView(x) && defaultDType(x) !== undefined;
}

function unsupported(where: string, a: ArrayBufferView): DTypeError {
  const name = a.constructor?.name ?? "ArrayBufferView";
  const why =
    a instanceof BigInt64Array || a instanceof BigUint64Array
      ? "64-bit integers fit neither int32 nor float64 exactly; convert first, e.g. Float64Array.from(a, Number) or Int32Array.from(a, Number)"
      : a instanceof DataView
        ? "a DataView has no element type; read it into a typed array first"
        : "its element type has no tierjit dtype";
  return new DTypeError(
    `${where}: a ${name} is not supported (${why}); np.array takes Float32Array, Float64Array, Int8/16/32Array, ` +
      `Uint8/16/32Array and Uint8ClampedArray, converting values (a Uint8Array is int32; { dtype: "bool" } for x != 0)`,
  );
}

/** A fresh tierjit buffer of dtype `dtype` (default: defaultDType) holding `src`'s values. */
export function fromTypedArray(where: string, src: ArrayBufferView, dtype: DType | undefined): { dtype: DType; data: TypedArray } {
  const own = defaultDType(src);
  if (own === undefined) throw unsupported(where, src);
  const dt = dtype ?? own;
  const values = src as TypedArrayInput;
  const out = allocate(dt, values.length);
  // Exact by construction: the target holds every value of the source's element type.
  if (dt === own || dt === "float64") out.set(values);
  else for (let i = 0; i < values.length; i++) out[i] = castScalar(values[i]!, dt);
  return { dtype: dt, data: out };
}
