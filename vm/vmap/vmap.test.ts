import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, Variable, jit, np, vmap, type NDArray, type TierName } from "../../index.js";

const TIERS: TierName[] = ["interpreter", "js", "wasm"];
const bits = (a: NDArray) => Array.from(a.toTypedArray(), (x) => (Object.is(x, -0) ? "-0" : String(x)));
const same = (got: NDArray, want: NDArray, what = "") => {
  expect(got.shape, what).toEqual(want.shape);
  expect(got.dtype, what).toBe(want.dtype);
  expect(bits(got), what).toEqual(bits(want));
};

type F = (...a: NDArray[]) => NDArray | NDArray[];
const list = (r: NDArray | NDArray[]) => (Array.isArray(r) ? r : [r]);

/** Lane b of x along `axis`. */
const lane = (x: NDArray, axis: number, b: number) => np.moveaxis(x, axis, 0).slice(b);

/**
 * `f` run on each example and stacked (at outAxes), against vmap(f) eagerly and
 * jit(vmap(f)) pinned to every tier: all bit for bit.
 */
function check(f: F, args: NDArray[], inAxes: (number | null)[], outAxes: number | number[] = 0, reference: F = f) {
  const first = inAxes.findIndex((a) => a !== null);
  const n = args[first]!.shape.at(inAxes[first]!)!;
  const per = Array.from({ length: n }, (_, b) => list(reference(...args.map((x, i) => (inAxes[i] === null ? x : lane(x, inAxes[i]!, b))))));
  const want = per[0]!.map((_, k) => np.stack(per.map((r) => r[k]!), typeof outAxes === "number" ? outAxes : outAxes[k]!));
  const g = vmap(f, { inAxes, outAxes });
  list(g(...args)).forEach((r, k) => same(r, want[k]!, `eager out${k}`));
  for (const tier of TIERS) {
    const j = jit(g, { tier });
    list(j(...args)).forEach((r, k) => same(r, want[k]!, `${tier} out${k}`));
    expect(j.inspect().signatures[0]!.tier).toBe(tier);
  }
}

const f32 = (shape: number[], k = 1) => np.arange(shape.reduce((a, b) => a * b, 1)).astype("float32").mul(0.37 * k).sin().reshape(shape);
const i32 = (shape: number[], mod: number) => np.arange(shape.reduce((a, b) => a * b, 1)).mul(7).mod(mod).astype("int32").reshape(shape);

