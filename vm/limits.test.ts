// Size limits (README "Limits"): beyond 2^31-1 elements or 2 GiB per array, every
// creation routine and op throws a SizeError at once (issue 14: np.zeros([2 ** 31]) ran
// for minutes; np.zeros([1e9, 1e9]) threw V8's RangeError). Also: errors in the
// user's terms.
import { expect, it } from "vitest";
import { jit, np, type NDArray } from "../index.js";

const tooBig = expect.objectContaining({ name: "SizeError", message: expect.stringMatching(/is larger than tierjit supports: at most 2\^31-1 elements and 2 GiB per array$/) });

it("creation routines and ops refuse arrays above the limits at once", () => {
  expect(() => np.zeros([2 ** 31])).toThrow(tooBig);
  expect(() => np.zeros([1e9, 1e9])).toThrow(tooBig);
  expect(() => np.ones([2 ** 29], "float64")).toThrow(tooBig); // 4 GiB
  expect(() => np.full([2 ** 16, 2 ** 16], 1)).toThrow(tooBig);
  expect(() => np.arange(1e12)).toThrow(tooBig);
  expect(() => np.linspace(0, 1, 2 ** 32)).toThrow(tooBig);
  expect(() => np.random.normal([2 ** 20, 2 ** 20])).toThrow(tooBig);
  const row = np.zeros([1, 2 ** 16]);
  const col = np.zeros([2 ** 16, 1]);
  expect(() => row.add(col)).toThrow(tooBig); // a broadcast result of 2^32 elements
  expect(() => np.broadcastTo(np.zeros([1]), [2 ** 32])).toThrow(tooBig);
  expect(() => jit((a: NDArray, b: NDArray) => a.mul(b))(row, col)).toThrow(tooBig);
  expect(() => jit((a: NDArray) => np.zeros([2 ** 31]).add(a))(np.ones([1]))).toThrow(tooBig);
  expect(np.zeros([2 ** 20]).size).toBe(2 ** 20); // below the limits nothing changes
  expect(() => np.zeros([2 ** 31])).toThrow("np.zeros: shape [2147483648], 2147483648 elements of float32 (8.00 GiB) is larger than tierjit supports: at most 2^31-1 elements and 2 GiB per array");
});

it("np.dot reports the user's shapes, not its internal reshapes", () => {
  expect(() => np.dot(np.ones([3]), np.ones([4]))).toThrow("dot: shapes [3] and [4] are not aligned: 3 (contracted axis of the first) != 4 (contracted axis of the second)");
  expect(() => np.matmul(np.ones([2, 3]), np.ones([4]))).toThrow("matmul: shapes [2,3] and [4] are not aligned");
});
