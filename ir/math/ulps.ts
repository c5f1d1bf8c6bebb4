// Error in ulps of a reference value (tests and the exhaustive scan): float32 ulps for
// float32 results, float64 ulps for float64 ones; an infinite result counts as 2^128
// (2^1024), so a result rounding to Inf next to the overflow threshold is measured.

function ulpOf(ref: number, mant: number, minExp: number): number {
  const a = Math.abs(ref);
  if (a < 2 ** minExp) return 2 ** (minExp - mant);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - mant);
}

function err(res: number, ref: number, mant: number, minExp: number, big: number): number {
  if (ref !== ref) return res !== res ? 0 : Infinity;
  if (res === ref) return 0;
  if (res !== res) return Infinity;
  const cap = (v: number) => Math.max(Math.min(v, big), -big);
  const r = cap(ref);
  return Math.abs(cap(res) - r) / ulpOf(r, mant, minExp);
}

export const err32 = (res: number, ref: number) => err(res, ref, 23, -126, 2 ** 128);
export const err64 = (res: number, ref: number) => err(res, ref, 52, -1022, Infinity);

/**
 * erf in float64 for references (JS has no Math.erf): the Maclaurin series below 1.5,
 * the continued fraction of erfc above; about 1e-16 relative, enough to measure a
 * float32 erf and, loosely, a float64 one (CONTRIBUTING.md has the mpmath figures).
 */
export function erfRef(x: number): number {
  const a = Math.abs(x);
  if (x !== x) return x;
  if (a >= 6) return Math.sign(x);
  if (a < 1.5) {
    // erf(a) = 2/sqrt(pi) * sum (-1)^n a^(2n+1) / (n! (2n+1)), summed as a*2/sqrt(pi) * e^{-a^2} * sum 2^n a^2n / (1*3*...*(2n+1))
    let term = a;
    let sum = a;
    const a2 = a * a;
    for (let n = 1; n < 200; n++) {
      term *= (2 * a2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-18) break;
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * Math.exp(-a2) * sum) || x;
  }
  // erfc(a) = e^{-a^2}/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + ...)))))
  let f = a;
  for (let n = 400; n >= 1; n--) f = a + n / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}
