// The one-pass matvec → elementwise → vecmat kernel (onepass.ts) against tier 0, bit
// for bit: the regression step and other elementwise middles, every D around the
// lane count and past the in-register limit, row counts with and without a tail,
// float32 and float64; and it is one wasm function, not two.

import { describe, expect, it } from "vitest";
import { jit, np, Variable, type NDArray } from "../../index.js";
import { LogisticRegression, regressionData } from "../../perf/workloads.js";

const bits = (a: NDArray) => Array.from(a.toTypedArray(), (v) => (Object.is(v, -0) ? "-0" : String(v)));

function steps(make: () => { call(): void; w: Variable }, n: number, tier: "interpreter" | "wasm"): { w: string[]; wat: string } {
  const m = make();
  const f = jit(m, { tier });
  for (let i = 0; i < n; i++) f();
  const sig = f.inspect().signatures[0]!;
  expect(sig.tier).toBe(tier);
  return { w: bits(m.w.value), wat: sig.wat ?? "" };
}

describe("one-pass regression kernel", () => {
  it.each([
    [1, 1], [3, 2], [4, 4], [7, 5], [64, 10], [1001, 10], [37, 33], [50, 40], [9, 3],
  ])("N = %i, D = %i agrees with tier 0 over 3 steps", (N, D) => {
    const { X, Y } = regressionData(N, D, N + D);
    const make = () => new LogisticRegression(X.mul(D > 20 ? 3 : 30), Y);
    const want = steps(make, 3, "interpreter");
    const got = steps(make, 3, "wasm");
    expect(got.w).toEqual(want.w);
    expect(got.wat.match(/^ \(func \$/gm)!.length).toBe(1);
  });

  it("any elementwise middle and epilogue, float64, extra outputs", () => {
    for (const dt of ["float32", "float64"] as const) {
      for (const [N, D] of [[13, 6], [40, 9], [8, 36]] as const) {
        np.random.seed(N * D);
        const X = np.random.normal([N, D]).astype(dt);
        const b = np.random.normal([N]).astype(dt);
        const w = new Variable(np.random.normal([D]).astype(dt));
        const m = {
          w,
          call() {
            const z = np.dot(X, w.value);
            const g = np.where(z.greater(0), z.tanh(), z.mul(b)).add(b.mul(0.5));
            const u = np.dot(g, X);
            w.value = w.value.mul(0.9).sub(u.mul(0.01));
            return [z.sum(), u];
          },
        };
        const w0 = w.value;
        const run = (tier: "interpreter" | "wasm") => {
          w.value = w0;
          const f = jit(m, { tier });
          const outs = [0, 1].flatMap(() => (f() as NDArray[]).map(bits));
          expect(f.inspect().signatures[0]!.tier).toBe(tier);
          return [...outs, bits(w.value)];
        };
        expect(run("wasm")).toEqual(run("interpreter"));
      }
    }
  });
});
