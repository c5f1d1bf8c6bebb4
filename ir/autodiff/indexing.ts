// Derivatives of the indexing and assembly ops (semantics: ir/indexing.ts and
// ir/kernels/assembly.ts). All but scatter's min/max/mul modes are linear in their
// float operands, so forward mode is the op again on the tangents (integer index
// operands kept), and reverse mode is the op's transpose:
// - gather: a scatter-add of the cotangent at the clamped indices;
// - slice: with unit steps (either sign) a dynamicUpdateSlice of the cotangent into
//   zeros at static starts; other steps, and remap, a scatter of the cotangent into
//   zeros at the static offset table (add when the table repeats an element: repeat,
//   tile, edge/reflect pad);
// - concat: slices of the cotangent;
// - dynamicSlice <-> dynamicUpdateSlice (both clamp the window the same way);
// - scatter set: the cotangent at each written element goes to the update that wins
//   there (the last in index order, as JAX), none to the overwritten operand element;
//   updates at dropped (out-of-range) indices get zero;
// - scatter add: the operand gets the cotangent, each update the cotangent's gather;
// - scatter min/max: as JAX, split evenly among the operand element and the updates
//   that equal the result (the same rule as maximum/minimum and reduce max/min);
// - scatter mul: not supported (JAX only differentiates it for unique indices).

import { ArgumentError } from "../errors.js";
import type { InstrOf } from "../program.js";
import { remapTable } from "../kernels/assembly.js";
import { sliceView } from "../indexing.js";
import type { AdOps, Primal, SingleRule, Tensor } from "./rules.js";

type IndexingOp = "slice" | "gather" | "scatter" | "dynamicSlice" | "dynamicUpdateSlice" | "remap" | "concat";

const isFloatT = (t: Tensor) => t.dtype === "float32" || t.dtype === "float64";
const zerosOf = <T extends Tensor>(o: AdOps<T>, t: Tensor): T => o.zeros(t.shape, t.dtype);
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function mulError(): ArgumentError {
  return new ArgumentError('differentiating scatter in "mul" mode (x.at(...).mul) is not supported: its derivative is only defined here for unique indices; use set, add, min or max');
}

/** Linear ops' tangent: the op itself on the tangents (zeros for inactive float operands), index operands kept. */
function linearJvp<T extends Tensor, K extends IndexingOp>(o: AdOps<T>, p: Primal<T, K>, dx: readonly (T | null)[]): T {
  return o.reemit(p.ins, p.x.map((x, i) => (isFloatT(x) ? (dx[i] ?? zerosOf(o, x)) : x)), p.y);
}

/**
 * The transpose of a static read through `table` (flat input offset of each output
 * element): the cotangent scattered into flat zeros of the input's size; set when no
 * offset repeats (keeps -0 and costs no adds), add when one does.
 */
function tableTranspose<T extends Tensor>(o: AdOps<T>, x: Tensor, table: Int32Array, ct: T): T {
  const M = table.length;
  if (M === 0 || sizeOf(x.shape) === 0) return zerosOf(o, x);
  const N = sizeOf(x.shape);
  const seen = new Uint8Array(N);
  let repeats = false;
  for (let i = 0; i < M && !repeats; i++) repeats = seen[table[i]!]! === 1 || ((seen[table[i]!] = 1), false);
  const flat = o.op("scatter", [o.zeros([N], x.dtype), o.constInt(table, [M]), o.reshape(ct, [M])], [N], x.dtype, { axis: 0, mode: repeats ? "add" : "set" });
  return o.reshape(flat, x.shape);
}

/**
 * A slice with unit steps (either sign) is a window: its transpose writes the
 * cotangent (flipped along the reversed axes) into zeros with dynamicUpdateSlice at
 * static starts, with no offset table; other steps go through the table.
 */
