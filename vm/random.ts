// np.random: draws from the counter-based generator of ir/random.ts. The generator
// state [key, counter] is a hidden int32 Variable, so the same code works eagerly and
// inside jit: under jit a draw is a `random` instruction reading the state, and the
// state's advance is an ordinary Variable update, carried through loops like any
// other. Hence fresh numbers on every call and every loop iteration, and the same
// stream in eager mode and in every tier for the same seed.

import { ArgumentError, ShapeError, fmtShape, requireStatic, show } from "../ir/errors.js";
import { countersUsed, mix } from "../ir/random.js";
import { broadcastShapes, checkShape, shapesEqual, sizeOf } from "../ir/shape.js";
import { array } from "./construct.js";
import { NDArray, type ArrayLike } from "./ndarray.js";
import { add, asArray, emit, mul, sub } from "./ops.js";
import { Variable } from "./variable.js";

let state: Variable | undefined;

/** How many lanes each draw is for: the product of the batch sizes of the vmap traces running (1 outside vmap). */
let lanes = 1;

/**
 * Runs `fn` (vmap tracing its function) with every draw made for `n` lanes: a batched
 * draw takes n blocks of the stream (ir/vmap/rules.ts `random`), so the traced state
 * advance covers all of them and the next draw starts after the last lane's block.
 */
export function withLanes<T>(n: number, fn: () => T): T {
  const prev = lanes;
  lanes *= n;
  try {
    return fn();
  } finally {
    lanes = prev;
  }
}

/**
 * The key of a seed: both 32-bit halves of it through the bijective `mix`, offset so
 * that seed 0 (the default stream, and the most used seed) gets no key of 0: with key
 * 0 the hash maps counter 0 to 0, a first uniform of exactly 0 and a first normal
 * pair of (0, 0).
 */
function keyOf(n: number): number {
  return mix((mix((n | 0) ^ 0x6a09e667) ^ Math.floor(n / 2 ** 32)) | 0) | 0;
}

/** The generator state [key, counter] (int32), created on first use as seed(0) leaves it. */
export function rngState(): Variable {
  return (state ??= new Variable(array([keyOf(0), 0], "int32")));
}

/** Seeds the global stream: the same seed gives the same numbers in every mode and tier. */
export function seed(n: number): void {
  requireStatic("np.random.seed: the seed", n);
  if (!Number.isSafeInteger(n)) throw new ArgumentError(`np.random.seed: seed must be a safe integer, got ${show(n)}`);
  rngState().value = array([keyOf(n), 0], "int32");
}

function draw(dist: "uniform" | "normal", what: string, shape: readonly number[]): NDArray {
  const s = checkShape(`np.random.${what}`, shape);
  const st = rngState();
  const out = emit("random", [st], { shape: s, dtype: "float32" }, { dist });
  st.value = st.add(array([0, countersUsed(dist, sizeOf(s) * lanes) | 0], "int32"));
  return out;
}

/** Uniform float32 samples in [0, 1). */
export function random(shape: readonly number[]): NDArray {
  return draw("uniform", "random", shape);
}

/**
 * Checks a distribution parameter: a finite number, or an array that broadcasts to the
 * draw's shape (never beyond it: that would repeat draws). Before drawing, so a bad
 * call leaves the stream where it was.
 */
function param(what: string, name: string, v: ArrayLike, shape: readonly number[]): void {
  if (typeof v === "number" ? !Number.isFinite(v) : !(v instanceof NDArray || Array.isArray(v) || ArrayBuffer.isView(v))) {
    throw new ArgumentError(`np.random.${what}: ${name} must be a finite number or an array, got ${typeof v === "number" ? v : typeof v}`);
  }
  if (typeof v === "number") return;
  const s = checkShape(`np.random.${what}`, shape);
  const p = asArray(`np.random.${what}`, v).shape;
  if (!shapesEqual(broadcastShapes(`np.random.${what}`, [s, p]), s)) {
    throw new ShapeError(`np.random.${what}: ${name} of shape ${fmtShape(p)} does not broadcast to the requested shape ${fmtShape(s)}`);
  }
}

/** `z * scale + offset`, leaving out the identity steps (x + 0 would turn -0 into +0). */
function affine(z: NDArray, scale: ArrayLike, offset: ArrayLike): NDArray {
  const scaled = scale === 1 ? z : mul(z, scale);
  return offset === 0 ? scaled : add(scaled, offset);
}

/** Uniform float32 samples in [low, high) (numbers, or arrays that broadcast to `shape`). */
export function uniform(shape: readonly number[], low: ArrayLike = 0, high: ArrayLike = 1): NDArray {
  param("uniform", "low", low, shape);
  param("uniform", "high", high, shape);
  const u = draw("uniform", "uniform", shape);
  return affine(u, typeof low === "number" && typeof high === "number" ? high - low : sub(high, low), low);
}

/** Normal float32 samples with the given mean and standard deviation (default 0 and 1). */
export function normal(shape: readonly number[], mean: ArrayLike = 0, std: ArrayLike = 1): NDArray {
  param("normal", "mean", mean, shape);
  param("normal", "std", std, shape);
  return affine(draw("normal", "normal", shape), std, mean);
}
