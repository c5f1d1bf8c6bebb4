// np.outer: the products of every element of a with every element of b, composed from
// reshape and mul (numpy flattens both operands), so every tier has it for free.

import type { ArrayLike, NDArray } from "./ndarray.js";
import { asArray, mul, reshape } from "./ops.js";

/** outer(a, b)[i, j] = a.flat[i] * b.flat[j]; the dtype is mul's (bool operands give int32). */
export function outer(a: ArrayLike, b: ArrayLike): NDArray {
  const x = asArray("outer", a, 0);
  const y = asArray("outer", b, 1);
  return mul(reshape(x, [x.size, 1]), reshape(y, [1, y.size]));
}
