// Tier-2 indexing (semantics: ir/indexing.ts), native loops over memory: gathers and
// dynamic windows move rows of elements as integers of their width (every bit
// pattern arrives unchanged; whole v128 chunks when a row is at least 16 bytes, the
// chunk past a row's end landing in the next row, written after it, or in the
// region's slack); scatters combine one element at a time with the op table's
// elementwise op lowered by ew.ts, in the reference kernel's order.

import { around, SCATTER_COMBINE, type ScatterMode } from "../../ir/indexing.js";
import { stridesOf, type Shape } from "../../ir/shape.js";
import { lowerOp } from "./ew.js";
import type { Fn } from "./fn.js";
import { emitCopy } from "./movement.js";
import { x, type Expr } from "./recipe.js";
import { ELEM_BYTES, Lanes, type Region } from "./values.js";

const INT_LOAD = { 1: "i32.load8_u", 4: "i32.load", 8: "i64.load" } as const;
const INT_STORE = { 1: "i32.store8", 4: "i32.store", 8: "i64.store" } as const;
const c = (v: number) => x("i32.const", v);
const add = (a: Expr, b: Expr) => x("i32.add", a, b);
const mul = (a: Expr, b: number) => (b === 1 ? a : x("i32.mul", a, c(b)));

/**
 * Copies `len` elements from src[s] to dst[d] (element indices). `exact`: store nothing
 * past the row (a scatter's target rows are not all rewritten later).
 */
function moveRow(fn: Fn, src: Region, s: Expr, dst: Region, d: Expr, len: number, exact = false): void {
  const sz = ELEM_BYTES[dst.dt] as 1 | 4 | 8;
  if (exact && len * sz >= 16 && (len * sz) % 16 !== 0) {
    const whole = Math.floor((len * sz) / 16) * (16 / sz);
    moveRow(fn, src, s, dst, d, whole);
    return moveRow(fn, src, fn.let("i32", add(s, c(whole))), dst, fn.let("i32", add(d, c(whole))), len - whole);
  }
  if (len * sz >= 16) return emitCopy(fn, src, fn.let("i32", mul(s, sz)), dst, fn.let("i32", mul(d, sz)), len * sz);
  const t = sz === 8 ? "i64" : "i32";
  const sb = fn.let("i32", mul(s, sz));
  const db = fn.let("i32", mul(d, sz));
  for (let q = 0; q < len; q++) {
    const v = fn.let(t, x(INT_LOAD[sz], src.off + q * sz, sz, sb));
    fn.emit(x(INT_STORE[sz], dst.off + q * sz, sz, db, v));
  }
}

/** `j` (an i32 expression) plus n when negative, then clamped into [lo, hi]. */
function wrapClamp(fn: Fn, j: Expr, n: number, lo: number, hi: number): Expr {
  const v = fn.let("i32", j);
  const w = fn.let("i32", x("select", x("i32.lt_s", v, c(0)), add(v, c(n)), v));
  const a = fn.let("i32", x("select", x("i32.lt_s", w, c(lo)), c(lo), w));
  return fn.let("i32", x("select", x("i32.gt_s", a, c(hi)), c(hi), a));
}

function loadI32(fn: Fn, r: Region, i: Expr | number): Expr {
  return fn.let("i32", x("i32.load", r.off, 4, typeof i === "number" ? c(i * 4) : x("i32.shl", i, c(2))));
}

export function emitGatherAxis(fn: Fn, src: Region, shape: Shape, axis: number, idx: Region, out: Region): void {
  const { P, n, Q } = around(shape, axis);
  const M = idx.n;
  if (P * M * Q === 0) return;
  fn.loop(0, P, 1, (p) => {
    fn.loop(0, M, 1, (i) => {
      const j = wrapClamp(fn, loadI32(fn, idx, i), n, 0, n - 1);
      moveRow(fn, src, mul(add(mul(p, n), j), Q), out, mul(add(mul(p, M), i), Q), Q);
    });
  });
}

