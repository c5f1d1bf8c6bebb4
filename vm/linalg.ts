// np.matmul and np.dot with numpy's shape rules, lowered to the one contraction the IR
// has: `matmul` of [M,K]x[K,N], or of [B,M,K]x[B,K,N] (a batch of equal-sized products,
// ir/ops.ts). Every output element is one dot product summed in the canonical order, so
// however the shapes are rearranged here, each element's bits are those of its own
// [1,K]x[K,1] product.
// - matmul: a 1-D operand is promoted ([K] -> [1,K] first, [K,1] second) and the added
//   axis dropped from the result; leading (batch) axes broadcast as numpy's do. When the
//   second operand has no batch (after broadcasting, size 1), the first one's batch folds
//   into its rows: one [B*M,K]x[K,N] product and no copies; otherwise both operands are
//   broadcast to the full batch and flattened to one batch axis.
// - dot: numpy's N-D dot, dot(a, b)[i..., j..., n] = sum_k a[i..., k] * b[j..., k, n]:
//   a flattened to rows, b's contracted axis moved first, one 2-D product.

import { resultType } from "../ir/dtype.js";
import { ShapeError, fmtShape } from "../ir/errors.js";
import { operandDType } from "../ir/ops.js";
import { broadcastShapes, sizeOf } from "../ir/shape.js";
import type { NDArray, ArrayLike } from "./ndarray.js";
import { asArray, broadcastTo, castTo, emit, mul, reshape, transpose } from "./ops.js";

type Op = "dot" | "matmul";

function mismatch(op: Op, a: NDArray, b: NDArray, K: number, K2: number): ShapeError {
  return new ShapeError(`${op}: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned: ${K} (contracted axis of the first) != ${K2} (contracted axis of the second)`);
}

/** [..., M, K] x [..., K, N] with equal leading axes (of product `batch`), in the operands' common dtype. */
function product(a: NDArray, b: NDArray, batch: number, M: number, K: number, N: number): NDArray {
  const dt = operandDType("numeric", resultType([a.dtype, b.dtype], []));
  const shape = batch === 1 ? [M, N] : [batch, M, N];
  const a3 = reshape(a, batch === 1 ? [M, K] : [batch, M, K]);
  const b3 = reshape(b, batch === 1 ? [K, N] : [batch, K, N]);
  return emit("matmul", [castTo(a3, dt), castTo(b3, dt)], { shape, dtype: dt });
}

export function matmul(x: ArrayLike, y: ArrayLike): NDArray {
  const a = asArray("matmul", x, 0);
  const b = asArray("matmul", y, 1);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: operands must be at least 1-D, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} (use mul for scalars)`);
  }
  const as = a.ndim === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.ndim === 1 ? [b.shape[0]!, 1] : b.shape;
  const [M, K] = as.slice(-2) as [number, number];
  const [K2, N] = bs.slice(-2) as [number, number];
  if (K !== K2) throw mismatch("matmul", a, b, K, K2);
  const batchA = as.slice(0, -2);
  const batchB = bs.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes("matmul", [batchA, batchB]);
  } catch {
    throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} have batch axes ${fmtShape(batchA)} and ${fmtShape(batchB)} that cannot be broadcast together`);
  }
  let r: NDArray;
  if (sizeOf(batchB) === 1) {
    // Rows of every batch of a against the one b: a single 2-D product.
    r = product(reshape(a, [sizeOf(batchA) * M, K]), b, 1, sizeOf(batchA) * M, K, N);
  } else {
    const full = (v: NDArray, s: readonly number[], core: number[]) => {
      const target = [...batch, ...core];
      const v2 = reshape(v, [...s]);
      return s.length === target.length && s.every((d, i) => d === target[i]) ? v2 : broadcastTo(v2, target);
    };
    r = product(full(a, as, [M, K]), full(b, bs, [K, N]), sizeOf(batch), M, K, N);
  }
  const shape = [...batch, ...(a.ndim === 1 ? [] : [M]), ...(b.ndim === 1 ? [] : [N])];
  return reshape(r, shape);
}

export function dot(x: ArrayLike, y: ArrayLike): NDArray {
  const a = asArray("dot", x, 0);
  const b = asArray("dot", y, 1);
  if (a.ndim === 0 || b.ndim === 0) return mul(a, b);
  const K = a.shape[a.ndim - 1]!;
  const kAxis = b.ndim === 1 ? 0 : b.ndim - 2;
  const K2 = b.shape[kAxis]!;
  if (K !== K2) throw mismatch("dot", a, b, K, K2);
  const rows = a.shape.slice(0, -1);
  const M = sizeOf(rows);
  if (b.ndim <= 2) {
    const N = b.ndim === 1 ? 1 : b.shape[1]!;
    const r = product(reshape(a, [M, K]), reshape(b, [K, N]), 1, M, K, N);
    return reshape(r, [...rows, ...b.shape.slice(1)]);
  }
  // b [..., K, N] -> [K, ..., N] -> [K, rest]: one column per (batch index of b, n).
  const perm = [kAxis, ...b.shape.map((_, i) => i).filter((i) => i !== kAxis)];
  const cols = sizeOf(b.shape.filter((_, i) => i !== kAxis));
  const r = product(reshape(a, [M, K]), reshape(transpose(b, perm), [K, cols]), 1, M, K, cols);
  return reshape(r, [...rows, ...b.shape.filter((_, i) => i !== kAxis)]);
}
