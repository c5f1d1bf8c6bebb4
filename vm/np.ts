// The `np` namespace: numpy-style creation routines, ops and constants in one object.

import * as assembly from "./assembly.js";
import * as construct from "./construct.js";
import * as control from "./control.js";
import * as creation from "./creation.js";
import * as ops from "./ops.js";
import * as indexing from "./indexing.js";
import { outer } from "./outer.js";
import * as linalg from "./linalg.js";
import * as random from "./random.js";
import * as statistics from "./statistics.js";
import { sparse } from "./sparse.js";
import "./methods.js";

export const np = {
  array: construct.array,
  zeros: construct.zeros,
  ones: construct.ones,
  full: (shape: readonly number[], value: number | boolean, dtype?: construct.DTypeArg) => construct.full(shape, value, dtype),
  arange: construct.arange,
  linspace: construct.linspace,
  eye: creation.eye,
  identity: creation.identity,
  tri: creation.tri,
  triu: creation.triu,
  tril: creation.tril,
  zerosLike: creation.zerosLike,
  onesLike: creation.onesLike,
  fullLike: creation.fullLike,
  pi: Math.PI,
  e: Math.E,
  random: { seed: random.seed, random: random.random, uniform: random.uniform, normal: random.normal },
  astype: ops.astype,
  // Every unary, binary and reduction op of the table (ir/ops.ts), under its own name.
  ...ops.elementwiseFns,
  /** numpy's other name for mod. */
  remainder: ops.elementwiseFns.mod,
  ...ops.reductions,
  ...ops.argReductions,
  ...ops.scans,
  ...ops.sorts,
  where: ops.where,
  square: ops.square,
  clip: ops.clip,
  mean: ops.mean,
  var: statistics.variance,
  std: statistics.std,
  logsumexp: statistics.logsumexp,
  dot: linalg.dot,
  matmul: linalg.matmul,
  outer,
  reshape: ops.reshape,
  transpose: ops.transpose,
  flip: ops.flip,
  expandDims: ops.expandDims,
  squeeze: ops.squeeze,
  broadcastTo: ops.broadcastTo,
  take: indexing.take,
  takeAlongAxis: indexing.takeAlongAxis,
  dynamicSlice: indexing.dynamicSlice,
  dynamicUpdateSlice: indexing.dynamicUpdateSlice,
  segmentSum: indexing.segmentSum,
  segmentMax: indexing.segmentMax,
  segmentMin: indexing.segmentMin,
  concatenate: assembly.concatenate,
  stack: assembly.stack,
  split: assembly.split,
  pad: assembly.pad,
  tile: assembly.tile,
  repeat: assembly.repeat,
  roll: assembly.roll,
  ravel: assembly.ravel,
  moveaxis: assembly.moveaxis,
  swapaxes: assembly.swapaxes,
  forLoop: control.forLoop,
  scan: control.scan,
  whileLoop: control.whileLoop,
  cond: control.cond,
  /** Constant sparse matrices: np.sparse.csr({ indptr, indices, data, shape }) with .matvec(x) and .rmatvec(x) (vm/sparse.ts). */
  sparse,
} as const;
