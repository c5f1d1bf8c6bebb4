// The `random` op in wasm: ir/random.ts's counter-based generator, four draws per
// SIMD iteration. Math.imul is i32x4.mul (both wrap mod 2^32), `>>>` is shr_u, the
// counter arithmetic wraps like `| 0`. A uniform is (bits >>> 8) * 2^-24: an integer
// below 2^24 converts to f32 exactly and the power-of-two scale is exact, as in JS.
// Normals are ir/random.ts's Box-Muller pairs, four pairs (eight normals) per SIMD
// iteration: every `f(...)` there is one f32x4 instruction here, the quadrant
// rotation is a select and a sign-bit xor, and two shuffles interleave the cosine
// and sine halves into output order.

import type { Fn } from "./fn.js";
import { F } from "./lanes.js";
import { i32x4Bytes, x, type Expr } from "./recipe.js";
import type { Region } from "./values.js";
import { LG1, LG2, LG3, LG4, LN2_HI, LN2_LO, TURN_UNIT, cosPolyCoefficients, sinPolyCoefficients } from "../../ir/random.js";

const GOLDEN = 0x9e3779b9 | 0;
const M1 = 0x21f0aaad;
const M2 = 0x735a2d97;
/** 0x3f800000 - 0x3f3504f3: moves mantissas at or above sqrt(2) into the next binade. */
const LOG_SHIFT = 0x4afb0d;
const SQRT_HALF_BITS = 0x3f3504f3;

/** ir/random.ts `mix` on the integer lanes of `f`. */
function mix(f: F, a: Expr): Expr {
  let v = f.ixor(a, f.ishrU(a, 16));
  v = f.imul(v, M1);
  v = f.ixor(v, f.ishrU(v, 15));
  v = f.imul(v, M2);
  return f.ixor(v, f.ishrU(v, 15));
}

/** bits(key, c) >>> 8 from t = c + key * GOLDEN. */
function bits24(f: F, t: Expr, key: Expr): Expr {
  return f.ishrU(mix(f, f.ixor(mix(f, t), key)), 8);
}

function uniform(f: F, t: Expr, key: Expr): Expr {
  return f.mul(f.convert(bits24(f, t, key)), 2 ** -24);
}

/** ir/random.ts lnUnit on u1 = N * 2^-24, the exponent and mantissa read from u1's bits. */
function lnUnit(f: F, u1: Expr): Expr {
  const ix = f.iadd(f.bits(u1), LOG_SHIFT);
  const k = f.convert(f.isub(f.ishrU(ix, 23), 127));
  const fm = f.sub(f.fromBits(f.iadd(f.iand(ix, 0x7fffff), SQRT_HALF_BITS)), 1);
  const s = f.div(fm, f.add(2, fm));
  const z = f.mul(s, s);
  const w = f.mul(z, z);
  const R = f.add(f.mul(z, f.add(LG1, f.mul(w, LG3))), f.mul(w, f.add(LG2, f.mul(w, LG4))));
  const hfsq = f.mul(f.mul(0.5, fm), fm);
  return f.sub(f.mul(k, LN2_HI), f.sub(f.sub(hfsq, f.add(f.mul(s, f.add(hfsq, R)), f.mul(k, LN2_LO))), fm));
}

/** c0 + z*(c1 + z*(... + z*cn)), innermost first, as ir/random.ts writes it. */
function horner(f: F, z: Expr, cs: readonly number[]): Expr {
  let acc = f.mul(z, cs[cs.length - 1]!);
  for (let k = cs.length - 2; k > 0; k--) acc = f.mul(z, f.add(cs[k]!, acc));
  return f.add(cs[0]!, acc);
}

