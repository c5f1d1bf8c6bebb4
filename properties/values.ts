// The numbers the property suite feeds to programs, and how it compares results.
//
// Values: the special values of IEEE arithmetic (NaN, ±Inf, ±0, subnormals, ±max of
// both float widths), int32 values near wrap-around and saturation, the switch points
// of every range reduction in ir/math (each with its float32 neighbours, because a
// reduction that picks the wrong branch one ulp early is exactly the bug a tier
// transcription makes), and ordinary values. Arrays take their elements from one
// shared pool per case, so shrinking the pool simplifies every array at once.
//
// Comparison is bitwise with one relaxation: all NaNs are equal (payloads are not part
// of tierjit's semantics; wasm and JS may produce different ones). -0 and +0 differ.

import fc from "fast-check";
import { castScalar, type DType, type TypedArray } from "../ir/dtype.js";
import { f32Bits, f32FromBits } from "../ir/math/bits.js";

const F32_MAX = 3.4028234663852886e38;
const F32_MIN_NORMAL = 2 ** -126;
const F32_MIN_SUB = 2 ** -149;
const LN2 = Math.LN2;

/** The float32 value one step toward +Inf (x must be a finite float32 value). */
export function nextUp32(x: number): number {
  const f = Math.fround(x);
  if (f === 0) return F32_MIN_SUB;
  const b = f32Bits(f);
  return f32FromBits(f > 0 ? b + 1 : b - 1);
}

export function nextDown32(x: number): number {
  return -nextUp32(-x);
}

/**
 * Points where an algorithm in ir/math switches branch, clamps, or changes its
 * reduction integer k (read from the headers of ir/math/f32.ts and f64.ts).
 */
const SWITCH_POINTS: readonly number[] = [
  // exp32: clamps, overflow/underflow thresholds, k boundaries at (j + 1/2) ln2
  89, 104, 88.72283935546875, 87.33654475055310, 103.97207708399179,
  0.5 * LN2, 1.5 * LN2, 2.5 * LN2, 20.5 * LN2,
  // log32: subnormal scaling, mantissa switch at sqrt(2)/2 (bits 0x3f3504f3), around 1
  F32_MIN_NORMAL, 0.7071067690849304, 1.4142135381698608, 1, 2,
  // tanh32: polynomial/exp switch, saturation to 1; tanh64 switch; sigmoid saturation
  0.55, 9.010913848876953, 0.625, 16.635532, 19.061547465398498,
  // sin/cos: k boundaries at (j + 1/2) pi/2, and the end of the accurate range
  Math.PI / 4, (3 * Math.PI) / 4, (5 * Math.PI) / 4, Math.PI, 2 * Math.PI, 100 * Math.PI,
  2 ** 28 * (Math.PI / 2), 2 ** 19 * (Math.PI / 2),
  // exp64: overflow, underflow, clamps
  709.782712893384, 745.1332191019411, 708.3964185322641, 710, 746,
];

/** Values that matter for numerics, finite or not, in both signs. */
export const SPECIAL_VALUES: readonly number[] = (() => {
  const out = new Set<number>([
    NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, 0.1,
    F32_MAX, -F32_MAX, F32_MIN_NORMAL, -F32_MIN_NORMAL, F32_MIN_SUB, -F32_MIN_SUB,
    nextDown32(F32_MIN_NORMAL), -nextDown32(F32_MIN_NORMAL), 2 ** -140,
    Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** -1022, 1e300, -1e-300,
    // int32 wrap and float->int32 saturation
    2147483647, -2147483648, 2147483646, -2147483647, 2147483648, -2147483649, 3e9, -3e9,
    46341, -46341, 65536, 65535,
  ]);
  for (const p of SWITCH_POINTS) {
    for (const v of [p, nextUp32(p), nextDown32(p), Math.fround(p)]) {
      out.add(v);
      out.add(-v);
    }
  }
  return [...out];
})();

/** One number of the kind the suite feeds to arrays (any dtype: arrays cast it). */
// Non-integer floats carry most of the weight: sums and products of small integers are
// exact in any order, so they would hide a tier that rounds in a different order.
export const arbValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -8, max: 8 }) },
  { weight: 6, arbitrary: fc.float({ min: -10, max: 10, noNaN: true }) },
  { weight: 2, arbitrary: fc.float({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_VALUES) },
  { weight: 2, arbitrary: fc.float() },
  { weight: 1, arbitrary: fc.double() },
);

/** Element j of an array filled from `pool` starting at `offset`, cast to `dtype`. */
export function poolValue(pool: readonly number[], offset: number, j: number, dtype: DType): number {
  const v = pool.length === 0 ? 0 : pool[(offset + j) % pool.length]!;
  return castScalar(v, dtype);
}

/** Equal as tierjit defines results: same value, NaN == NaN, -0 != +0. */
export function sameValue(a: number, b: number): boolean {
  return Object.is(a, b) || (a !== a && b !== b);
}

export function sameArray(a: TypedArray, b: TypedArray): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i]!, b[i]!)) return i;
  return -1;
}

/** A number as the report prints it: exact, with -0 and the float32 bit pattern where it helps. */
export function showValue(x: number, dtype: DType): string {
  if (Object.is(x, -0)) return "-0";
  if (dtype === "float32" && x === x && Number.isFinite(x)) return `${x}(0x${(f32Bits(x) >>> 0).toString(16)})`;
  return String(x);
}

/** The exponent e with 2^e <= |a| < 2^(e+1) (a finite, nonzero). */
function exponentOf(a: number): number {
  const e = Math.floor(Math.log2(a));
  // log2 may round up just below a power of two.
  return 2 ** e > a ? e - 1 : e;
}

/** Size of one float32 ulp at magnitude |y| (subnormal spacing below 2^-126). */
export function ulp32(y: number): number {
  const a = Math.abs(y);
  if (a < F32_MIN_NORMAL) return F32_MIN_SUB;
  return 2 ** (exponentOf(a) - 23);
}

/** Size of one float64 ulp at magnitude |y|. */
export function ulp64(y: number): number {
  const a = Math.abs(y);
  if (a < 2 ** -1022) return Number.MIN_VALUE;
  return 2 ** (exponentOf(a) - 52);
}

/**
 * Error of a computed `got` against a real reference `ref`, in ulps of the result
 * format at `ref`. An infinite `got` counts as ±2^(emax+1), so a result that
 * overflowed just past the largest finite value is measured, not rejected outright.
 */
export function ulpError(got: number, ref: number, dtype: "float32" | "float64"): number {
  if (got !== got || ref !== ref) return got !== got && ref !== ref ? 0 : Infinity;
  if (Object.is(got, ref) || got === ref) return 0;
  // The correctly rounded result (this also accepts an overflow to Inf that rounding implies).
  if (sameValue(got, dtype === "float32" ? Math.fround(ref) : ref)) return 0;
  if (!Number.isFinite(ref)) return Infinity;
  const u = dtype === "float32" ? ulp32(ref) : ulp64(ref);
  if (Number.isFinite(got)) return Math.abs(got - ref) / u;
  // Halved so that 2^1024 (not a double) stays finite.
  const half = dtype === "float32" ? 2 ** 127 : 2 ** 1023;
  return Math.abs(Math.sign(got) * half - ref / 2) / (u / 2);
}
