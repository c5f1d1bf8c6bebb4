/**
 * The float64 counterpart of arith.ts: one definition per float64 algorithm, written
 * over `Arith64` and rendered to generated JS (tiers 0/1, eager mode), evaluated
 * directly over numbers (`NUM64`, where `new Function` is refused) and emitted as f64x2
 * or scalar f64 wasm (tiers/wasm/lanes64.ts). Same rules as arith.ts: the order written
 * is the order every tier runs, no FMA, round-to-integer by the magic-number add.
 *
 * The float ops are arith.ts's. Integer lanes `I` hold int32 values (the high word of a
 * double, an exponent): in JS plain int32 numbers, in wasm sign-extended i64 lanes,
 * re-wrapped after every op that can leave int32 (add, sub, shl), so both wrap alike.
 * Bits of a double are only reachable as words: `hiWord` (sign, exponent, top 20
 * mantissa bits), `loWord`, `fromWords(hi, x)` (hi with x's low word), `clearLo`.
 */

import { JsRender, NUM32, type Algorithm, type Arith } from "./arith.js";
import { clearLo, fromWords, hiWord, loWord } from "./bits.js";

/** The arithmetic both precisions share (every algorithm generic over precision is written over it). */
export type Common<V, M, I> = Omit<Arith<V, M, I>, "bits" | "fromBits" | "truncSat" | "imul" | "rare">;

export interface Arith64<V, M, I> extends Common<V, M, I> {
  hiWord(a: V): I;
  loWord(a: V): I;
  /** The double whose high word is `hi` and whose low word is that of `lo`. */
  fromWords(hi: I, lo: V): V;
  clearLo(a: V): V;
  // pow2(k) takes k in [-1022, 1023]; toInt an integral double with |a| < 2^31.
}

export interface Algorithm64 {
  readonly name: string;
  readonly arity: 1 | 2;
  define<V, M, I>(A: Arith64<V, M, I>, x: V, y: V): V;
}

/** 2^k for k in [-1022, 1023] at index k + 1022. */
const POW2_64 = new Float64Array(2046);
for (let k = -1022; k <= 1023; k++) POW2_64[k + 1022] = 2 ** k;

export const NUM64: Arith64<number, boolean, number> = {
  ...(({ bits, fromBits, truncSat, imul, rare, ...rest }) => rest)(NUM32),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  sqrt: (a) => Math.sqrt(a),
  convert: (a) => a,
  pow2: (k) => POW2_64[k + 1022]!,
  hiWord,
  loWord,
  fromWords: (hi, lo) => fromWords(hi, loWord(lo)),
  clearLo,
};

class JsRender64 extends JsRender implements Arith64<string, string, string> {
  constructor() {
    super(64);
  }
  override pow2(k: string) { return this.let(`P2D[${k} + 1022]`); }
  hiWord(a: string) { return this.let(`hiWord(${a})`); }
  loWord(a: string) { return this.let(`loWord(${a})`); }
  fromWords(hi: string, lo: string) { return this.let(`fromWords(${hi}, loWord(${lo}))`); }
  clearLo(a: string) { return this.let(`clearLo(${a})`); }
}

const HELPERS = ["hiWord", "loWord", "fromWords", "clearLo", "P2D"] as const;
const HELPER_VALUES = [hiWord, loWord, fromWords, clearLo, POW2_64];

export function jsSource64(alg: Algorithm64): string {
  const r = new JsRender64();
  const out = alg.define(r, "x", "y");
  const params = alg.arity === 1 ? "x" : "x, y";
  return [`function ${alg.name}(${params}) {`, ...r.lines.map((l) => `  ${l}`), `  return ${out};`, "}"].join("\n");
}

export function jsFunction64(alg: Algorithm64): (x: number, y: number) => number {
  const src = jsSource64(alg);
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function(...HELPERS, `"use strict";\nreturn ${src};`)(...HELPER_VALUES) as (x: number, y: number) => number;
  } catch {
    return (x, y) => alg.define(NUM64, x, y);
  }
}

/** One algorithm in both precisions (the pair an op table entry needs). */
export interface Pair {
  readonly f32: Algorithm;
  readonly f64: Algorithm64;
}
