/**
 * One definition per numeric algorithm. A float32 transcendental is written ONCE, as a
 * function over the small arithmetic interface `Arith` below, and every form tierjit
 * runs is derived from that one function:
 *
 *   - `jsFunction(alg)`: a JS scalar function `(x, y?) => number`, generated source
 *     (straight-line, one `const` per operation, `F(...)` = Math.fround around every
 *     float op) compiled once with `new Function`; tier 0, eager mode and tier 1 call
 *     it. Where `new Function` is refused (a content-security policy) the same
 *     definition is evaluated directly over numbers (`NUM32`): same operations, same bits.
 *   - wasm: tiers/wasm/lanes.ts's `F` implements `Arith` over binaryen expressions, so
 *     `alg.define(f, v)` emits the algorithm as f32x4 (four lanes per instruction) or
 *     as scalar f32 for loop tails.
 *   - `jsSource(alg)`: the generated JS, for inspection and snapshot tests.
 *
 * Writing an algorithm (see float32.ts for examples):
 *   export const exp32: Algorithm = { name: "exp32", arity: 1, define(A, x) { ... } };
 *   - Every float op rounds to float32 (`A.add(a, b)` is one f32x4.add). Never
 *     reassociate: the order written is the order every tier runs.
 *   - Constants are plain numbers and must be float32 values (`Math.fround(c) === c`),
 *     integer constants int32 values: rendering throws otherwise, since JS would use the
 *     double while wasm rounds it.
 *   - `cmp` gives a mask, `sel(m, a, b)` picks per lane (both arms are computed: keep
 *     them pure). `min`/`max` are NaN-propagating with -0 < +0 (Math.min/max, f32x4.min).
 *   - Integer lanes `I` are int32 (i32x4): `bits`/`fromBits` reinterpret, `iadd` etc.
 *     wrap, `ishr` is arithmetic, `truncSat` converts f32 -> i32 truncating and
 *     saturating (NaN -> 0), `convert` i32 -> f32 rounding to nearest.
 *   - Round-to-integer is the magic-number add/sub (x + 1.5*2^23 - 1.5*2^23), never a
 *     `nearest` instruction (the two differ in the sign of zero).
 *   Then add the algorithm to the op table (ir/ops.ts: `scalar32(alg)`) and to tier 2's
 *   table (tiers/wasm/ew.ts), and give it an accuracy test (float32.test.ts).
 */

export type Cmp = "lt" | "gt" | "le" | "ge" | "eq" | "ne";

/** Arithmetic over float32 lanes V, masks M and int32 lanes I. */
export interface Arith<V, M, I> {
  add(a: V | number, b: V | number): V;
  sub(a: V | number, b: V | number): V;
  mul(a: V | number, b: V | number): V;
  div(a: V | number, b: V | number): V;
  min(a: V | number, b: V | number): V;
  max(a: V | number, b: V | number): V;
  abs(a: V): V;
  neg(a: V): V;
  floor(a: V): V;
  sqrt(a: V): V;
  cmp(op: Cmp, a: V | number, b: V | number): M;
  or(a: M, b: M): M;
  and(a: M, b: M): M;
  sel(m: M, a: V | number, b: V | number): V;
  bits(a: V): I;
  fromBits(a: I): V;
  iadd(a: I, b: I | number): I;
  isub(a: I, b: I | number): I;
  imul(a: I, b: I | number): I;
  iand(a: I, b: I | number): I;
  ior(a: I, b: I | number): I;
  ixor(a: I, b: I | number): I;
  ishl(a: I, n: number): I;
  ishr(a: I, n: number): I;
  ishrU(a: I, n: number): I;
  icmp(op: Cmp, a: I, b: I | number): M;
  isel(m: M, a: I | number, b: I | number): I;
  truncSat(a: V): I;
  convert(a: I): V;
  /** An integral float32 with |a| < 2^31, or NaN (-> 0), as an int: truncSat on that domain, `a | 0` in JS. */
  toInt(a: V): I;
  /** 2^k for int k in [-126, 127] (the normal exponents): exponent bits in wasm, a table in JS. */
  pow2(k: I): V;
  /** |a| with the sign of b. The sign of a NaN b is not portable: use it only where a is NaN whenever b is. */
  copysign(a: V, b: V): V;
  /**
   * `sel(m, big()[i], other[i])` for each i, where `big` is a rarely needed path (sin's
   * large-argument reduction): the scalar forms run it only when m holds, tier 2 only when
   * m holds in some lane (`v128.any_true`), then selects per lane. Same bits either way,
   * since `big` is pure and its lanes are only used where m is set.
   */
  rare(m: M, big: () => readonly V[], other: readonly V[]): V[];
}

/** A float32 algorithm of one or two operands (`y` is unused by unary ones). */
export interface Algorithm {
  readonly name: string;
  readonly arity: 1 | 2;
  define<V, M, I>(A: Arith<V, M, I>, x: V, y: V): V;
}

// ---------------------------------------------------------------------------
// Direct evaluation over numbers (the CSP fallback, and a cross-check in tests)
// ---------------------------------------------------------------------------

