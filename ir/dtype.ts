// Dtypes and the promotion rules every op obeys.
//
// Promotion follows JAX's "weak type" idea: a JS number carries no dtype of its own,
// so it adopts the dtype of the array it meets (`x.mul(2)` stays float32). JS cannot
// tell `2` from `2.0`, so a number's kind is read from its value: an integer-valued
// number is a weak int, any other number a weak float, `true`/`false` a weak bool.
//
//   strong lattice:   bool < int32 < float32 < float64
//   strong ⊕ strong:  the larger of the two
//   strong ⊕ weak:    the strong dtype, except that a weak float lifts bool/int32 to
//                     float32 and a weak int lifts bool to int32
//   weak ⊕ weak:      float32 if any is a float, else int32 if any is an int, else bool

import { SizeError, sizeMessage } from "./errors.js";

export type DType = "float32" | "float64" | "int32" | "bool";
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "bool"];

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
const SHORT: Record<DType, string> = { float32: "f32", float64: "f64", int32: "i32", bool: "bool" };

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && Object.prototype.hasOwnProperty.call(RANK, x);
}

export function shortName(d: DType): string {
  return SHORT[d];
}

export function isFloat(d: DType): boolean {
  return d === "float32" || d === "float64";
}

/**
 * The largest array tierjit makes: at most MAX_ELEMENTS elements (kernels index with
 * int32 arithmetic) and MAX_BYTES bytes. Beyond it every creation routine and op throws
 * at once (ir/shape.ts checkSize), instead of allocating (and zero-filling) for minutes
 * or failing inside V8 with a RangeError. Tier 2 further needs a program's whole
 * working set in one 4 GiB wasm memory; a program above that stays in tier 1.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;
export const MAX_BYTES = 2 ** 31;

export const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

export function allocate(d: DType, n: number): TypedArray {
  if (!(n <= MAX_ELEMENTS && n * BYTES[d] <= MAX_BYTES)) throw new SizeError(sizeMessage("allocating", n, d));
  switch (d) {
    case "float32": return new Float32Array(n);
    case "float64": return new Float64Array(n);
    case "int32": return new Int32Array(n);
    case "bool": return new Uint8Array(n);
  }
}

export function dtypeOfTypedArray(a: unknown): DType | undefined {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Uint8Array) return "bool";
  return undefined;
}

/** Largest of strong dtypes. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The kind a JS scalar contributes to promotion. */
export type WeakKind = "bool" | "int" | "float";

export function weakKindOf(v: number | boolean): WeakKind {
  if (typeof v === "boolean") return "bool";
  return Number.isInteger(v) ? "int" : "float";
}

/** Result dtype of mixing strong dtypes with weak scalars (see header). */
export function resultType(strong: readonly DType[], weak: readonly WeakKind[]): DType {
  let d: DType | undefined;
  for (const s of strong) d = d === undefined ? s : promoteTypes(d, s);
  const hasFloat = weak.includes("float");
  const hasInt = weak.includes("int");
  if (d === undefined) return hasFloat ? "float32" : hasInt ? "int32" : "bool";
  if (hasFloat && !isFloat(d)) return "float32";
  if (hasInt && d === "bool") return "int32";
  return d;
}

/** The float dtype an op that needs floats computes in (int/bool lift to float32). */
export function toFloat(d: DType): DType {
  return isFloat(d) ? d : "float32";
}

/** Arithmetic treats bool as int32 (0/1). */
export function toNumeric(d: DType): DType {
  return d === "bool" ? "int32" : d;
}

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

/**
 * Converts one JS number to the value a `dtype` array stores. This is the cast
 * semantics of every tier: float→int32 truncates toward zero and saturates, NaN→0
 * (wasm's `trunc_sat`); anything→bool is `x != 0` (so NaN→true, as in numpy).
 */
export function castScalar(v: number, to: DType): number {
  switch (to) {
    case "float32": return Math.fround(v);
    case "float64": return v;
    case "int32":
      if (v !== v) return 0;
      if (v <= I32_MIN) return I32_MIN;
      if (v >= I32_MAX) return I32_MAX;
      return Math.trunc(v) | 0;
    case "bool": return v !== 0 ? 1 : 0;
  }
}
