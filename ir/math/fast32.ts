/**
 * Fast float32 exp, tanh and sigmoid for `exact: false` in tier 2: float32
 * arithmetic throughout, rounded after every operation, so that tier 2 runs them at
 * full f32x4 width (four lanes per instruction) instead of ir/math/f32.ts's
 * float64 cores on two f64x2 halves. Accuracy is a few float32 ulps instead of
 * correct rounding (the bounds below are enforced by math.test.ts and used by the
 * relaxed-mode property). These functions define what tier 2 computes in that
 * mode; tiers/wasm/fast32.ts transcribes them operation for operation, under the
 * rules at the top of f32.ts (every `f(a op b)` is one f32x4 instruction).
 *
 * Shared core, e^y - 1 for y in [-104, 89] (the clamp of exp32):
 *   k = rne(y * LOG2E)                  magic-number add/sub in float32 (|k| <= 150)
 *   r = (y - k*LN2_HI) - k*LN2_LO       Cody-Waite: LN2_HI has 9 trailing zero bits,
 *                                       so k*LN2_HI and the subtraction are exact
 *   p = r + r^2 * (1/2 + r*(1/6 + ... + r^5/5040))   e^r - 1, Taylor to degree 7
 *   e^y = (1 + p) * 2^k1 * 2^k2,  k1 = k >> 1, k2 = k - k1: both factors are normal
 *   floats and the first product is exact, so a subnormal result rounds once.
 *
 * Accuracy: max error in float32 ulps against float64 Math, measured on every 97th
 * float32 bit pattern of both signs (44M inputs): exp32f 0.998, tanh32f 2.37,
 * sigmoid32f 2.28. FAST32_ULPS are the bounds math.test.ts enforces and the
 * relaxed-mode property (properties/relaxed.ts) relies on.
 */

const f = Math.fround;

/** Error bounds in float32 ulps of the result, per op of the table. */
export const FAST32_ULPS: Readonly<Record<"exp" | "tanh" | "sigmoid", number>> = { exp: 1.5, tanh: 3, sigmoid: 3 };

export const LOG2E = f(1.4426950408889634);
export const LN2_HI = f(0.693145751953125); // 0x3f317200: 9 trailing zero bits
export const LN2_LO = f(1.428606765330187e-6); // ln 2 - LN2_HI
export const MAGIC32 = 12582912; // 1.5 * 2^23: x + MAGIC32 - MAGIC32 rounds x to an integer (|x| < 2^22)
/** e^r - 1 = r + r^2 * (E[0] + r*(E[1] + ...)): Taylor coefficients 1/2!, ..., 1/7!, as float32. */
export const EXPM1_COEFFICIENTS: readonly number[] = [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040].map(f);

/** k and r of the reduction y = k ln2 + r, |r| <= ~ln2/2, for y in [-104, 89]. */
function reduce(y: number): { k: number; r: number } {
  const k = f(f(f(y * LOG2E) + MAGIC32) - MAGIC32);
  const r = f(f(y - f(k * LN2_HI)) - f(k * LN2_LO));
  return { k, r };
}

/** e^r - 1 for the reduced r. */
function expm1Reduced(r: number): number {
  const c = EXPM1_COEFFICIENTS;
  let q = c[c.length - 1]!;
  for (let i = c.length - 2; i >= 0; i--) q = f(c[i]! + f(r * q));
  return f(r + f(f(r * r) * q));
}

/** (1 + p) * 2^k with one rounding for subnormal results: k split into two normal powers of two. */
function scale(onePlusP: number, k: number): number {
  const k1 = k >> 1;
  return f(f(onePlusP * 2 ** k1) * 2 ** (k - k1));
}

export function exp32f(x: number): number {
  const y = Math.min(Math.max(x, -104), 89);
  const { k, r } = reduce(y);
  return scale(f(1 + expm1Reduced(r)), k);
}

/** tanh x = t / (t + 2) with t = e^{2|x|} - 1, the sign copied back; |x| is clamped at 9 (tanh = 1 in float32). */
export function tanh32f(x: number): number {
  const y = f(2 * Math.min(Math.abs(x), 9));
  const { k, r } = reduce(y);
  const p = expm1Reduced(r);
  // t = 2^k (1 + p) - 1 = 2^k p + (2^k - 1): exact terms for k >= 0 (2^k p is a scaling; 2^k - 1 < 2^24 or rounds harmlessly).
  const s = 2 ** k;
  const t = f(f(s * p) + f(s - 1));
  const m = f(t / f(t + 2));
  return x < 0 || Object.is(x, -0) ? -m : x !== x ? x : m;
}

/** sigmoid x = 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below (no overflow, subnormal tails kept). */
export function sigmoid32f(x: number): number {
  const e = exp32f(-Math.abs(x));
  const d = f(1 + e);
  return x >= 0 ? f(1 / d) : x < 0 ? f(e / d) : x;
}
