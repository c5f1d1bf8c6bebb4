// The random-number semantics every tier reproduces: a counter-based generator, so
// draw number c of a stream is a pure function of (key, c) and any tier can compute
// any draw independently, in any order, in SIMD lanes or inside compiled loops.
//
//   bits(key, c)   = mix(mix(c + key * 0x9E3779B9) ^ key)        32-bit integer hash
//   uniform(key,c) = (bits >>> 8) * 2^-24                         float32 in [0, 1)
//   normal(key,c)  = sqrt(-2 log(1 - uniform(key,c))) * cos(2π uniform(key,c+1))
//                    (Box-Muller in float32 with ir/math's log32/cos32; uses 2 counters)
//
// The generator state is an int32 pair [key, counter]; a draw of n uniforms reads
// counters counter..counter+n-1 and advances the counter by n (by 2n for normals).
// Counters wrap modulo 2^32.

import { cos32, log32 } from "./math/f32.js";

export function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

export function bits(key: number, counter: number): number {
  return mix(mix((counter + Math.imul(key, 0x9e3779b9)) | 0) ^ key);
}

const f = Math.fround;
const TWO_PI = f(2 * Math.PI);

export function uniformAt(key: number, counter: number): number {
  return (bits(key, counter) >>> 8) * 2 ** -24;
}

export function normalAt(key: number, counter: number): number {
  const u1 = f(1 - uniformAt(key, counter));
  const u2 = uniformAt(key, (counter + 1) | 0);
  const r = f(Math.sqrt(f(-2 * log32(u1))));
  return f(r * cos32(f(TWO_PI * u2)));
}

/** Counters consumed per draw. */
export const COUNTERS_PER_DRAW: Readonly<Record<"uniform" | "normal", number>> = { uniform: 1, normal: 2 };

/** Fills `out` with draws of `dist` from state [key, counter]. */
export function drawInto(dist: "uniform" | "normal", key: number, counter: number, out: Float32Array): void {
  const n = out.length;
  if (dist === "uniform") for (let i = 0; i < n; i++) out[i] = uniformAt(key, (counter + i) | 0);
  else for (let i = 0; i < n; i++) out[i] = normalAt(key, (counter + 2 * i) | 0);
}