describe("vmap: each op's batching rule equals the per-example loop in every tier", () => {
  it("elementwise with broadcasting, casts and where", () => {
    check((x, w) => x.mul(w).tanh().add(1), [f32([3, 4]), f32([4], 2)], [0, null]);
    check((x, w) => x.mul(w), [f32([3]), f32([2, 4], 2)], [0, null]); // a batched scalar against a matrix
    check((x, w) => np.where(x.greater(w), x.astype("int32"), w.astype("int32")), [f32([4, 2, 3]), f32([3], 3)], [1, null]);
    check((x, y) => np.atan2(x, y).sub(x.exp()), [f32([5, 2]), f32([2, 5], 3)], [0, 1]);
  });
  it("reductions, arg-reductions, scans and sorts", () => {
    const x = f32([3, 4, 5]);
    check((a) => [a.sum(1), a.max(0, true), a.prod(), a.mean(), np.argmax(a, 1), np.cumsum(a, 0), np.sort(a, 1), np.argsort(a, 0)], [x], [2]);
    check((a) => [np.any(a.greater(0.5), 0), np.cumprod(a, 1)], [x], [0]);
  });
  it("matmul with either or both operands batched", () => {
    const a = f32([3, 2, 5]);
    const b = f32([5, 4], 2);
    check((x, y) => np.matmul(x, y), [a, b], [0, null]);
    check((x, y) => np.matmul(x, y), [f32([2, 5]), f32([3, 5, 4], 2)], [null, 0]);
    check((x, y) => np.matmul(x, y), [a, f32([5, 4, 3], 2)], [0, 2]);
    check((x, y) => np.dot(x, y), [f32([3, 5]), f32([5, 3], 2)], [0, 1]);
    check((x, y) => np.matmul(x, y).sum(), [f32([4, 3, 8]).astype("int32"), f32([4, 8, 2], 2).astype("int32")], [0, 0]);
    // Both batched with more terms than one reduction block (ir/kernels/reduce.ts).
    check((x, y) => np.matmul(x, y), [f32([3, 2, 300]), f32([3, 300, 2], 2)], [0, 0]);
    // A batch of products per example (numpy's broadcast matmul), either operand batched.
    check((x, y) => np.matmul(x, y), [f32([3, 2, 4, 5]), f32([2, 5, 3], 2)], [0, null]);
    check((x, y) => np.matmul(x, y), [f32([2, 4, 5]), f32([2, 5, 3, 3], 2)], [null, 3]);
  });
  it("movement and assembly: reshape, transpose, broadcast, flip, concatenate, pad, tile, slices", () => {
    check((x) => [x.reshape(2, -1), x.T, np.broadcastTo(x, [2, 4, 5]), np.flip(x, 0), np.tile(x, [2, 1]), np.pad(x, 1, { mode: "reflect" })], [f32([4, 3, 5])], [1]);
    check((x, y) => np.concatenate([x, y, x], 1), [f32([3, 2, 2]), f32([2, 4], 2)], [0, null]);
    check((x) => [x.slice([1, null, 2]), x.slice(null, -1), x.slice([null, null, -1], 2)], [f32([3, 5, 4])], [0]);
  });
  it("indexing with batched arrays, batched indices or both", () => {
    const x = f32([3, 6, 2]);
    const idx = i32([3, 4], 12).sub(6); // negative indices wrap
    check((a, j) => np.take(a, j, 0), [x, idx], [0, null]);
    check((a, j) => np.take(a, j, 1), [f32([6, 2]), i32([3, 4], 4).sub(2)], [null, 0]);
    check((a, j) => np.take(a, j, 0), [x, idx], [0, 0]);
    check((a, j) => np.takeAlongAxis(a, j.reshape(4, 1), 0), [f32([3, 6, 1]), i32([3, 4], 6)], [0, 0]);
    check((a, j) => a.at(j).add(1), [x, i32([3, 4], 6)], [0, 0]);
    check((a, j, u) => a.at(j).set(u), [x, i32([3, 2], 6), f32([3, 2, 2], 4)], [0, 0, 0]);
    check((a, j) => a.at(j).max(0.25), [f32([6]), i32([3, 2], 6)], [null, 0]);
    check((a, s) => np.dynamicSlice(a, s, [2, 2]), [f32([3, 5, 4]), i32([3, 2], 7).sub(2)], [0, 0]);
    check((a, s) => np.dynamicSlice(a, s, [2, 2]), [f32([3, 5, 4]), i32([3, 2], 19).sub(12)], [0, 0]); // starts wrapped and clamped both ways
    check((a, s) => np.dynamicSlice(a, s, [2, 2]), [f32([5, 4]), i32([3, 2], 7).sub(2)], [null, 0]);
    check((a, s) => np.dynamicSlice(a, s, [3, 1]), [f32([3, 5, 4]), i32([2], 7)], [0, null]);
    check((a, u, s) => np.dynamicUpdateSlice(a, u, s), [f32([3, 5, 4]), f32([2, 3], 2), i32([3, 2], 7).sub(2)], [0, null, 0]);
    check((a, u, s) => np.dynamicUpdateSlice(a, u, s), [f32([5, 4]), f32([3, 2, 3], 2), i32([2], 3)], [null, 0, null]);
    check((a, j) => np.segmentSum(a, j, 4), [f32([3, 5]), i32([3, 5], 4)], [0, 0]);
  });
  it("traced indices out of range: gathers clamp and scatters drop, per lane, as under jit", () => {
    const x = f32([3, 6, 2]);
    const j = np.array([[0, 9, -8, 2], [7, -1, 3, 6], [-7, 5, 1, 12]], "int32");
    const traced = (f: F): F => jit(f, { tier: "interpreter" });
    const g: F = (a, k) => np.take(a, k, 0);
    check(g, [x, j], [0, 0], 0, traced(g));
    const s: F = (a, k) => a.at(k).add(1);
    check(s, [x, j], [0, 0], 0, traced(s));
    check(s, [f32([6, 2]), j], [null, 0], 0, traced(s));
  });
});

