// Hot signatures reach tier 2 both inside a tight synchronous loop (which never yields
// to the event loop: the runtime polls the compile worker at call time and finally
// waits for it) and in an async program; inspect() then shows the WAT and the
// compile time. Also: WAT snapshots of the golden programs, and a Variable resident
// in wasm memory staying correct when read and written around tier-2 calls.

import { describe, expect, it } from "vitest";
import { jit, np, Variable, type NDArray } from "../../index.js";
import { LogisticRegression, gelu, regressionData } from "../../perf/workloads.js";

function tierOf(f: { inspect(): { signatures: { tier: string }[] } }): string {
  return f.inspect().signatures[0]?.tier ?? "none";
}

describe("promotion to tier 2", () => {
  it("happens inside a tight synchronous loop", () => {
    const f = jit((x: NDArray) => gelu(x).add(1));
    const x = np.random.normal([256]);
    let i = 0;
    while (tierOf(f) !== "wasm" && i < 100_000) {
      f(x);
      i++;
    }
    const sig = f.inspect().signatures[0]!;
    expect(sig.tier).toBe("wasm");
    expect(sig.wat).toContain("f32x4");
    const ev = sig.events.at(-1)!;
    expect(ev.to).toBe("wasm");
    expect(ev.compileMs).toBeGreaterThan(0);
    expect(f.explain()).toContain("-> wasm");
  });

  it("happens in an async program without blocking a call", async () => {
    const f = jit((x: NDArray) => gelu(x).mul(2));
    const x = np.random.normal([256]);
    for (let i = 0; i < 200 && tierOf(f) !== "wasm"; i++) {
      f(x);
      await new Promise((r) => setTimeout(r, 5));
    }
    const sig = f.inspect().signatures[0]!;
    expect(sig.tier).toBe("wasm");
    expect(sig.events.at(-1)!.reason).not.toContain("waited");
  });

  it("keeps a Variable resident and correct across tiers", () => {
    const v = new Variable(np.zeros([7]));
    const step = jit((x: NDArray) => {
      v.value = v.value.add(x);
      return v.value.sum();
    }, { tier: "wasm" });
    const x = np.ones([7]);
    for (let i = 0; i < 3; i++) step(x);
    expect(v.toArray()).toEqual([3, 3, 3, 3, 3, 3, 3]);
    v.value = np.full([7], 10); // an eager write lands in the resident buffer
    expect(step(x).item()).toBe(77);
    const t0 = jit(() => v.value.mul(2), { tier: "interpreter" });
    expect(t0().toArray()).toEqual([22, 22, 22, 22, 22, 22, 22]);
  });
});

describe("WAT snapshots", () => {
  it("gelu", () => {
    const f = jit(gelu, { tier: "wasm" });
    f(np.random.normal([1003]));
    expect(f.inspect().signatures[0]!.wat).toMatchSnapshot();
  });
  it("logistic-regression step", () => {
    const { X, Y } = regressionData(1001, 10, 3);
    const f = jit(new LogisticRegression(X, Y), { tier: "wasm" });
    f();
    expect(f.inspect().signatures[0]!.wat).toMatchSnapshot();
  });
});