export function emitScatterAxis(fn: Fn, src: Region, shape: Shape, axis: number, mode: ScatterMode, idx: Region, upd: Region, out: Region): void {
  const sz = ELEM_BYTES[out.dt];
  if (src !== out) emitCopy(fn, src, null, out, null, out.n * sz);
  const { P, n, Q } = around(shape, axis);
  const M = idx.n;
  if (P * M * Q === 0) return;
  const op = SCATTER_COMBINE[mode];
  const S = new Lanes(fn, false);
  fn.loop(0, P, 1, (p) => {
    fn.loop(0, M, 1, (i) => {
      const j = loadI32(fn, idx, i);
      const body = fn.block(() => {
        const d = fn.let("i32", mul(add(mul(p, n), j), Q));
        const s = fn.let("i32", mul(add(mul(p, M), i), Q));
        if (op === null) return moveRow(fn, upd, s, out, d, Q, true);
        fn.loop(0, Q, 1, (q) => {
          const at = fn.let("i32", add(d, q));
          const v = lowerOp(S, op, out.dt, out.dt, [S.load(out, at), S.load(upd, add(s, q))]);
          S.store(out, at, v);
        });
      });
      // Unsigned compare: j < 0 or j >= n is dropped.
      fn.emit(x("if", x("i32.lt_u", j, c(n)), body, fn.block(() => {})));
    });
  });
}

/** The window's base element offset from the int32 start scalars (wrapped once, clamped so the window fits). */
function windowBase(fn: Fn, shape: Shape, sizes: readonly number[], starts: Region): Expr {
  const st = stridesOf(shape);
  let base: Expr = c(0);
  shape.forEach((nd, d) => {
    if (sizes[d] === nd) return; // the whole axis: the start clamps to 0
    base = add(base, mul(wrapClamp(fn, loadI32(fn, starts, d), nd, 0, nd - sizes[d]!), st[d]!));
  });
  return fn.let("i32", base);
}

/**
 * Walks the window of `sizes` in `shape` as rows: the leading axes by nested loops, and
 * the trailing run that is contiguous in `shape` (the last window axis, times every
 * trailing axis the window covers whole) as one row; `row(srcOff, winOff, len)` moves it.
 */
function walkWindow(fn: Fn, shape: Shape, sizes: readonly number[], base: Expr, row: (s: Expr, w: Expr, len: number) => void): void {
  const r = shape.length;
  const st = stridesOf(shape);
  let k = r - 1;
  while (k > 0 && sizes[k] === shape[k]) k--;
  const len = r === 0 ? 1 : sizes.slice(k).reduce((a, b) => a * b, 1);
  const wst = stridesOf(sizes);
  const nest = (d: number, s: Expr, w: Expr): void => {
    if (d >= k) return row(s, w, len);
    fn.loop(0, sizes[d]!, 1, (i) => nest(d + 1, fn.let("i32", add(s, mul(i, st[d]!))), fn.let("i32", add(w, mul(i, wst[d]!)))));
  };
  nest(0, base, c(0));
}

export function emitDynamicSlice(fn: Fn, src: Region, shape: Shape, sizes: readonly number[], starts: Region, out: Region): void {
  if (out.n === 0) return;
  const base = windowBase(fn, shape, sizes, starts);
  walkWindow(fn, shape, sizes, base, (s, w, len) => moveRow(fn, src, s, out, w, len));
}

export function emitDynamicUpdateSlice(fn: Fn, src: Region, shape: Shape, upd: Region, updShape: Shape, starts: Region, out: Region): void {
  if (src !== out) emitCopy(fn, src, null, out, null, out.n * ELEM_BYTES[out.dt]);
  if (upd.n === 0) return;
  const base = windowBase(fn, shape, updShape, starts);
  // Exact rows: a v128 chunk past a row's end would overwrite x's next elements.
  walkWindow(fn, shape, updShape, base, (s, w, len) => moveRow(fn, upd, w, out, s, len, true));
}
