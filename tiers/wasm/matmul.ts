// Tier 2's blocked matmul (float32 and int32, M >= 2, N >= 4): a register-blocked
// micro-kernel over a packed copy of b, with cache blocking over rows, in the canonical
// summation order of ir/kernels/reduce.ts run natively.
//
// The order puts term k of an output into partial k % 4, so the four partials of one
// output are the four lanes of one accumulator when its terms arrive four k at a time:
// a[i, k..k+3] is a contiguous load from a's row, and b[k..k+3, j] a contiguous load
// from the packed copy, which stores b in panels of four columns, each panel as
// chunks of four k (one vector per column: the 4x4 block of b transposed). An
// accumulator then takes one mul and one add per four terms, and the four partials
// combine at the end as (p0 + p1) + (p2 + p3) for four outputs at once (two rounds of
// even/odd lane shuffles and adds: exactly the canonical combine, lane by lane).
// - Micro-kernel: MR = 2 rows x 4 columns of outputs, 4 * MR accumulators in registers;
//   each k-chunk loads MR vectors of a and 4 of the panel, 4 * MR mul/add pairs.
// - A tail chunk (K % 4 terms) loads whole vectors and replaces the products of the
//   lanes past K by the identity (-0 for floats, 0 for int32): partials unchanged.
// - Edge tiles: rows past the last full MR run a micro-kernel of fewer rows; columns
//   past the last full panel read the panel's padding and store only real outputs.
// - Cache blocking: rows go in blocks of MC (MC * K elements of a, about 512 KiB, stay
//   in L2); for each block every panel (4 * K elements, in L1) meets every row tile.
//   K is not blocked: a partial's state is a whole vector, so blocking K would spill
//   4x the result to memory, and a panel of K = 4096 is still 64 KiB.

import type { DType } from "../../ir/dtype.js";
import type { Fn } from "./fn.js";
import type { Bases } from "./loops.js";
import { x, type Expr } from "./recipe.js";
import type { Region } from "./values.js";

/**
 * Rows of the micro-kernel tile: 4 * MR accumulators plus MR + 2 vectors must fit x64's 16
 * SIMD registers. Measured side by side (square float32, 256 and 512): MR = 2 ran at 33
 * GFLOP/s, 3 at 28-29 (12 accumulators: V8 spills), 4 at 26.
 */
export const MR = 2;
/** Bytes of a kept in L2 per row block (L2 here: 2 MiB per core; 64 KiB to 1 MiB measured within noise at 1024). */
const BLOCK_BYTES = 512 * 1024;

export function blockedMatmulFits(dt: DType, M: number, K: number, N: number): boolean {
  return (dt === "float32" || dt === "int32") && M >= 2 && N >= 4 && K >= 4;
}

/** Elements of the packed copy of b ([K,N]): ceil(N/4) panels of ceil(K/4) chunks of 16. */
export function packedSize(K: number, N: number): number {
  return Math.ceil(N / 4) * Math.ceil(K / 4) * 16;
}

const c = (v: number) => x("i32.const", v);
const add = (p: Expr, q: Expr) => x("i32.add", p, q);
const mul = (p: Expr, q: Expr) => x("i32.mul", p, q);
/** Byte mask of an i8x16.shuffle taking 32-bit lanes `l` (0-3 first operand, 4-7 second). */
const lanes = (l: readonly number[]) => l.flatMap((k) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]);

