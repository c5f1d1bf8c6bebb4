// Scalar semantics of the op table's non-transcendental ops beyond + - * /: rounding,
// predicates, logical and bitwise ops, shifts, and numpy's division family. Each is a
// plain function so that tier 1 binds and calls the very function tier 0 calls (same
// code, same bits); tier 2 reproduces each one in tiers/wasm/ew.ts.
//
// Where IEEE leaves a choice that JS cannot observe, tierjit fixes one: the sign bit
// of a NaN is not part of any result (JS engines may canonicalise NaNs), so
// `signbit(NaN)` is false and `copysign(x, NaN)` is |x|.

const f = Math.fround;
const TWO52 = 4503599627370496;

/** True for x < 0 and for -0 (false for NaN). */
export function negative(x: number): boolean {
  return x < 0 || (x === 0 && 1 / x < 0);
}

/** Round half to even (numpy's round, IEEE roundTiesToEven; wasm `nearest`); keeps -0. */
export function rint(x: number): number {
  const a = Math.abs(x);
  if (!(a < TWO52)) return x; // already integral, or ±Inf/NaN
  const r = a + TWO52 - TWO52;
  return negative(x) ? -r : r;
}

export function copysign(a: number, b: number): number {
  return negative(b) ? -Math.abs(a) : Math.abs(a);
}

// ---- numpy's division family (npy_divmod), float32 rounding after every step ----

/** numpy's remainder: the sign of the divisor; mod(x, 0) = NaN; a zero result has the divisor's sign. */
export function mod64(a: number, b: number): number {
  let m = a % b;
  if (b === 0) return m;
  if (m !== 0) {
    if (b < 0 !== m < 0) m += b;
  } else m = copysign(0, b);
  return m;
}
export function mod32(a: number, b: number): number {
  let m = a % b; // exact, so already a float32 value
  if (b === 0) return m;
  if (m !== 0) {
    if (b < 0 !== m < 0) m = f(m + b);
  } else m = copysign(0, b);
  return m;
}

/** numpy's floor_divide: floor((a - mod) / b) snapped to the nearest integer; x // 0 = a / b. */
export function floorDivide64(a: number, b: number): number {
  if (b === 0) return a / b;
  const m = a % b;
  let div = (a - m) / b;
  if (m !== 0 && b < 0 !== m < 0) div -= 1;
  if (div === 0) return copysign(0, a / b);
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
}
export function floorDivide32(a: number, b: number): number {
  if (b === 0) return f(a / b);
  const m = a % b;
  let div = f(f(a - m) / b);
  if (m !== 0 && b < 0 !== m < 0) div = f(div - 1);
  if (div === 0) return copysign(0, f(a / b));
  let fl = Math.floor(div);
  if (f(div - fl) > 0.5) fl = f(fl + 1);
  return fl;
}

// int32: exact over all of int32 (a / b is exact enough in float64 that floor/trunc of
// it is the integer quotient). Division by zero gives 0 (numpy's result, which also
// warns); INT_MIN // -1 wraps to INT_MIN and INT_MIN % -1 is 0.
export function modI32(a: number, b: number): number {
  if (b === 0) return 0;
  const r = a % b;
  return (r !== 0 && r < 0 !== b < 0 ? r + b : r) | 0;
}
export function fmodI32(a: number, b: number): number {
  return b === 0 ? 0 : (a % b) | 0;
}
export function floorDivideI32(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor(a / b) | 0;
}

/** numpy's shifts by a count outside [0, 32): left gives 0, right gives the sign fill. */
export function leftShiftI32(a: number, b: number): number {
  return b >>> 0 < 32 ? a << b : 0;
}
export function rightShiftI32(a: number, b: number): number {
  return a >> (b >>> 0 < 32 ? b : 31);
}
