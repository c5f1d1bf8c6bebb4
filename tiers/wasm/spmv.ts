// Tier-2 spmv (semantics: ir/sparse.ts), scalar loops over the compressed layout in
// the reference kernel's order, with the op table's add and mul lowered by ew.ts:
// - plain form (out[i] over row i's entries): one accumulator per row, from +0;
// - transposed form (events): out is zeroed (+0), then each row r whose x[r] is true
//   (bool) or nonzero (float, when every weight is finite: a zero term changes no sum,
//   see ir/sparse.ts) adds its entries' terms into out[col]. Bool x is scanned 16
//   bytes at a time (v128.any_true), so a step with few events costs about rows/16
//   tests plus the active rows' entries.

import type { DType, TypedArray } from "../../ir/dtype.js";
import type { SpmvParams } from "../../ir/sparse.js";
import { lowerOp } from "./ew.js";
import type { Fn } from "./fn.js";
import { ty, x, type Expr } from "./recipe.js";
import { ELEM_BYTES, Lanes, type Region, type V } from "./values.js";

const c = (v: number) => x("i32.const", v);

/** `for (k = lo; k < hi; k++) body(k)` with runtime bounds. */
function range(fn: Fn, lo: Expr, hi: Expr, body: (k: Expr) => void): void {
  const k = fn.local("i32");
  const kv = fn.get(k, "i32");
  const end = fn.let("i32", hi);
  fn.emit(x("local.set", k, lo));
  const exit = fn.label("S");
  const again = fn.label("L");
  const inner = fn.block(() => {
    fn.emit(x("br_if", exit, x("i32.ge_s", kv, end)));
    body(kv);
    fn.emit(x("local.set", k, x("i32.add", kv, c(1))));
    fn.emit(x("br", again));
  });
  fn.emit(x("block", exit, [x("loop", again, inner)], ty("none")));
}

function loadI32(fn: Fn, r: Region, i: Expr, plus = 0): Expr {
  return fn.let("i32", x("i32.load", r.off + plus * 4, 4, x("i32.shl", i, c(2))));
}

/** Whether every weight is finite (a constant weight array, known when compiling); undefined data is unknown. */
export function finiteWeights(data: TypedArray | undefined): boolean {
  if (!data) return false;
  for (let i = 0; i < data.length; i++) if (data[i]! - data[i]! !== 0) return false;
  return true;
}

/**
 * out = spmv(layout, data, x); `uniform`: data is one weight; `skipZero`: float x
 * entries equal to 0 may be skipped in the transposed form (every weight finite).
 */
export function emitSpmv(fn: Fn, p: SpmvParams, layout: Region, data: Region, uniform: boolean, xr: Region, out: Region, skipZero: boolean): void {
  const dt: DType = out.dt;
  const S = new Lanes(fn, false);
  const xBool = xr.dt === "bool";
  const base = p.rows + 1;
  const w0 = uniform ? S.load(data, c(0)) : undefined;
  const weight = (k: Expr): V => w0 ?? S.load(data, k);
  const add = (a: V, b: V) => lowerOp(S, "add", dt, dt, [a, b]);
  const mul = (a: V, b: V) => lowerOp(S, "mul", dt, dt, [a, b]);
  if (!p.transpose) {
    if (p.rows === 0) return;
    fn.loop(0, p.rows, 1, (i) => {
      const acc = S.mutable(dt, S.const(dt, 0));
      range(fn, loadI32(fn, layout, i), loadI32(fn, layout, i, 1), (k) => {
        const v = S.load(xr, loadI32(fn, layout, k, base));
        const w = weight(k);
        if (!xBool) return acc.set(add(acc.get(), mul(w, v)));
        const sum = add(acc.get(), w);
        acc.set(S.let(dt, [x("select", v.p[0]!, sum.p[0]!, acc.get().p[0]!)]));
      });
      S.store(out, i, acc.get());
    });
    return;
  }
  const bytes = out.n * ELEM_BYTES[dt];
  if (bytes > 0) fn.loop(0, bytes, 16, (b) => fn.emit(x("v128.store", out.off, 16, b, x("v128.const", new Array<number>(16).fill(0)))));
  if (p.rows === 0) return;
  const row = (r: Expr, v: V | null) => {
    range(fn, loadI32(fn, layout, r), loadI32(fn, layout, r, 1), (k) => {
      const col = loadI32(fn, layout, k, base);
      const w = weight(k);
      S.store(out, col, add(S.load(out, col), v === null ? w : mul(w, v)));
    });
  };
  if (xBool) {
    // 16 flags per test; the chunk past rows reads the region's slack, bounded by `rows` below.
    fn.loop(0, p.rows, 16, (r16) => {
      const chunk = x("v128.any_true", x("v128.load", xr.off, 16, r16));
      const hits = fn.block(() =>
        range(fn, r16, x("select", x("i32.gt_s", x("i32.add", r16, c(16)), c(p.rows)), c(p.rows), x("i32.add", r16, c(16))), (r) => {
          const on = x("i32.load8_u", xr.off, 1, r);
          fn.emit(x("if", on, fn.block(() => row(r, null)), fn.block(() => {})));
        }),
      );
      fn.emit(x("if", chunk, hits, fn.block(() => {})));
    });
    return;
  }
  fn.loop(0, p.rows, 1, (r) => {
    const v = S.load(xr, r);
    const body = fn.block(() => row(r, v));
    if (!skipZero) return fn.emit(body);
    const zero = S.const(dt, 0).p[0]!;
    fn.emit(x("if", x(dt === "float64" ? "f64.ne" : "f32.ne", v.p[0]!, zero), body, fn.block(() => {})));
  });
}