/** The Box-Muller pair at counters (t, t+1) - key*GOLDEN: [R cos, R sin]. */
function normalPair(f: F, t: Expr, key: Expr): [Expr, Expr] {
  const b1 = bits24(f, t, key);
  const b2 = bits24(f, f.iadd(t, 1), key);
  const u1 = f.mul(f.convert(f.isub(f.ic(2 ** 24), b1)), 2 ** -24);
  const R = f.un("sqrt", f.mul(-2, lnUnit(f, u1)));
  const q = f.ishrU(f.iadd(b2, 2 ** 21), 22);
  const r = f.mul(f.convert(f.isub(b2, f.ishl(q, 22))), TURN_UNIT);
  const z = f.mul(r, r);
  const sn = f.add(r, f.mul(f.mul(r, z), horner(f, z, sinPolyCoefficients)));
  const cs = f.add(1, f.mul(z, horner(f, z, cosPolyCoefficients)));
  // Rotate (cos r, sin r) by q quarter turns: swap on odd q, then negate cos for
  // q in {1, 2} and sin for q in {2, 3} by flipping sign bits.
  const odd = f.vec ? f.isub(f.ic(0), f.iand(q, 1)) : f.iand(q, 1);
  const cosMag = f.sel(odd, sn, cs);
  const sinMag = f.sel(odd, cs, sn);
  const cos = f.fromBits(f.ixor(f.bits(cosMag), f.ishl(f.iand(f.iadd(q, 1), 2), 30)));
  const sin = f.fromBits(f.ixor(f.bits(sinMag), f.ishl(f.iand(q, 2), 30)));
  return [f.mul(R, cos), f.mul(R, sin)];
}

/** out[j] = draw number j of `dist` from the generator state [key, counter] in `state`. */
export function emitRandom(fn: Fn, dist: "uniform" | "normal", state: Region, out: Region): void {
  const n = out.n;
  if (n === 0) return;
  const key = fn.let("i32", x("i32.load", state.off, 4, x("i32.const", 0)));
  const ctr = fn.let("i32", x("i32.load", state.off + 4, 4, x("i32.const", 0)));
  // t = counter + j + key*GOLDEN (all wrapping), the argument of the first mix for output j.
  const t0 = fn.let("i32", x("i32.add", ctr, x("i32.mul", key, x("i32.const", GOLDEN))));
  const n8 = n & ~7;
  const vf = new F(fn, "f32", true);
  const sf = new F(fn, "f32", false);
  const keyV = () => fn.let("v128", x("i32x4.splat", key));
  const tAt = (j: Expr) => fn.let("i32", x("i32.add", t0, j));
  const store = (j: Expr, byte: number, v: Expr, t: "v128" | "f32") =>
    fn.emit(x(`${t}.store`, out.off + byte, 4, x("i32.shl", j, x("i32.const", 2)), v));
  if (dist === "uniform") {
    const n4 = n & ~3;
    if (n4 > 0) {
      const kv = keyV();
      fn.loop(0, n4, 4, (j) => {
        const t = vf.iadd(fn.let("v128", x("i32x4.splat", tAt(j))), fn.let("v128", x("v128.const", i32x4Bytes([0, 1, 2, 3]))));
        store(j, 0, uniform(vf, t, kv), "v128");
      });
    }
    fn.loop(n4, n, 1, (j) => store(j, 0, uniform(sf, tAt(j), key), "f32"));
    return;
  }
  if (n8 > 0) {
    const kv = keyV();
    const eight = (j: Expr) => {
      const t = vf.iadd(fn.let("v128", x("i32x4.splat", tAt(j))), fn.let("v128", x("v128.const", i32x4Bytes([0, 2, 4, 6]))));
      const [c, s] = normalPair(vf, t, kv);
      store(j, 0, x("i8x16.shuffle", c, s, [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]), "v128");
      store(j, 16, x("i8x16.shuffle", c, s, [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31]), "v128");
    };
    const n16 = n & ~15;
    fn.loop(0, n16, 16, (j) => {
      eight(j);
      eight(fn.let("i32", x("i32.add", j, x("i32.const", 8))));
    });
    if (n16 < n8) eight(x("i32.const", n16));
  }
  const even = n & ~1;
  fn.loop(n8, even, 2, (j) => {
    const [c, s] = normalPair(sf, tAt(j), key);
    store(j, 0, c, "f32");
    store(j, 4, s, "f32");
  });
  if (even < n) store(x("i32.const", even), 0, normalPair(sf, tAt(x("i32.const", even)), key)[0], "f32");
}
