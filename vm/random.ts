// np.random: a counter-based generator. Draw i of a stream is a pure function of
// (key, counter + i), so the same numbers can be produced by any tier, in any order,
// and later inside compiled loops (the counter then becomes implicit state).
//
//   bits(key, c)  = mix(mix(c + key * 0x9E3779B9) ^ key)     (32-bit integer hash)
//   uniform       = (bits >>> 8) * 2^-24                      (float32 in [0, 1))
//   normal        = sqrt(-2 log(1 - u1)) * cos(2π u2)         (Box-Muller in float32,
//                   u1, u2 from counters 2i and 2i+1, with tierjit's log32/cos32)

import { allocate } from "../ir/dtype.js";
import { ArgumentError } from "../ir/errors.js";
import { cos32, log32 } from "../ir/math/f32.js";
import { checkShape, sizeOf } from "../ir/shape.js";
import { NDArray } from "./ndarray.js";
import { requireEager } from "./ops.js";

const state = { key: 0, counter: 0 };

function mix(x: number): number {
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
  const u1 = f(1 - uniformAt(key, 2 * counter));
  const u2 = uniformAt(key, 2 * counter + 1);
  const r = f(Math.sqrt(f(-2 * log32(u1))));
  return f(r * cos32(f(TWO_PI * u2)));
}

/** Seeds the global stream: same seed, same numbers, in every mode and tier. */
export function seed(n: number): void {
  if (!Number.isInteger(n)) throw new ArgumentError(`np.random.seed: seed must be an integer, got ${n}`);
  state.key = mix(n | 0) ^ mix(Math.floor(n / 2 ** 32) | 0);
  state.counter = 0;
}

function draw(what: string, shape: readonly number[], at: (key: number, c: number) => number): NDArray {
  requireEager(`np.random.${what}`);
  const s = checkShape(`np.random.${what}`, shape);
  const n = sizeOf(s);
  const out = allocate("float32", n);
  const base = state.counter;
  for (let i = 0; i < n; i++) out[i] = at(state.key, (base + i) | 0);
  state.counter = (base + n) | 0;
  return new NDArray(s, "float32", out);
}

/** Uniform float32 samples in [0, 1). */
export function random(shape: readonly number[]): NDArray {
  return draw("random", shape, uniformAt);
}

/** Standard normal float32 samples (mean 0, standard deviation 1). */
export function normal(shape: readonly number[]): NDArray {
  return draw("normal", shape, normalAt);
}