const fr = Math.fround;
const scratch = new ArrayBuffer(4);
const sF = new Float32Array(scratch);
const sI = new Int32Array(scratch);

/** 2^k for k in [-126, 127] at index k + 126. */
const POW2_32 = new Float64Array(254);
for (let k = -126; k <= 127; k++) POW2_32[k + 126] = 2 ** k;

/** i32.reinterpret_f32 */
export function f32Bits(x: number): number {
  sF[0] = x;
  return sI[0]!;
}
/** f32.reinterpret_i32 */
export function f32FromBits(i: number): number {
  sI[0] = i;
  return sF[0]!;
}
/** i32.trunc_sat_f32_s: truncate toward 0, saturate, NaN -> 0. */
export function truncSat32(x: number): number {
  return x !== x ? 0 : x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : Math.trunc(x) | 0;
}

function cmpNum(op: Cmp, a: number, b: number): boolean {
  switch (op) {
    case "lt": return a < b;
    case "gt": return a > b;
    case "le": return a <= b;
    case "ge": return a >= b;
    case "eq": return a === b;
    case "ne": return a !== b;
  }
}

/** The interface over JS numbers: float32 values as doubles, masks as booleans, int32 as numbers. */
export const NUM32: Arith<number, boolean, number> = {
  add: (a, b) => fr(a + b),
  sub: (a, b) => fr(a - b),
  mul: (a, b) => fr(a * b),
  div: (a, b) => fr(a / b),
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
  abs: (a) => Math.abs(a),
  neg: (a) => -a,
  floor: (a) => Math.floor(a),
  sqrt: (a) => fr(Math.sqrt(a)),
  cmp: cmpNum,
  or: (a, b) => a || b,
  and: (a, b) => a && b,
  sel: (m, a, b) => (m ? a : b),
  bits: f32Bits,
  fromBits: f32FromBits,
  iadd: (a, b) => (a + b) | 0,
  isub: (a, b) => (a - b) | 0,
  imul: (a, b) => Math.imul(a, b),
  iand: (a, b) => a & b,
  ior: (a, b) => a | b,
  ixor: (a, b) => a ^ b,
  ishl: (a, n) => a << n,
  ishr: (a, n) => a >> n,
  ishrU: (a, n) => (a >>> n) | 0,
  icmp: cmpNum,
  isel: (m, a, b) => (m ? a : b),
  truncSat: truncSat32,
  convert: (a) => fr(a),
  toInt: (a) => a | 0,
  pow2: (k) => POW2_32[k + 126]!,
  copysign: (a, b) => (b < 0 || 1 / b < 0 ? -Math.abs(a) : Math.abs(a)),
  rare: (m, big, other) => (m ? [...big()] : [...other]),
};

// ---------------------------------------------------------------------------
// Rendering to JS source
// ---------------------------------------------------------------------------

/** A float32 constant as a JS literal (exactly that double; -0, NaN, ±Infinity by arithmetic). */
function flit(c: number): string {
  if (c === c && fr(c) !== c) throw new Error(`tierjit/ir/math: ${c} is not a float32 value; write Math.fround(${c}) in the algorithm`);
  if (Object.is(c, -0)) return "(-0)";
  if (c !== c) return "(0 / 0)";
  if (c === Infinity) return "(1 / 0)";
  if (c === -Infinity) return "(-1 / 0)";
  return c < 0 ? `(${String(c)})` : String(c);
}
/** A float64 constant as a JS literal. */
export function dlit(c: number): string {
  if (Object.is(c, -0)) return "(-0)";
  if (c !== c) return "(0 / 0)";
  if (c === Infinity) return "(1 / 0)";
  if (c === -Infinity) return "(-1 / 0)";
  if (Number(String(c)) !== c) throw new Error(`tierjit/ir/math: cannot write ${c} as a literal`);
  return c < 0 ? `(${String(c)})` : String(c);
}
export function ilit(c: number): string {
  if ((c | 0) !== c) throw new Error(`tierjit/ir/math: ${c} is not an int32 value`);
  return c < 0 ? `(${c})` : String(c);
}
const JS_CMP: Record<Cmp, string> = { lt: "<", gt: ">", le: "<=", ge: ">=", eq: "===", ne: "!==" };

