/**
 * Bit-level helpers shared by the reference transcendental algorithms in
 * `f32.ts` and `f64.ts`.
 *
 * Every helper here corresponds to one or a few WebAssembly (SIMD)
 * instructions with identical semantics, so a tier that transcribes the
 * algorithms can map them 1:1:
 *
 *   helper                  wasm (SIMD)
 *   ----------------------  --------------------------------------------------
 *   f32Bits / f32FromBits   reinterpret (v128 is untyped: no instruction)
 *   rne64 (|x| < 2^51)      f64x2.add(x, 1.5*2^52) then f64x2.sub (NOT nearest)
 *   pow2f64(k)              i64x2.shl(k + 1023, 52), reinterpret as f64x2
 *   hiWord / loWord         i64x2.shr_s(bits, 32) / low 32 bits of the lane
 *   fromWords / clearLo     i64x2 shl/or of the words / v128.and with
 *                           0xffffffff00000000
 *
 * The scratch buffer is module-level and reused; JS is single-threaded, and no
 * helper keeps a value in it across calls, so this is safe and allocation-free.
 */

const scratch = new ArrayBuffer(8);
const sF64 = new Float64Array(scratch);
const sF32 = new Float32Array(scratch);
const sI32 = new Int32Array(scratch);

// The f64 word helpers below assume a little-endian host (x86, ARM, every
// platform Node runs on in practice). Fail loudly instead of silently
// computing garbage on a big-endian machine.
sF64[0] = 1;
if (sI32[1] !== 0x3ff00000) {
  throw new Error("tierjit/ir/math: big-endian hosts are not supported");
}

/** Round to float32 (what every f32x4 arithmetic instruction does). */
export const fround = Math.fround;

/** Signed 32-bit pattern of a float32 value (i32.reinterpret_f32). */
export function f32Bits(x: number): number {
  sF32[0] = x;
  return sI32[0] as number;
}

/** float32 value of a 32-bit pattern (f32.reinterpret_i32). */
export function f32FromBits(bits: number): number {
  sI32[0] = bits;
  return sF32[0] as number;
}

/** High 32 bits (sign, exponent, top 20 mantissa bits) of a float64, signed. */
export function hiWord(x: number): number {
  sF64[0] = x;
  return sI32[1] as number;
}

/** Low 32 bits of a float64's mantissa, as a signed int32. */
export function loWord(x: number): number {
  sF64[0] = x;
  return sI32[0] as number;
}

/** float64 built from its high and low 32-bit words. */
export function fromWords(hi: number, lo: number): number {
  sI32[1] = hi;
  sI32[0] = lo;
  return sF64[0] as number;
}

/** x with the low 32 bits of its pattern cleared (v128.and with a mask). */
export function clearLo(x: number): number {
  sF64[0] = x;
  sI32[0] = 0;
  return sF64[0] as number;
}

/**
 * Round half to even for float64, valid for |x| < 2^51 (and NaN -> NaN).
 * 1.5*2^52: adding it pushes the fraction bits out of the mantissa and the FPU
 * rounds them away with ties-to-even; subtracting it back is exact.
 * (Math.round rounds ties toward +Inf: never use it.)
 *
 * CANONICAL FORM: the tiers must emit these two adds (f64x2.add, f64x2.sub),
 * not f64x2.nearest. The two differ only in the sign of a zero result
 * (magic gives +0 for x in [-0.5, -0], nearest gives -0), and sin/cos rely on
 * k = +0 to keep sin(-0) = -0.
 */
const MAGIC64 = 6755399441055744; // 1.5 * 2^52
export function rne64(x: number): number {
  return x + MAGIC64 - MAGIC64;
}

/** 2^k as float64 for integer k in [-1022, 1023] (normal range only). */
export function pow2f64(k: number): number {
  sI32[1] = (k + 1023) << 20;
  sI32[0] = 0;
  return sF64[0] as number;
}