function sliceTranspose<T extends Tensor>(o: AdOps<T>, p: Primal<T, "slice">, ct: T): T {
  const x = p.x[0]!;
  const { starts, steps } = p.ins;
  const len = p.y.shape;
  if (x.shape.length === 0 || sizeOf(len) === 0 || !steps.every((s) => s === 1 || s === -1)) {
    return tableTranspose(o, x, sliceTable(x.shape, len, p.ins), ct);
  }
  const reversed = steps.flatMap((s, d) => (s === -1 ? [d] : []));
  const window = reversed.length === 0 ? ct : o.flip(ct, reversed);
  const lo = Int32Array.from(starts, (s, d) => (steps[d] === 1 ? s : s - (len[d]! - 1)));
  return o.op("dynamicUpdateSlice", [zerosOf(o, x), window, o.constInt(lo, [lo.length])], x.shape, x.dtype);
}

/** The flat input offset of every element of a static slice. */
function sliceTable(shape: readonly number[], outShape: readonly number[], params: InstrOf<"slice">): Int32Array {
  const { start, strides } = sliceView(shape, params);
  const t = remapTable(outShape.map((n, d) => Array.from({ length: n }, (_, j) => j * strides[d]!)));
  for (let i = 0; i < t.length; i++) t[i]! += start;
  return t;
}

/** An index array's shape placed at `axis` of a rank-`rank` array whose other axes are 1 (it broadcasts against updates). */
function atAxis<T extends Tensor>(o: AdOps<T>, v: T, axis: number, rank: number): T {
  return o.reshape(v, [...Array<number>(axis).fill(1), ...v.shape, ...Array<number>(rank - axis - v.shape.length).fill(1)]);
}

/** gather's index: numpy's negative wrap, then the clamp into [0, n - 1] (ir/indexing.ts gatherIndex). */
function clampIndex<T extends Tensor>(o: AdOps<T>, idx: T, n: number): T {
  const w = o.where(o.bin("less", idx, 0), o.bin("add", idx, n), idx);
  return o.bin("minimum", o.bin("maximum", w, 0), n - 1);
}

type Scatter<T> = Primal<T, "scatter">;

/** The scatter's rows read back: t (of the operand's shape) gathered at the update positions (upd's shape). */
function gatherBack<T extends Tensor>(o: AdOps<T>, p: Scatter<T>, t: T): T {
  const [, idx, upd] = p.x;
  return o.op("gather", [t, idx!], upd!.shape, t.dtype, { axis: p.ins.axis });
}

/** Updates whose index is in range (the others are dropped), shaped to broadcast against upd. */
function inRange<T extends Tensor>(o: AdOps<T>, p: Scatter<T>): T {
  const [x, idx, upd] = p.x;
  const n = x!.shape[p.ins.axis]!;
  return atAxis(o, o.bin("logicalAnd", o.bin("greaterEqual", idx!, 0), o.bin("less", idx!, n)), p.ins.axis, upd!.shape.length);
}

/** set: the updates that win (in range, and the last to write their index), shaped to broadcast against upd. */
function winners<T extends Tensor>(o: AdOps<T>, p: Scatter<T>): T {
  const [x, idx, upd] = p.x;
  const n = x!.shape[p.ins.axis]!;
  const M = sizeOf(idx!.shape);
  const flat = o.reshape(idx!, [M]);
  const ids = o.iota(M);
  const last = o.op("scatter", [o.full([n], -1, "int32"), flat, ids], [n], "int32", { axis: 0, mode: "set" });
  const mine = o.bin("equal", o.op("gather", [last, flat], [M], "int32", { axis: 0 }), ids);
  return o.bin("logicalAnd", inRange(o, p), atAxis(o, o.reshape(mine, idx!.shape), p.ins.axis, upd!.shape.length));
}

/** min/max: where the operand, and which updates, equal the result, and the number of them per result element. */
function ties<T extends Tensor>(o: AdOps<T>, p: Scatter<T>): { atX: T; atU: T; count: T } {
  const [x, idx, upd] = p.x;
  const dt = x!.dtype;
  const atX = o.bin("equal", x!, p.y);
  const atU = o.bin("logicalAnd", inRange(o, p), o.bin("equal", upd!, gatherBack(o, p, p.y)));
  const uCount = o.op("scatter", [o.zeros(x!.shape, dt), idx!, o.where(atU, 1, o.zeros(upd!.shape, dt))], x!.shape, dt, { axis: p.ins.axis, mode: "add" });
  return { atX, atU, count: o.bin("add", o.where(atX, 1, 0), uCount) };
}

