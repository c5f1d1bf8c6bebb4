import { describe, expect, it } from "vitest";
import { np, jit, grad, vmap, ShapeError, type NDArray } from "../index.js";
import { everywhere } from "../testing/tiers.js";

/** Entries (i + off) % 7 - 3 in row-major order (the peers benchmark's matrices, shifted). */
function ints(shape: number[], off = 0, dtype: "float32" | "float64" | "int32" = "float32"): NDArray {
  const n = shape.reduce((p, d) => p * d, 1);
  return np.array(Array.from({ length: n }, (_, i) => ((i + off) % 7) - 3), dtype).reshape(shape);
}

function randomF32(shape: number[], seed: number): NDArray {
  let s = seed >>> 0;
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 8;
  }
  return np.array(out).reshape(shape);
}

// Expected values computed with numpy 2.4: np.matmul / np.dot of a = ints(sa), b = ints(sb, 3), float32.
const CASES: ["matmul" | "dot", number[], number[], number[], number[]][] = [
  ["matmul", [2, 3, 4], [2, 4, 5], [2, 3, 5], [1, 2, -4, -10, 5, 2, -16, -13, 11, 7, 3, 1, -1, -10, 2, -17, -17, 4, 4, 18, 3, 5, 0, 2, -10, 2, -1, 10, 7, 11]],
  ["matmul", [2, 1, 3, 4], [3, 4, 2], [2, 3, 3, 2], [-1, -7, -2, 1, -3, -5, -7, 1, 1, -10, -5, 0, 1, -5, -10, -7, 0, -2, 17, 17, -5, -3, 1, -2, 17, -4, -3, -1, -2, 16, -4, -4, -1, 1, 16, 13]],
  ["matmul", [3, 4], [2, 4, 5], [2, 3, 5], [1, 2, -4, -10, 5, 2, -16, -13, 11, 7, 3, 1, -1, -10, 2, 7, 1, 2, -4, -10, -1, 2, -16, -13, 11, 5, 3, 1, -1, -10]],
  ["matmul", [2, 3, 4], [4], [2, 3], [-4, -1, 2, -9, 8, -10]],
  ["matmul", [4], [2, 4, 3], [2, 3], [-5, 3, -3, 7, 1, -5]],
  ["matmul", [2, 3, 4], [4, 5], [2, 3, 5], [1, 2, -4, -10, 5, 2, -16, -13, 11, 7, 3, 1, -1, -10, 2, -17, 4, 4, 18, 4, 5, 0, 2, -10, -1, -1, 10, 7, 11, -13]],
  ["matmul", [1, 2, 3], [5, 3, 2], [5, 2, 2], [-1, -7, -4, -1, -2, -1, 7, -4, 4, -2, 4, 7, 10, 4, 1, 4, -5, 10, -2, 1]],
  ["matmul", [3, 4, 5], [3, 5, 1], [3, 4, 1], [-7, -6, 23, -4, -4, -11, 10, 10, 5, -10, -4, 23]],
  ["matmul", [3, 1, 5], [3, 5, 4], [3, 1, 4], [7, 2, -10, -8, 12, -10, -11, -5, 9, -9, -13, -10]],
  ["matmul", [2, 1, 1, 6], [1, 3, 6, 7], [2, 3, 1, 7], [0, -3, -6, -9, 9, 6, 3, 0, -3, -6, -9, 9, 6, 3, 0, -3, -6, -9, 9, 6, 3, 0, -2, -4, -6, 6, 4, 2, 0, -2, -4, -6, 6, 4, 2, 0, -2, -4, -6, 6, 4, 2]],
  ["matmul", [0, 2, 3], [3, 4], [0, 2, 4], []],
  ["matmul", [2, 2, 0], [2, 0, 3], [2, 2, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
  ["matmul", [2, 0, 3], [1, 3, 2], [2, 0, 2], []],
  ["matmul", [4], [4], [], [-4]],
  ["matmul", [2, 5, 9], [2, 9, 6], [2, 5, 6], [16, 4, -15, -41, -4, 19, -7, -29, -9, 4, 17, 16, -9, 8, 18, 21, 10, -15, 17, 17, 10, -4, -46, -4, 8, -9, -33, -15, 10, 21, 4, -9, -29, -7, 8, 16, -41, -15, 4, 16, 21, 19, 19, 21, 16, 4, -15, -41, 16, 8, -7, -29, -9, 4, -15, -33, -9, 8, 18, 21]],
  ["dot", [2, 3, 4], [5, 4, 6], [2, 3, 5, 6], [4, -2, -8, -14, 1, 9, -14, 1, 9, 10, 4, -2, 10, 4, -2, -8, -14, 1, -8, -14, 1, 9, 10, 4, 9, 10, 4, -2, -8, -14, 1, 4, 7, 10, 6, -5, 10, 6, -5, -23, 1, 4, -23, 1, 4, 7, 10, 6, 7, 10, 6, -5, -23, 1, -5, -23, 1, 4, 7, 10, -2, -4, -6, -8, 4, 9, -8, 4, 9, 7, -2, -4, 7, -2, -4, -6, -8, 4, -6, -8, 4, 9, 7, -2, 9, 7, -2, -4, -6, -8, 9, 9, 9, 9, -5, -26, 9, -5, -26, -5, 9, 9, -5, 9, 9, 9, 9, -5, 9, 9, -5, -26, -5, 9, -26, -5, 9, 9, 9, 9, -8, -6, -4, -2, 7, 9, -2, 7, 9, 4, -8, -6, 4, -8, -6, -4, -2, 7, -4, -2, 7, 9, 4, -8, 9, 4, -8, -6, -4, -2, 10, 7, 4, 1, -23, -5, 1, -23, -5, 6, 10, 7, 6, 10, 7, 4, 1, -23, 4, 1, -23, -5, 6, 10, -5, 6, 10, 7, 4, 1]],
  ["dot", [2, 3], [4, 3, 2], [2, 4, 2], [-1, -7, -2, -1, 4, -2, 10, 4, -4, -1, 7, -4, 4, 7, 1, 4]],
  ["dot", [2, 3, 4], [4], [2, 3], [-4, -1, 2, -9, 8, -10]],
  ["dot", [3], [2, 3, 2], [2, 2], [-1, -7, -2, -1]],
];

describe("batched matmul and N-D dot (numpy's shape rules)", () => {
  for (const [op, sa, sb, shape, values] of CASES) {
    it(`np.${op}(${JSON.stringify(sa)}, ${JSON.stringify(sb)}) matches numpy eagerly and in every tier`, () => {
      const r = everywhere((a, b) => np[op](a, b), ints(sa), ints(sb, 3));
      expect(r.shape).toEqual(shape);
      expect(r.values).toEqual(values);
    });
  }

  it("the method form and mixed dtypes promote as numpy", () => {
    const r = everywhere((a, b) => a.matmul(b), ints([2, 3, 4], 0, "int32"), ints([2, 4, 2], 3, "int32"));
    expect(r.dtype).toBe("int32");
    expect(r.values).toEqual([-1, -7, -2, 1, -3, -5, 17, -4, -3, -1, -2, 16]);
    expect(everywhere((a, b) => np.matmul(a, b), ints([2, 3, 4], 0, "int32"), ints([4, 2], 3, "float64")).dtype).toBe("float64");
  });

  it("each product of a batch has the bits of its own 2-D matmul", () => {
    const a = randomF32([3, 2, 5, 7], 1);
    const b = randomF32([2, 7, 6], 2);
    const r = everywhere((x, y) => np.matmul(x, y), a, b);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        const want = np.matmul(a.slice(i, j), b.slice(j)).toTypedArray();
        const got = r.values.slice((i * 2 + j) * 30, (i * 2 + j + 1) * 30);
        expect(got.map((v) => Object.is(v, -0) ? "-0" : String(v))).toEqual(Array.from(want, (v) => Object.is(v, -0) ? "-0" : String(v)));
      }
    }
  });

  it("fuses batched prologues and broadcasting epilogues in every tier", () => {
    const bias = randomF32([6], 3);
    everywhere((a, b) => np.tanh(np.matmul(a, b).add(bias)), randomF32([2, 5, 7], 4), randomF32([2, 7, 6], 5));
    everywhere((a, b) => np.matmul(a.mul(2).sub(1), b).mul(bias), randomF32([3, 1, 7], 6), randomF32([3, 7, 6], 7));
    everywhere((a, b) => np.matmul(a, b.exp()).sum(1), randomF32([3, 5, 7], 8), randomF32([3, 7, 1], 9));
  });

  it("size-generic tier-1 kernels serve several batch sizes", () => {
    const f = jit((a: NDArray, b: NDArray) => np.matmul(a, b).add(1), { tier: "js" });
    for (const B of [2, 3, 5]) {
      const a = randomF32([B, 4, 6], B);
      const b = randomF32([B, 6, 5], B + 10);
      expect(Array.from(f(a, b).toTypedArray())).toEqual(Array.from(np.matmul(a, b).add(1).toTypedArray()));
    }
  });
});

