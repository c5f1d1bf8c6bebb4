// Structured control flow and random draws lowered to wasm (tiers/wasm/control.ts,
// random.ts): every case runs eagerly, pinned to tier 0 and pinned to tier 2, and all
// three must agree bit for bit; the tier-2 signature must really be in wasm (no
// fallback) with the loop in its WAT.

import { describe, expect, it } from "vitest";
import { jit, np, NDArray, Variable } from "../../index.js";

const bits = (a: NDArray) => Array.from(a.toTypedArray(), (v) => (Object.is(v, -0) ? "-0" : String(v)));

function leaves(r: unknown): NDArray[] {
  if (r instanceof NDArray) return [r];
  if (Array.isArray(r)) return r.flatMap(leaves);
  if (r && typeof r === "object") return Object.values(r).flatMap(leaves);
  return [];
}

/**
 * Runs `setup()` then `fn(...args)` eagerly, in tier 0 and in tier 2; compares the
 * results and the Variables `state()` returns. `setup` resets Variables and seeds.
 */
function agree<A extends unknown[]>(fn: (...a: A) => unknown, args: A, setup: () => void = () => {}, state: () => NDArray[] = () => []): string {
  const runs = (["eager", "interpreter", "wasm"] as const).map((tier) => {
    setup();
    const staticArgnums = args.flatMap((a, i) => (typeof a === "number" ? [i] : [])); // the tests' numbers are loop bounds
    const f = tier === "eager" ? fn : jit(fn, { tier, staticArgnums });
    const out = leaves(f(...args)).concat(state()).map(bits);
    if (tier === "wasm") {
      const sig = (f as ReturnType<typeof jit>).inspect().signatures[0]!;
      expect(sig.tier).toBe("wasm");
      expect(sig.events.map((e) => e.reason).join("\n")).not.toContain("unavailable");
      return { out, wat: sig.wat! };
    }
    return { out, wat: "" };
  });
  expect(runs[1]!.out).toEqual(runs[0]!.out);
  expect(runs[2]!.out).toEqual(runs[0]!.out);
  return runs[2]!.wat;
}

/** The WAT of the loop-iteration functions only (the caller's initial carry copies are in k0). */
const iterationWat = (wat: string) => wat.slice(wat.indexOf("(func $it"), wat.indexOf("(func $k0"));
/** Region copies are the only `align=1` v128 loads tier 2 emits (movement.ts). */
const copies = (wat: string) => (wat.match(/v128\.load offset=\d+ align=1/g) ?? []).length;

describe("tier 2 computes loop carries in place where nothing needs the old value", () => {
  it("an elementwise update of every carry needs no copy-back", () => {
    const v = new Variable(np.linspace(-1, 1, 64));
    const w = new Variable(np.zeros([64], "int32"));
    const f = () => np.forLoop(0, 20, () => {
      const up = v.greater(0);
      v.value = np.where(up, v.mul(0.5), v.add(0.3));
      w.value = w.add(up.astype("int32"));
    });
    const wat = agree(f, [], () => { v.value = np.linspace(-1, 1, 64); w.value = np.zeros([64], "int32"); }, () => [v, w]);
    expect(copies(iterationWat(wat))).toBe(0);
  });

  it("but not when a later kernel, a matmul's main loop, or a y slice reads the old value", () => {
    const W = np.array([[0.5, -1, 0.25, 2, 1], [0.25, 2, -0.5, 1, 0], [1, 1, 1, 1, 1], [0, -1, 0, 1, 0], [3, 0, 0, 0, -3]]);
    // h is read by the matvec while the new h is written; s reads the old h after the new one exists.
    const f = (x: NDArray) => np.forLoop(0, 6, (_i, c: [NDArray, NDArray]): [NDArray, NDArray] => [np.tanh(np.dot(W, c[0])), c[1].add(c[0].sum()).mul(0.5)], [x, np.array(0)]);
    agree(f, [np.array([1, -2, 3, 0.5, 0])]);
    const m = (x: NDArray) => np.forLoop(0, 6, (_i, h: NDArray) => np.dot(W, h), x);
    agree(m, [np.array([[1, 2], [-2, 0], [3, 1], [0.5, 0.5], [0, 1]])]);
    const g = (x: NDArray) => np.scan((c: NDArray, _x: undefined) => [c.mul(-1).add(1), c], x, undefined, 5);
    agree(g, [np.array([1, -2, 3, 0.5, 0, 0, 7])]);
    const r = (x: NDArray) => np.forLoop(0, 4, (_i, c: NDArray) => c.mul(2).add(c.reshape([2, 3]).transpose().reshape([6])), x);
    agree(r, [np.arange(6).astype("float32")]);
  });
});

