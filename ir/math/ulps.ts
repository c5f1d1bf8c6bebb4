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