describe("vmap: control flow", () => {
  it("forLoop and scan, with batched and unbatched carries, xs and captures", () => {
    check((x, w) => np.forLoop(0, 5, (i, c: NDArray) => c.mul(0.9).add(w.mul(i.astype("float32"))), x), [f32([3, 4]), f32([4], 2)], [0, null]);
    // The carry starts unbatched and becomes batched through the captured x.
    check((x) => np.forLoop(0, 4, (_i, c: NDArray) => c.add(x).tanh(), np.zeros([4])), [f32([3, 4])], [0]);
    check((xs, c0) => {
      const [c, ys] = np.scan((c: NDArray, row: NDArray) => [c.add(row).mul(0.5), c.sum()], c0, xs);
      return [c, ys];
    }, [f32([3, 6, 2]), f32([2], 5)], [0, null], [0, 1]);
    check((xs) => np.scan((c: NDArray, row: NDArray) => [c.add(row), row.mul(2)], np.zeros([2]), xs)[1], [f32([6, 3, 2])], [1]);
  });
  it("whileLoop with a batched condition runs until every lane is done and freezes finished lanes", () => {
    const f = (x: NDArray) => np.whileLoop((c: { v: NDArray; k: NDArray }) => c.v.sum().less(8), (c: { v: NDArray; k: NDArray }) => ({ v: c.v.add(1).mul(1.25), k: c.k.add(1) }), { v: x, k: np.array(0, "int32") });
    check((x) => { const r = f(x); return [r.v, r.k]; }, [f32([5, 3]).mul(4)], [0]);
    // An unbatched condition with batched carries.
    check((x) => np.whileLoop((c: [NDArray, NDArray]) => c[1].less(3), (c: [NDArray, NDArray]) => [c[0].mul(c[0]).sub(0.5), c[1].add(1)] as [NDArray, NDArray], [x, np.array(0, "int32")])[0], [f32([4, 2])], [0]);
  });
  it("cond with a batched predicate selects per lane; an unbatched one picks a branch", () => {
    const g = (x: NDArray, t: NDArray) => np.cond(x.sum().greater(t), (v: NDArray) => v.exp(), (v: NDArray) => v.mul(t), x);
    check(g, [f32([6, 3]), np.array(0.2, "float32")], [0, null]);
    check(g, [f32([6, 3]), f32([6]).mul(0)], [null, 0]);
    check((x, t) => np.cond(t.greater(0), (v: NDArray) => v.exp(), (v: NDArray) => v.neg(), x), [f32([4, 3]), np.array(1, "float32")], [0, null]);
  });
});

