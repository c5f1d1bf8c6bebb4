// The op constructors batching rules (ir/vmap/rules.ts) build with: NDArray's np-level
// ops, so a batched program runs eagerly on concrete arrays and is recorded under a
// trace, exactly like the user's own code.

import type { BatchOps } from "../../ir/vmap/rules.js";
import { concatenate } from "../assembly.js";
import { NDArray } from "../ndarray.js";
import { broadcastTo, elementwiseFns, emit, reductions, reshape, transpose, where } from "../ops.js";

type AnyEmit = (op: string, x: readonly NDArray[], info: unknown, params: unknown) => NDArray;

export const BND: BatchOps<NDArray> = {
  reemit: (ins, args, out, params) => {
    const { op, args: _a, out: _o, ...own } = ins as typeof ins & Record<string, unknown>;
    return (emit as AnyEmit)(op, args, out, { ...own, ...params });
  },
  reshape: (x, shape) => reshape(x, shape),
  transpose: (x, perm) => transpose(x, perm),
  broadcast: (x, shape) => broadcastTo(x, shape),
  bin: (op, x, y) => elementwiseFns[op](x, y),
  where: (c, x, y) => where(c, x, y),
  sum: (x, axes, keepdims) => reductions.sum(x, axes, keepdims),
  concat: (xs, axis) => concatenate(xs, axis),
  ints: (values, shape) => new NDArray(shape, "int32", Int32Array.from(values)),
  gather: (x, idx, axis) => (emit as AnyEmit)("gather", [x, idx], { shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)], dtype: x.dtype }, { axis }),
  scatterSet: (x, idx, upd) => (emit as AnyEmit)("scatter", [x, idx, upd], { shape: x.shape, dtype: x.dtype }, { axis: 0, mode: "set" }),
};