describe("tier 2 runs control flow natively", () => {
  it("forLoop with a tree of carries", () => {
    const f = (x: NDArray, n: number) =>
      np.forLoop(0, n, (i, c: { acc: NDArray; k: NDArray; pair: [NDArray, NDArray] }) => ({
        acc: c.acc.mul(1.5).add(i.astype("float32")).tanh(),
        k: c.k.add(i),
        pair: [c.pair[1], c.pair[0]] as [NDArray, NDArray], // swapped every iteration: the copy-back must stage
      }), { acc: x, k: np.array(0, "int32"), pair: [np.array([1, 2, 3]), np.array([-1, -2, -3])] as [NDArray, NDArray] });
    const wat = agree(f, [np.linspace(-2, 2, 7), 25]);
    expect(wat).toContain("(loop");
    agree(f, [np.linspace(-2, 2, 9), 0]);
    agree(f, [np.linspace(-2, 2, 9), 3]);
  });

  it("forLoop carrying Variables", () => {
    const v = new Variable(np.zeros([13]));
    const w = new Variable(np.ones([13]));
    const step = () => np.forLoop(2, 12, (i) => {
      v.value = v.add(w).mul(0.5).sin();
      w.value = w.add(i.astype("float32")).reshape(13);
    });
    agree(step, [], () => {
      v.value = np.linspace(-1, 1, 13);
      w.value = 1;
    }, () => [v.value, w.value]);
  });

  it("scan over xs and scan with a length only", () => {
    const cumsum = (xs: NDArray) => np.scan((c: NDArray, x: NDArray) => [c.add(x), c.add(x).mul(2)], np.zeros([3]), xs);
    agree(cumsum, [np.arange(21).reshape(7, 3)]);
    const bools = (xs: NDArray) => np.scan((c: NDArray, x: NDArray) => [c.add(x.astype("int32")), x], np.zeros([5], "int32"), xs);
    agree(bools, [np.arange(30).reshape(6, 5).greater(12)]);
    const counter = (n: number) => np.scan((c: NDArray) => [c.add(1), c.mul(c)], np.array(0, "float64"), undefined, n);
    agree(counter, [9]);
  });

  it("whileLoop", () => {
    const collatz = (n: NDArray) =>
      np.whileLoop(
        (c: { n: NDArray; steps: NDArray }) => c.n.greater(1),
        (c) => ({ n: np.where(c.n.mul(0.5).floor().mul(2).equal(c.n), c.n.mul(0.5), c.n.mul(3).add(1)), steps: c.steps.add(1) }),
        { n, steps: np.array(0, "int32") },
      );
    agree(collatz, [np.array(27)]);
    agree(collatz, [np.array(1)]);
  });

  it("cond with a Variable assigned in one branch", () => {
    const v = new Variable(np.array([1, 2, 3, 4, 5]));
    const f = (p: NDArray, x: NDArray) => np.cond(p, (a: NDArray) => {
      v.value = v.mul(a.sum());
      return a.mul(2);
    }, (a: NDArray) => a.neg(), x);
    for (const p of [true, false]) agree(f, [np.array(p), np.array([1, 2, 3])], () => (v.value = np.array([1, 2, 3, 4, 5])), () => [v.value]);
  });

  it("random inside loops draws the same stream as eager", () => {
    const g = () => np.forLoop(0, 5, (_i, acc: NDArray) => acc.add(np.random.normal([7])).mul(0.9).add(np.random.random([2, 3]).sum()), np.zeros([7]));
    agree(g, [], () => np.random.seed(3));
    const draws = () => [np.random.normal([1, 9]), np.random.random([11]), np.random.normal([4, 4])];
    agree(draws, [], () => np.random.seed(-77));
  });

  it("nested loops", () => {
    const f = (x: NDArray) =>
      np.forLoop(0, 4, (i, outer: NDArray) => {
        const inner = np.forLoop(0, 3, (j, c: NDArray) => c.add(j.astype("float32").mul(i.astype("float32"))).mul(0.75), outer);
        const s = np.whileLoop((c: NDArray) => c.less(10), (c) => c.add(3), np.array(0));
        return inner.add(s);
      }, x);
    const wat = agree(f, [np.linspace(0, 1, 6)]);
    expect(wat.match(/\(loop/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it("movement ops inside a loop: transpose, broadcast, matmul", () => {
    const W = np.array([[0.5, -1, 0.25], [0.25, 2, -0.5]]);
    const f = (x: NDArray) => np.forLoop(0, 6, (_i, h: NDArray) => np.tanh(np.dot(W.transpose(), np.dot(W, h))).add(np.array([[1], [2]]).broadcastTo([2, 3]).sum(0)), x);
    agree(f, [np.array([1, 2, 3])]);
  });
});

it("a long loop started in tier 0 moves on by OSR (to wasm, skipping a tier that does not take loops)", () => {
  const sim = (x: NDArray) => np.forLoop(0, 3000, (i, c: NDArray) => c.mul(0.999).add(np.sin(i.astype("float32")).mul(0.01)), x);
  const x = np.linspace(0, 1, 33);
  const f = jit(sim, { osr: { iterations: 100, ms: 1e9 }, hot: { js: { calls: 1e9, ms: 1e9 } } });
  expect(bits(f(x))).toEqual(bits(sim(x)));
  const osr = f.inspect().signatures[0]!.events.filter((e) => e.reason.startsWith("on-stack replacement of a loop"));
  expect(osr.length).toBeGreaterThan(0);
  expect(osr[0]!.to).not.toBe("interpreter");
});
