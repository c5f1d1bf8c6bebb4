// Tier-2 arg-reductions and scans: scalar loops that walk each output's elements in the
// order of the reference kernels (ir/kernels/scan.ts), one element at a time, with the
// comparison and combine ops of the op table lowered by ew.ts. Positions come from
// offset tables placed at instantiation, as for the general reduction (loops.ts).

import { ARG_REDUCE, SCAN, type ArgReduceOp, type ScanOp, type SortOp } from "../../ir/ops.js";
import { lowerOp } from "./ew.js";
import type { Fn } from "./fn.js";
import { ty, x, type Expr } from "./recipe.js";
import { Lanes, type Region } from "./values.js";

/** out[o] = position j of the first extreme of in[outer[o] + inner[j]] (inner.n > 0). */
export function emitArgReduce(fn: Fn, op: ArgReduceOp, input: Region, out: Region, outer: Region, inner: Region): void {
  const dt = input.dt;
  const S = new Lanes(fn, false);
  const better = ARG_REDUCE[op].better;
  fn.loop(0, out.n, 1, (o) => {
    const base = S.load(outer, o).p[0]!;
    const at = (j: Expr) => x("i32.add", base, S.load(inner, j).p[0]!);
    const best = S.mutable(dt, S.load(input, at(x("i32.const", 0))));
    const pos = S.mutable("int32", S.const("int32", 0));
    fn.loop(1, inner.n, 1, (j) => {
      const v = S.load(input, at(j));
      const b = best.get();
      // Take v when the best is not NaN and v is NaN or better (numpy: the first NaN wins).
      const take = x("i32.and", lowerOp(S, "equal", dt, "bool", [b, b]).p[0]!, x("i32.or", lowerOp(S, "notEqual", dt, "bool", [v, v]).p[0]!, lowerOp(S, better, dt, "bool", [v, b]).p[0]!));
      const t = fn.let("i32", take);
      best.set(S.let(dt, [x("select", t, v.p[0]!, b.p[0]!)]));
      pos.set(S.let("int32", [x("select", t, j, pos.get().p[0]!)]));
    });
    S.store(out, o, pos.get());
  });
}

/** Running combine along an axis of length m and stride `step`: the scan of each line starting at in[outer[o]]. */
export function emitScan(fn: Fn, op: ScanOp, input: Region, out: Region, outer: Region, m: number, step: number): void {
  const dt = input.dt;
  const S = new Lanes(fn, false);
  const def = SCAN[op];
  if (m === 0) return;
  fn.loop(0, outer.n, 1, (o) => {
    const base = S.load(outer, o).p[0]!;
    const acc = S.mutable(dt, S.const(dt, def.start(dt)));
    fn.loop(0, m, 1, (j) => {
      const at = fn.let("i32", x("i32.add", base, x("i32.mul", j, x("i32.const", step))));
      const v = lowerOp(S, def.combine, dt, dt, [acc.get(), S.load(input, at)]);
      acc.set(v);
      S.store(out, at, acc.get());
    });
  });
}

/** `for (k = from; k < to; k++) body(k)` with runtime bounds. */
function loopRange(fn: Fn, from: Expr, to: Expr, body: (k: Expr) => void): void {
  const k = fn.local("i32");
  const kv = fn.get(k, "i32");
  const exit = fn.label("S");
  const again = fn.label("L");
  fn.emit(x("local.set", k, from));
  const inner = fn.block(() => {
    fn.emit(x("br_if", exit, x("i32.ge_s", kv, to)));
    body(kv);
    fn.emit(x("local.set", k, x("i32.add", kv, x("i32.const", 1))));
    fn.emit(x("br", again));
  });
  fn.emit(x("block", exit, [x("loop", again, inner)], ty("none")));
}

/**
 * Sorts each line (length m, stride `step`, starting at in[outer[o]]) by a bottom-up
 * merge sort of positions in two int32 scratch regions of m elements, then writes the
 * values (sort) or the positions (argsort). Merging takes the left element unless the
 * right one sorts strictly before it, so the sort is stable and gives the one order
 * the reference kernel gives (ir/ops.ts SORT).
 */
export function emitSort(fn: Fn, op: SortOp, input: Region, out: Region, outer: Region, m: number, step: number, scratch: readonly [Region, Region]): void {
  const dt = input.dt;
  const S = new Lanes(fn, false);
  const c = (v: number) => x("i32.const", v);
  const add = (a: Expr, b: Expr) => x("i32.add", a, b);
  const min = (a: Expr, b: Expr) => {
    const av = fn.let("i32", a);
    return fn.let("i32", x("select", x("i32.lt_s", av, b), av, b));
  };
  if (m === 0) return;
  fn.loop(0, outer.n, 1, (o) => {
    const base = S.load(outer, o).p[0]!;
    const value = (pos: Expr) => S.load(input, fn.let("i32", add(base, x("i32.mul", pos, c(step)))));
    fn.loop(0, m, 1, (k) => S.store(scratch[0], k, { dt: "int32", p: [k] }));
    let src = 0;
    for (let w = 1; w < m; w *= 2) {
      const from = scratch[src]!;
      const to = scratch[1 - src]!;
      fn.loop(0, m, 2 * w, (lo) => {
        const mid = min(add(lo, c(w)), c(m));
        const hi = min(add(lo, c(2 * w)), c(m));
        const i = S.mutable("int32", { dt: "int32", p: [lo] });
        const j = S.mutable("int32", { dt: "int32", p: [mid] });
        loopRange(fn, lo, hi, (k) => {
          const iv = i.get().p[0]!;
          const jv = j.get().p[0]!;
          // Clamped reads: an exhausted run's index may point one past the line.
          const pi = S.load(from, min(iv, c(m - 1))).p[0]!;
          const pj = S.load(from, min(jv, c(m - 1))).p[0]!;
          const a = value(pi);
          const b = value(pj);
          // b sorts strictly before a: b < a, or a is NaN and b is not.
          const bFirst = x("i32.or", lowerOp(S, "less", dt, "bool", [b, a]).p[0]!, x("i32.and", lowerOp(S, "notEqual", dt, "bool", [a, a]).p[0]!, lowerOp(S, "equal", dt, "bool", [b, b]).p[0]!));
          const left = fn.let("i32", x("i32.and", x("i32.lt_s", iv, mid), x("i32.or", x("i32.ge_s", jv, hi), x("i32.eqz", bFirst))));
          S.store(to, k, { dt: "int32", p: [x("select", left, pi, pj)] });
          i.set({ dt: "int32", p: [add(iv, left)] });
          j.set({ dt: "int32", p: [add(jv, x("i32.xor", left, c(1)))] });
        });
      });
      src = 1 - src;
    }
    const sorted = scratch[src]!;
    fn.loop(0, m, 1, (k) => {
      const pos = S.load(sorted, k).p[0]!;
      const at = fn.let("i32", add(base, x("i32.mul", k, c(step))));
      S.store(out, at, op === "argsort" ? { dt: "int32", p: [pos] } : value(pos));
    });
  });
}
