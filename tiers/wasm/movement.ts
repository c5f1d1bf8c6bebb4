// Data movement in wasm: region copies (carries, scan rows, reshapes) and gathers
// through an offset table (transpose, broadcast). Elements move as integers of their
// width, so every bit pattern (NaN payloads included) arrives unchanged.
//
// Copies move whole v128 chunks: the last chunk may store up to 15 bytes past the
// end of the destination, which lands in the region's slack (Layout.alloc), or for a
// scan row in the next row, which is written after it; never in another value.

import { x, type Expr } from "./recipe.js";
import type { Fn } from "./fn.js";
import { ELEM_BYTES, type Region } from "./values.js";

/** Chunks unrolled with static offsets up to this many; a loop beyond. */
const UNROLL = 8;

/**
 * Copies `bytes` bytes from src.off + srcAt to dst.off + dstAt (byte offsets; null = 0).
 */
export function emitCopy(fn: Fn, src: Region, srcAt: Expr | null, dst: Region, dstAt: Expr | null, bytes: number): void {
  if (bytes <= 0 || (src === dst && srcAt === null && dstAt === null)) return;
  const chunks = Math.ceil(bytes / 16);
  const at = (base: Expr | null, b: Expr | null): Expr => (base === null ? (b ?? x("i32.const", 0)) : b === null ? base : x("i32.add", base, b));
  if (chunks <= UNROLL) {
    for (let c = 0; c < chunks; c++) {
      const v = fn.let("v128", x("v128.load", src.off + c * 16, 1, at(srcAt, null)));
      fn.emit(x("v128.store", dst.off + c * 16, 1, at(dstAt, null), v));
    }
    return;
  }
  fn.loop(0, chunks * 16, 16, (b) => {
    const v = fn.let("v128", x("v128.load", src.off, 1, at(srcAt, b)));
    fn.emit(x("v128.store", dst.off, 1, at(dstAt, b), v));
  });
}

const INT_LOAD = { 1: "i32.load8_u", 4: "i32.load", 8: "i64.load" } as const;
const INT_STORE = { 1: "i32.store8", 4: "i32.store", 8: "i64.store" } as const;

/**
 * out[i] = src[table[i]] (an int32 offset table in memory), or src[0] for every i
 * ("splat"), or src[i] (null: a plain copy).
 */
export function emitGather(fn: Fn, src: Region, out: Region, table: Region | "splat" | null): void {
  const sz = ELEM_BYTES[out.dt] as 1 | 4 | 8;
  if (table === null) return emitCopy(fn, src, null, out, null, out.n * sz);
  if (out.n === 0) return;
  const shift = x("i32.const", Math.log2(sz));
  const t = sz === 8 ? "i64" : "i32";
  if (table === "splat") {
    const v = fn.let(t, x(INT_LOAD[sz], src.off, sz, x("i32.const", 0)));
    fn.loop(0, out.n, 1, (i) => fn.emit(x(INT_STORE[sz], out.off, sz, x("i32.shl", i, shift), v)));
    return;
  }
  fn.loop(0, out.n, 1, (i) => {
    const off = fn.let("i32", x("i32.load", table.off, 4, x("i32.shl", i, x("i32.const", 2))));
    const v = fn.let(t, x(INT_LOAD[sz], src.off, sz, x("i32.shl", off, shift)));
    fn.emit(x(INT_STORE[sz], out.off, sz, x("i32.shl", i, shift), v));
  });
}