/** Values are names of consts in the generated body. */
export class JsRender implements Arith<string, string, string> {
  readonly lines: string[] = [];
  private n = 0;
  /** 32: float32 (every float op wrapped in `F`, constants must be float32 values); 64: plain doubles. */
  constructor(readonly prec: 32 | 64 = 32) {}
  /** A rounded float op: `F(e)` in float32, the bare expression in float64. */
  protected R(e: string): string {
    return this.prec === 32 ? `F(${e})` : `(${e})`;
  }
  protected let(e: string): string {
    const v = `v${this.n++}`;
    this.lines.push(`const ${v} = ${e};`);
    return v;
  }
  protected f(a: string | number): string {
    return typeof a === "number" ? (this.prec === 32 ? flit(a) : dlit(a)) : a;
  }
  protected i(a: string | number): string {
    return typeof a === "number" ? ilit(a) : a;
  }
  add(a: string | number, b: string | number) { return this.let(this.R(`${this.f(a)} + ${this.f(b)}`)); }
  sub(a: string | number, b: string | number) { return this.let(this.R(`${this.f(a)} - ${this.f(b)}`)); }
  mul(a: string | number, b: string | number) { return this.let(this.R(`${this.f(a)} * ${this.f(b)}`)); }
  div(a: string | number, b: string | number) { return this.let(this.R(`${this.f(a)} / ${this.f(b)}`)); }
  min(a: string | number, b: string | number) { return this.let(`Math.min(${this.f(a)}, ${this.f(b)})`); }
  max(a: string | number, b: string | number) { return this.let(`Math.max(${this.f(a)}, ${this.f(b)})`); }
  abs(a: string) { return this.let(`Math.abs(${a})`); }
  neg(a: string) { return this.let(`-${a}`); }
  floor(a: string) { return this.let(`Math.floor(${a})`); }
  sqrt(a: string) { return this.let(this.R(`Math.sqrt(${a})`)); }
  cmp(op: Cmp, a: string | number, b: string | number) { return this.let(`${this.f(a)} ${JS_CMP[op]} ${this.f(b)}`); }
  or(a: string, b: string) { return this.let(`${a} || ${b}`); }
  and(a: string, b: string) { return this.let(`${a} && ${b}`); }
  sel(m: string, a: string | number, b: string | number) { return this.let(`${m} ? ${this.f(a)} : ${this.f(b)}`); }
  bits(a: string) { return this.let(`f32Bits(${a})`); }
  fromBits(a: string) { return this.let(`f32FromBits(${a})`); }
  iadd(a: string, b: string | number) { return this.let(`(${a} + ${this.i(b)}) | 0`); }
  isub(a: string, b: string | number) { return this.let(`(${a} - ${this.i(b)}) | 0`); }
  imul(a: string, b: string | number) { return this.let(`Math.imul(${a}, ${this.i(b)})`); }
  iand(a: string, b: string | number) { return this.let(`${a} & ${this.i(b)}`); }
  ior(a: string, b: string | number) { return this.let(`${a} | ${this.i(b)}`); }
  ixor(a: string, b: string | number) { return this.let(`${a} ^ ${this.i(b)}`); }
  ishl(a: string, n: number) { return this.let(`${a} << ${ilit(n)}`); }
  ishr(a: string, n: number) { return this.let(`${a} >> ${ilit(n)}`); }
  ishrU(a: string, n: number) { return this.let(`(${a} >>> ${ilit(n)}) | 0`); }
  icmp(op: Cmp, a: string, b: string | number) { return this.let(`${a} ${JS_CMP[op]} ${this.i(b)}`); }
  isel(m: string, a: string | number, b: string | number) { return this.let(`${m} ? ${this.i(a)} : ${this.i(b)}`); }
  truncSat(a: string) { return this.let(`truncSat32(${a})`); }
  convert(a: string) { return this.let(this.R(`${a}`)); }
  toInt(a: string) { return this.let(`${a} | 0`); }
  pow2(k: string) { return this.let(`P2[${k} + 126]`); }
  copysign(a: string, b: string) { return this.let(`${b} < 0 || 1 / ${b} < 0 ? -Math.abs(${a}) : Math.abs(${a})`); }
  rare(m: string, big: () => readonly string[], other: readonly string[]): string[] {
    const out = other.map((o) => {
      const v = `v${this.n++}`;
      this.lines.push(`let ${v} = ${o};`);
      return v;
    });
    this.lines.push(`if (${m}) {`);
    const at = this.lines.length;
    const r = big();
    r.forEach((v, i) => this.lines.push(`${out[i]!} = ${v};`));
    for (let i = at; i < this.lines.length; i++) this.lines[i] = `  ${this.lines[i]!}`;
    this.lines.push("}");
    return out;
  }
}

const HELPERS = ["F", "f32Bits", "f32FromBits", "truncSat32", "P2"] as const;
const HELPER_VALUES = [Math.fround, f32Bits, f32FromBits, truncSat32, POW2_32];

/** The body of the generated JS function (`x`, `y` are its parameters). */
export function jsSource(alg: Algorithm): string {
  const r = new JsRender();
  const out = alg.define(r, "x", "y");
  const params = alg.arity === 1 ? "x" : "x, y";
  return [`function ${alg.name}(${params}) {`, ...r.lines.map((l) => `  ${l}`), `  return ${out};`, "}"].join("\n");
}

/** The algorithm as a JS scalar function, compiled from its generated source (or evaluated directly without `new Function`). */
export function jsFunction(alg: Algorithm): (x: number, y: number) => number {
  const src = jsSource(alg);
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function(...HELPERS, `"use strict";\nreturn ${src};`)(...HELPER_VALUES) as (x: number, y: number) => number;
  } catch {
    return (x, y) => alg.define(NUM32, x, y);
  }
}
