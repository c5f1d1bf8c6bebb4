import { describe, expect, it } from "vitest";
import { grad, jit, np, valueAndGrad, vmap, type NDArray, type TierName } from "../../index.js";

const TIERS: TierName[] = ["interpreter", "js", "wasm"];
const bits = (a: NDArray) => Array.from(a.toTypedArray(), (x) => (Object.is(x, -0) ? "-0" : String(x)));
const same = (got: NDArray, want: NDArray, what = "") => {
  expect(got.shape, what).toEqual(want.shape);
  expect(bits(got), what).toEqual(bits(want));
};

const loss = (w: NDArray, x: NDArray, y: NDArray) => np.log(np.add(1, np.exp(y.mul(np.dot(x, w)).neg())));
const X = np.linspace(-1, 1, 24).astype("float32").reshape(6, 4).sin();
const Y = np.array([1, -1, 1, 1, -1, -1], "int32");
const w = np.array([0.5, -0.25, 1, 0.125], "float32");

describe("vmap with grad", () => {
  it("per-example gradients: vmap(grad(loss), { inAxes: [null, 0, 0] }) = grad per example, stacked, in every tier", () => {
    const want = np.stack([0, 1, 2, 3, 4, 5].map((i) => grad(loss)(w, X.slice(i), Y.slice(i))));
    const g = vmap(grad(loss), { inAxes: [null, 0, 0] });
    same(g(w, X, Y), want, "eager");
    for (const tier of TIERS) same(jit(g, { tier })(w, X, Y), want, tier);
    // valueAndGrad inside: both results batched.
    const [v, gv] = vmap(valueAndGrad(loss), { inAxes: [null, 0, 0] })(w, X, Y) as [NDArray, NDArray];
    same(gv, want);
    same(v, np.stack([0, 1, 2, 3, 4, 5].map((i) => loss(w, X.slice(i), Y.slice(i)))));
  });
  it("grad of a batched function: grad outside vmap equals grad of the hand-broadcast function", () => {
    const total = (v: NDArray) => vmap(loss, { inAxes: [null, 0, 0] })(v, X, Y).sum();
    const byHand = (v: NDArray) => np.log(np.add(1, np.exp(Y.mul(np.dot(X, v)).neg()))).sum();
    const g = grad(total)(w);
    const h = grad(byHand)(w);
    Array.from(g.toTypedArray()).forEach((x, i) => expect(x).toBeCloseTo(h.toTypedArray()[i]!, 5));
    for (const tier of TIERS) same(jit(grad(total), { tier })(w), g, tier);
  });
  it("vmap over the weights: a batch of models' gradients on the same data", () => {
    const W = np.stack([w, w.mul(-1), w.add(0.5)]);
    const full = (v: NDArray) => np.log(np.add(1, np.exp(Y.mul(np.dot(X, v)).neg()))).sum();
    const want = np.stack([0, 1, 2].map((i) => grad(full)(W.slice(i))));
    same(vmap(grad(full))(W), want);
    same(jit(vmap(grad(full)), { tier: "wasm" })(W), want);
  });
});