describe("gradients of batched products", () => {
  it("transpose each product of the batch", () => {
    const a = ints([2, 3, 4]);
    const b = ints([2, 4, 5], 3);
    const w = ints([2, 3, 5], 1);
    const [ga, gb] = grad((x: NDArray, y: NDArray) => np.matmul(x, y).mul(w).sum(), { argnums: [0, 1] })(a, b) as NDArray[];
    // d/da = w @ b^T and d/db = a^T @ w per product (numpy-checked: the same expressions, float32).
    expect(Array.from(ga!.toTypedArray())).toEqual(Array.from(np.matmul(w, np.swapaxes(b, -1, -2)).toTypedArray()));
    expect(Array.from(gb!.toTypedArray())).toEqual(Array.from(np.matmul(np.swapaxes(a, -1, -2), w).toTypedArray()));
    expect(Array.from(ga!.toTypedArray()).slice(0, 4)).toEqual([-4, 10, -4, -11]);
  });
});

describe("vmap of batched products", () => {
  it("joins the lanes to the batch axis, with either or both operands mapped", () => {
    const x = randomF32([3, 2, 4, 5], 11);
    const y = randomF32([2, 5, 6], 12);
    const ys = randomF32([3, 2, 5, 6], 13);
    const lane = (v: NDArray, t: number) => np.split(v, [t, t + 1], 0)[1]!.reshape(v.shape.slice(1));
    for (const [args, inAxes] of [[[x, y], [0, null]], [[x.slice(0), ys], [null, 0]], [[x, ys], [0, 0]]] as [NDArray[], (number | null)[]][]) {
      const per = Array.from({ length: 3 }, (_, t) => np.matmul(inAxes[0] === null ? args[0]! : lane(args[0]!, t), inAxes[1] === null ? args[1]! : lane(args[1]!, t)));
      const want = np.stack(per, 0);
      const r = everywhere((p, q) => vmap((u: NDArray, v: NDArray) => np.matmul(u, v), { inAxes })(p, q) as NDArray, ...args);
      expect(r.shape).toEqual(want.shape);
      expect(r.values).toEqual(Array.from(want.toTypedArray()));
    }
  });
});

describe("matmul and dot errors name the user's shapes", () => {
  it("refuses scalars, misaligned core axes and unbroadcastable batches", () => {
    expect(() => np.matmul(2, np.ones([2]))).toThrow(/matmul: operands must be at least 1-D/);
    expect(() => np.matmul(np.ones([2, 3, 4]), np.ones([2, 5, 6]))).toThrow(ShapeError);
    expect(() => np.matmul(np.ones([2, 3, 4]), np.ones([2, 5, 6]))).toThrow(/matmul: shapes \[2,3,4\] and \[2,5,6\] are not aligned: 4 .* != 5/);
    expect(() => np.matmul(np.ones([2, 3, 4]), np.ones([3, 4, 5]))).toThrow(/matmul: shapes \[2,3,4\] and \[3,4,5\] have batch axes \[2\] and \[3\] that cannot be broadcast together/);
    expect(() => np.matmul(np.ones([2, 2, 2]), np.ones([3]))).toThrow(/not aligned: 2 .* != 3/);
    expect(() => np.dot(np.ones([2, 3, 4]), np.ones([5, 3, 6]))).toThrow(/dot: shapes \[2,3,4\] and \[5,3,6\] are not aligned: 4 .* != 3/);
  });
});