const scatterRule: SingleRule<"scatter"> = {
  jvp(o, p, dx) {
    const { mode, axis } = p.ins;
    if (mode === "set" || mode === "add") return linearJvp(o, p, dx);
    if (mode === "mul") throw mulError();
    const [x, idx, upd] = p.x;
    const { atX, atU, count } = ties(o, p);
    const tx = dx[0] ? o.where(atX, o.bin("div", dx[0], count), 0) : zerosOf(o, x!);
    const tu = dx[2] ? o.where(atU, o.bin("div", dx[2], gatherBack(o, p, count)), 0) : zerosOf(o, upd!);
    return o.op("scatter", [tx, idx!, tu], p.y.shape, p.y.dtype, { axis, mode: "add" });
  },
  vjp(o, p, ct, need) {
    const { mode, axis } = p.ins;
    const [, idx, upd] = p.x;
    switch (mode) {
      case "add":
        return [ct, null, need[2] ? o.where(inRange(o, p), gatherBack(o, p, ct), 0) : null];
      case "set":
        return [
          need[0] ? o.op("scatter", [ct, idx!, zerosOf(o, upd!)], ct.shape, ct.dtype, { axis, mode: "set" }) : null,
          null,
          need[2] ? o.where(winners(o, p), gatherBack(o, p, ct), 0) : null,
        ];
      case "mul":
        throw mulError();
      case "min":
      case "max": {
        const { atX, atU, count } = ties(o, p);
        const share = o.bin("div", ct, count);
        return [need[0] ? o.where(atX, share, 0) : null, null, need[2] ? o.where(atU, gatherBack(o, p, share), 0) : null];
      }
    }
  },
};

export const INDEXING_RULES: { readonly [K in IndexingOp]: SingleRule<K> } = {
  slice: {
    jvp: linearJvp,
    vjp: (o, p, ct) => [sliceTranspose(o, p, ct)],
  },
  remap: {
    jvp: linearJvp,
    vjp: (o, p, ct) => [tableTranspose(o, p.x[0]!, remapTable(p.ins.offsets), ct)],
  },
  gather: {
    jvp: linearJvp,
    vjp(o, p, ct) {
      const [x, idx] = p.x;
      const { axis } = p.ins;
      if (sizeOf(x!.shape) === 0) return [zerosOf(o, x!), null];
      return [o.op("scatter", [zerosOf(o, x!), clampIndex(o, idx!, x!.shape[axis]!), ct], x!.shape, x!.dtype, { axis, mode: "add" }), null];
    },
  },
  scatter: scatterRule,
  dynamicSlice: {
    jvp: linearJvp,
    vjp: (o, p, ct) => [o.op("dynamicUpdateSlice", [zerosOf(o, p.x[0]!), ct, p.x[1]!], p.x[0]!.shape, ct.dtype), null],
  },
  dynamicUpdateSlice: {
    jvp: linearJvp,
    vjp(o, p, ct, need) {
      const [, upd, starts] = p.x;
      return [
        need[0] ? o.op("dynamicUpdateSlice", [ct, zerosOf(o, upd!), starts!], ct.shape, ct.dtype) : null,
        need[1] ? o.op("dynamicSlice", [ct, starts!], upd!.shape, ct.dtype, { sizes: upd!.shape }) : null,
        null,
      ];
    },
  },
  concat: {
    jvp: linearJvp,
    vjp(o, p, ct, need) {
      const { axis } = p.ins;
      let at = 0;
      return p.x.map((x, k) => {
        const from = at;
        at += x.shape[axis]!;
        if (!need[k]) return null;
        return o.op("slice", [ct], x.shape, ct.dtype, { starts: x.shape.map((_, d) => (d === axis ? from : 0)), steps: x.shape.map(() => 1) });
      });
    },
  },
};

