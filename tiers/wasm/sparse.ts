// Event-driven matvec: W·b for a constant matrix W whose vector b is mostly +0 (spikes
// cast to float, one-hot codes, ReLU outputs). A recurrent spiking network's step is
// W·spikes with a handful of spikes among thousands of neurons: the dense product
// reads all of W (4 MB for 1000x1000 float32, ~0.1 ms per step, bound by memory and
// the mul/add ports) to add mostly zeros.
//
// Per call, the chunks b[k..k+3] (k % 4 == 0) that are not all +0 (any bit set: -0
// and NaN count as set) are listed, branch-free; if more than half are, the dense
// matvec runs. Otherwise each row sums only the listed chunks, in increasing k, into
// the same lanes as the dense loop (partial k % 4), then the tail chunk as the dense
// loop does. Why the skipped terms W[i,k]*(+0) change nothing:
// - W is finite (checked when compiling; W is a program constant), so each skipped
//   term is a zero, never NaN;
// - adding zeros never changes a nonzero partial, and two running sums that differ
//   only in skipped zero terms agree up to the sign of a zero at every step (a
//   nonzero term then gives the same result on both sides); so a final partial that
//   is nonzero, NaN or +0 is exact;
// - a float partial that ended at -0 may differ (it is -0 only if every term is -0,
//   and a skipped term may be +0): that row is recomputed by the dense code.
// Int32 has no signed zero and no non-finite values: skipping is always exact.
// A vector that is entirely +0 (a step without spikes) would send every float row to
// the dense fallback; its product is known when compiling instead (`zeroProduct`):
// row i is -0 when every W[i,k] has its sign bit set (all terms -0), otherwise +0.

import type { DType, TypedArray } from "../../ir/dtype.js";
import { lowerOp } from "./ew.js";
import type { Fn } from "./fn.js";
import { combineLanes, emitMatvec, matvecRows, mulAdd } from "./loops.js";
import { emitCopy } from "./movement.js";
import { splatBytes, ty, x, type Expr } from "./recipe.js";
import { Lanes, type Region } from "./values.js";

/** Smallest M*K worth listing chunks for: below it the dense product is a few µs. */
const MIN_ELEMENTS = 1 << 16;

const finiteCache = new WeakMap<TypedArray, boolean>();

function allFinite(data: TypedArray): boolean {
  let r = finiteCache.get(data);
  if (r === undefined) {
    r = true;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v - v !== 0) {
        r = false;
        break;
      }
    }
    finiteCache.set(data, r);
  }
  return r;
}

/** Whether [M,K]·[K] with constant matrix data `w` gets the event-driven form. */
export function sparseMatvecFits(dt: DType, w: TypedArray | undefined, M: number, K: number): boolean {
  if (!w || M * K < MIN_ELEMENTS || K < 8) return false;
  return dt === "int32" || (dt === "float32" && allFinite(w));
}

/** W·(+0, ..., +0) in the canonical order: per row -0 if every element's sign bit is set, else +0 (int32: 0). */
export function zeroProduct(dt: DType, w: TypedArray, M: number, K: number): TypedArray {
  const out = dt === "int32" ? new Int32Array(M) : new Float32Array(M);
  if (dt === "int32") return out;
  const bits = new Int32Array(w.buffer, w.byteOffset, w.length);
  for (let i = 0; i < M; i++) {
    let neg = true;
    for (let k = 0; k < K && neg; k++) neg = bits[i * K + k]! < 0;
    out[i] = neg ? -0 : 0;
  }
  return out;
}

/** `for (j = 0; j < n; j++) body(j)` with a runtime bound. */
function loopTo(fn: Fn, n: Expr, body: (j: Expr) => void): void {
  const j = fn.local("i32");
  const jv = fn.get(j, "i32");
  const exit = fn.label("S");
  const again = fn.label("L");
  fn.emit(x("local.set", j, x("i32.const", 0)));
  const inner = fn.block(() => {
    fn.emit(x("br_if", exit, x("i32.ge_s", jv, n)));
    body(jv);
    fn.emit(x("local.set", j, x("i32.add", jv, x("i32.const", 1))));
    fn.emit(x("br", again));
  });
  fn.emit(x("block", exit, [x("loop", again, inner)], ty("none")));
}

/**
 * out = a·b ([M,K]·[K], float32 or int32) in the event-driven form; `list` holds K/4
 * int32 chunk indices, `atZero` the product with an all-+0 vector (zeroProduct).
 */
export function emitSparseMatvec(fn: Fn, a: Region, b: Region, out: Region, M: number, K: number, list: Region, atZero: Region): void {
  const dt = out.dt;
  const V4 = new Lanes(fn, true);
  const S = new Lanes(fn, false);
  const K4 = K & ~3;
  const zero = dt === "int32" ? 0 : -0;
  const c = (v: number) => x("i32.const", v);
  const cnt = fn.local("i32");
  const count = fn.get(cnt, "i32");
  fn.emit(x("local.set", cnt, c(0)));
  fn.loop(0, K4, 4, (k) => {
    const chunk = x("v128.load", b.off, 4, x("i32.shl", k, c(2)));
    fn.emit(x("i32.store", list.off, 4, x("i32.shl", count, c(2)), k));
    fn.emit(x("local.set", cnt, x("i32.add", count, x("v128.any_true", chunk))));
  });
  const dense = fn.block(() => emitMatvec(fn, a, b, out, M, K));
  const sparse = fn.block(() =>
    fn.loop(0, M, 1, (i) => {
      const rowA = fn.let("i32", x("i32.mul", i, c(K)));
      const acc = V4.mutable(dt, V4.const(dt, zero));
      loopTo(fn, count, (j) => {
        const k = fn.let("i32", x("i32.load", list.off, 4, x("i32.shl", j, c(2))));
        acc.set(mulAdd(V4, acc.get(), V4.load(a, x("i32.add", rowA, k)), V4.load(b, k)));
      });
      if (K4 < K) {
        // The tail chunk always, as in the dense loop: lanes past K add the identity.
        const prod = lowerOp(V4, "mul", dt, dt, [V4.load(a, x("i32.add", rowA, c(K4))), V4.load(b, c(K4))]);
        acc.set(lowerOp(V4, "add", dt, dt, [acc.get(), V4.keepLanes(prod, K - K4, zero)]));
      }
      const store = () => S.store(out, i, combineLanes(V4, S, "sum", acc.get()));
      if (dt === "int32") return store();
      const negZero = x("v128.any_true", x("i32x4.eq", acc.get().p[0]!, x("v128.const", splatBytes("i32", -0x80000000))));
      fn.emit(x("if", negZero, fn.block(() => matvecRows(fn, a, b, out, K, i, 1)), fn.block(store)));
    }),
  );
  const work = fn.block(() => fn.emit(x("if", x("i32.gt_s", x("i32.mul", count, c(2)), c(K4 / 4)), dense, sparse)));
  // All of b +0: the tail chunk's lanes past K are slack, masked off.
  let allZero: Expr = x("i32.eqz", count);
  if (K4 < K) {
    const tail = V4.keepLanes({ dt: "int32", p: [x("v128.load", b.off + K4 * 4, 4, c(0))] }, K - K4, 0);
    allZero = x("i32.and", allZero, x("i32.eqz", x("v128.any_true", tail.p[0]!)));
  }
  fn.emit(x("if", allZero, fn.block(() => emitCopy(fn, atZero, null, out, null, M * 4)), work));
}