export function emitBlockedMatmul(fn: Fn, a: Region, b: Region, out: Region, pack: Region, M: number, K: number, N: number, base?: Bases): void {
  const float = a.dt === "float32";
  const P = float ? "f32x4" : "i32x4";
  const KC = Math.ceil(K / 4);
  const K4 = K >> 2;
  const kt = K & 3;
  const bytes = (e: Expr) => x("i32.shl", e, c(2));
  const baseA = base ? fn.let("i32", bytes(base.a)) : c(0);
  const baseB = base ? fn.let("i32", bytes(base.b)) : c(0);
  const baseO = base ? fn.let("i32", bytes(base.o)) : c(0);
  const shuffle = (u: Expr, v: Expr, l: readonly number[]) => x("i8x16.shuffle", u, v, lanes(l));
  const vload = (r: Region, ptr: Expr, extra = 0) => x("v128.load", r.off + extra, 4, ptr);

  // ---- pack b: chunk kc of panel jp holds, for each column j = 4jp + q, b[4kc .. 4kc+3, j] ----
  const packChunk = (kc: Expr, rows: number) => {
    const rowBytes = fn.let("i32", add(baseB, bytes(mul(kc, c(4 * N)))));
    fn.loop(0, Math.ceil(N / 4), 1, (jp) => {
      const src = fn.let("i32", add(rowBytes, x("i32.shl", jp, c(4))));
      // Rows past K (a tail chunk) are NaN: their products are replaced, and a kernel that
      // failed to replace one would show it in every output (the property suite's canary).
      const r = [0, 1, 2, 3].map((l) => (l < rows ? fn.let("v128", vload(b, src, l * 4 * N)) : x("v128.const", lanes([0, 0, 0, 0]).map((_, i) => [0, 0, 0xc0, 0x7f][i % 4]!))));
      const t0 = fn.let("v128", shuffle(r[0]!, r[1]!, [0, 4, 1, 5]));
      const t1 = fn.let("v128", shuffle(r[0]!, r[1]!, [2, 6, 3, 7]));
      const t2 = fn.let("v128", shuffle(r[2]!, r[3]!, [0, 4, 1, 5]));
      const t3 = fn.let("v128", shuffle(r[2]!, r[3]!, [2, 6, 3, 7]));
      const dst = fn.let("i32", x("i32.shl", add(mul(jp, c(KC)), kc), c(6)));
      fn.emit(x("v128.store", pack.off, 4, dst, shuffle(t0, t2, [0, 1, 4, 5])));
      fn.emit(x("v128.store", pack.off + 16, 4, dst, shuffle(t0, t2, [2, 3, 6, 7])));
      fn.emit(x("v128.store", pack.off + 32, 4, dst, shuffle(t1, t3, [0, 1, 4, 5])));
      fn.emit(x("v128.store", pack.off + 48, 4, dst, shuffle(t1, t3, [2, 3, 6, 7])));
    });
  };
  fn.loop(0, K4, 1, (kc) => packChunk(kc, 4));
  if (kt) packChunk(c(K4), kt);

  // ---- micro-kernel: rows i .. i+R-1, columns j0 .. j0+cols-1 (cols <= 4), all of K ----
  const zero = x("v128.const", float ? lanes([0, 0, 0, 0]).map((_, i) => (i % 4 === 3 ? 0x80 : 0)) : new Array<number>(16).fill(0));
  const micro = (i: Expr, j0: Expr, R: number, cols: number) => {
    const rowA = Array.from({ length: R }, (_, r) => fn.let("i32", add(baseA, bytes(mul(r ? add(i, c(r)) : i, c(K))))));
    const panel = fn.let("i32", mul(j0, c(KC * 16)));
    const acc = Array.from({ length: R }, () => Array.from({ length: 4 }, () => fn.local("v128")));
    for (const row of acc) for (const v of row) fn.emit(x("local.set", v, zero));
    const get = (v: number) => fn.get(v, "v128");
    const step = (ka: Expr, kp: Expr, mask?: number[]) => {
      const av = rowA.map((ra) => fn.let("v128", vload(a, add(ra, ka))));
      for (let q = 0; q < 4; q++) {
        const bv = fn.let("v128", vload(pack, add(panel, kp), 16 * q));
        av.forEach((v, r) => {
          let prod = x(`${P}.mul`, v, bv);
          if (mask) prod = x("v128.bitselect", prod, zero, x("v128.const", mask));
          fn.emit(x("local.set", acc[r]![q]!, x(`${P}.add`, get(acc[r]![q]!), prod)));
        });
      }
    };
    if (K4 > 0) {
      // Two induction variables: a's byte offset (16 per chunk) and the panel's (64 per chunk).
      const ka = fn.local("i32");
      const kp = fn.local("i32");
      const name = fn.label("K");
      fn.emit(x("local.set", ka, c(0)));
      fn.emit(x("local.set", kp, c(0)));
      const body = fn.block(() => {
        step(fn.get(ka, "i32"), fn.get(kp, "i32"));
        fn.emit(x("local.set", ka, add(fn.get(ka, "i32"), c(16))));
        fn.emit(x("local.set", kp, add(fn.get(kp, "i32"), c(64))));
        fn.emit(x("br_if", name, x("i32.lt_s", fn.get(ka, "i32"), c(16 * K4))));
      });
      fn.emit(x("loop", name, body));
    }
    if (kt) step(c(16 * K4), c(64 * K4), [0, 1, 2, 3].flatMap((l) => new Array<number>(4).fill(l < kt ? 255 : 0)));
    const sum = (u: Expr, v: Expr) => fn.let("v128", x(`${P}.add`, u, v));
    const even = [0, 2, 4, 6];
    const odd = [1, 3, 5, 7];
    acc.forEach((row, r) => {
      const [a0, a1, a2, a3] = row.map(get) as [Expr, Expr, Expr, Expr];
      const s01 = sum(shuffle(a0, a1, even), shuffle(a0, a1, odd));
      const s23 = sum(shuffle(a2, a3, even), shuffle(a2, a3, odd));
      const res = sum(shuffle(s01, s23, even), shuffle(s01, s23, odd));
      const dst = fn.let("i32", add(baseO, bytes(add(mul(r ? add(i, c(r)) : i, c(N)), j0))));
      if (cols === 4) fn.emit(x("v128.store", out.off, 4, dst, res));
      else for (let q = 0; q < cols; q++) fn.emit(x(float ? "f32.store" : "i32.store", out.off + 4 * q, 4, dst, x(`${P}.extract_lane`, res, q)));
    });
  };

  // ---- blocks of MC rows; in each, every panel meets every row tile ----
  const MC = Math.max(MR, Math.floor(BLOCK_BYTES / (4 * K) / MR) * MR);
  const NF = N & ~3;
  const block = (ib: Expr, rows: number) => {
    const tiles = (j0: Expr, cols: number) => {
      const full = rows - (rows % MR);
      fn.loop(0, full, MR, (ii) => micro(fn.let("i32", add(ib, ii)), j0, MR, cols));
      if (rows % MR) micro(fn.let("i32", add(ib, c(full))), j0, rows % MR, cols);
    };
    fn.loop(0, NF, 4, (j0) => tiles(j0, 4));
    if (N & 3) tiles(c(NF), N & 3);
  };
  const MF = M - (M % MC);
  fn.loop(0, MF, MC, (ib) => block(ib, MC));
  if (M % MC) block(c(MF), M % MC);
}