describe("vmap: composition", () => {
  it("vmap(vmap(f)), vmap(jit(f)) and jit(vmap(f)) agree with the loops", () => {
    const f = (x: NDArray, y: NDArray) => np.matmul(x, y).tanh().sum(0);
    const x = f32([2, 3, 4, 5]);
    const y = f32([5, 2], 3);
    const want = np.stack([0, 1].map((a) => np.stack([0, 1, 2].map((b) => f(x.slice(a, b), y)))));
    const vv = vmap(vmap(f, { inAxes: [0, null] }), { inAxes: [0, null] });
    same(vv(x, y), want);
    same(jit(vv, { tier: "wasm" })(x, y), want);
    same(vmap(vmap(jit(f), { inAxes: [0, null] }), { inAxes: [0, null] })(x, y), want);
    // The outer vmap maps axis 1: the inner one sees rows of the example.
    const swapped = vmap(vmap(f, { inAxes: [0, null], outAxes: 1 }), { inAxes: [1, null] });
    same(swapped(x, y), np.stack([0, 1, 2].map((b) => np.stack([0, 1].map((a) => f(x.slice(a, b), y)), 1))));
  });
  it("under jit, a traced number is an unbatched argument (inAxes null) keeping its weak type", () => {
    const f = (x: NDArray, k: number) => vmap((a: NDArray, c: number) => a.mul(c).add(1), { inAxes: [0, null] })(x, k);
    const x = f32([3, 2]);
    const j = jit(f, { tier: "js" });
    same(j(x, 2.5), x.mul(2.5).add(1));
    same(j(x, 0.5), x.mul(0.5).add(1));
    expect(j.inspect().signatures.length).toBe(1);
    expect(j(x, 2).dtype).toBe("float32");
  });
  it("a jitted batched program is one ordinary program with one loop", () => {
    const sim = (g: NDArray) => np.forLoop(0, 100, (_i, v: NDArray) => v.mul(0.9).add(g), np.zeros([8]));
    const j = jit(vmap(sim), { tier: "js" });
    j(np.linspace(0, 1, 5));
    const s = j.inspect().signatures[0]!;
    expect(s.ir).toMatch(/loop\[lo=0 hi=100/);
    expect(s.ir).toMatch(/f32\[5,8\]/);
  });
});

describe("vmap: axes, sizes, Variables and random", () => {
  it("inAxes and outAxes trees, negative axes, null", () => {
    const f = (p: { a: NDArray; b: NDArray }, s: NDArray) => ({ y: p.a.mul(p.b).add(s), z: s.mul(2) });
    const a = f32([3, 4]);
    const b = f32([4, 3], 2);
    const s = np.array(0.5, "float32");
    const r = vmap(f, { inAxes: [{ a: 0, b: -1 }, null], outAxes: { y: -1, z: null } })({ a, b }, s);
    same(r.y, np.stack([0, 1, 2].map((i) => a.slice(i).mul(b.slice(null, i)).add(s)), 1));
    same(r.z, s.mul(2));
    // An unbatched result with an output axis is broadcast along it.
    same(vmap((x: NDArray) => [x.sum(), np.array(1, "float32")])(a)[1], np.ones([3]));
  });
  it("errors: disagreeing batch sizes name the arguments; null outAxes of a batched result; structure mismatches", () => {
    const f = (x: NDArray, y: NDArray) => x.add(y);
    expect(() => vmap(f)(np.ones([3, 2]), np.ones([4, 2]))).toThrow(ShapeError);
    expect(() => vmap(f)(np.ones([3, 2]), np.ones([4, 2]))).toThrow(/args\[0\] has size 3 along axis 0, args\[1\] has size 4 along axis 0/);
    expect(() => vmap(f, { outAxes: null })(np.ones([3, 2]), np.ones([3, 2]))).toThrow(/outAxes is null for result, but it depends on the batched arguments/);
    expect(() => vmap(f, { inAxes: [0] })(np.ones([3]), np.ones([3]))).toThrow(/inAxes has 1 entries but the function was called with 2 arguments/);
    expect(() => vmap(f, { inAxes: [0, 2] })(np.ones([3]), np.ones([3]))).toThrow(ArgumentError);
    expect(() => vmap(f, { inAxes: null })(np.ones([3]), np.ones([3]))).toThrow(/no argument is batched/);
    expect(() => vmap((x: NDArray, k: number) => x.mul(k))(np.ones([3]), 2)).toThrow(/args\[1\], a number \(rank 0\); give it inAxes null/);
    same(vmap((x: NDArray, k: number) => x.mul(k), { inAxes: [0, null] })(np.ones([3]), 2), np.full([3], 2));
    expect(() => vmap(f, { inAxes: [{ a: 0 }, 0] })(np.ones([3]), np.ones([3]))).toThrow(/inAxes gives a record \{a\} for args\[0\], which is an array of shape \[3\]/);
  });
  it("reads Variables; assigning one is a clear error saying how to batch state", () => {
    const w = new Variable(np.linspace(0, 1, 4));
    check((x) => x.mul(w), [f32([3, 4])], [0]);
    const v = new Variable(np.zeros([4]));
    const step = (x: NDArray) => {
      v.value = v.add(x);
      return v.value;
    };
    expect(() => vmap(step)(f32([3, 4]))).toThrow(/assigns Variable#\d+ \(float32\[4\]\).*v\.value = vmap\(step\)\(v\.value/);
    expect(() => jit(vmap(step))(f32([3, 4]))).toThrow(ArgumentError);
  });
  it("np.random: each lane draws its own numbers, the same in eager mode and every tier, and the stream moves past all lanes", () => {
    const f = (x: NDArray) => x.add(np.random.normal([4])).add(np.random.uniform([4]));
    const run = (g: (x: NDArray) => NDArray) => {
      np.random.seed(7);
      const r = g(np.zeros([3, 4]));
      return [r, np.random.uniform([2])] as const;
    };
    const [want, next] = run(vmap(f));
    const rows = [0, 1, 2].map((b) => bits(want.slice(b)));
    expect(new Set(rows.map((r) => r.join())).size).toBe(3);
    for (const tier of TIERS) {
      const [r, nx] = run(jit(vmap(f), { tier }));
      same(r, want, tier);
      same(nx, next, tier);
    }
    // The next draw starts after all lanes' blocks: after 3 lanes of 4 normals and 4 uniforms.
    np.random.seed(7);
    np.random.normal([12]);
    np.random.uniform([12]);
    same(np.random.uniform([2]), next);
    // Nested: every lane of both levels its own numbers; the stream moves past all 2 x 3 blocks.
    const nested = vmap(vmap((x: NDArray) => x.add(np.random.uniform([2]))));
    np.random.seed(9);
    const u = nested(np.zeros([2, 3, 2]));
    const after = np.random.uniform([1]);
    expect(new Set([0, 1].flatMap((a) => [0, 1, 2].map((b) => bits(u.slice(a, b)).join()))).size).toBe(6);
    np.random.seed(9);
    same(u.reshape(12), np.random.uniform([12]));
    same(np.random.uniform([1]), after);
    np.random.seed(9);
    same(jit(nested, { tier: "wasm" })(np.zeros([2, 3, 2])), u);
    // In a loop with a batched condition and a batched cond.
    const g = (x: NDArray) => np.whileLoop((c: NDArray) => c.sum().less(x.sum().add(3)), (c: NDArray) => c.add(np.random.uniform([2])), np.zeros([2]));
    const h = (x: NDArray) => np.cond(x.sum().greater(0), (v: NDArray) => v.add(np.random.uniform([2])), (v: NDArray) => v.sub(np.random.normal([2])), x);
    for (const k of [g, h]) {
      np.random.seed(3);
      const e = vmap(k)(f32([5, 2]));
      for (const tier of TIERS) {
        np.random.seed(3);
        same(jit(vmap(k), { tier })(f32([5, 2])), e, tier);
      }
    }
  });
});
