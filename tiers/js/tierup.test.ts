// The tier-up policy as it concerns tier 1: promotion by calls, by cumulative time in
// the tier (one long call is as hot as many short ones), pinning with `tier: "js"`,
// capping with `maxTier`, and compile time reported in inspect() events and the log.

import { describe, expect, it } from "vitest";
import { jit, np, setLogging, type NDArray } from "../../index.js";
import { DEFAULT_HOTNESS } from "../../vm/tiers.js";

const f = (x: NDArray) => np.tanh(x.mul(2)).add(x);

describe("tier-up to js", () => {
  it("promotes after the call threshold, with the compile time in the event", () => {
    const g = jit(f, { maxTier: "js", hot: { js: { calls: 4, ms: 1e9 } } });
    const x = np.ones([16]);
    const want = f(x).toArray();
    for (let i = 0; i < 3; i++) g(x);
    expect(g.inspect().signatures[0]!.tier).toBe("interpreter");
    g(x);
    const s = g.inspect().signatures[0]!;
    expect(s.tier).toBe("js");
    const e = s.events.at(-1)!;
    expect(e).toMatchObject({ call: 4, from: "interpreter", to: "js" });
    expect(e.reason).toMatch(/4 calls in interpreter/);
    expect(e.compileMs).toBeGreaterThan(0);
    expect(s.js).toMatch(/elementwiseKernel/);
    expect(g(x).toArray()).toEqual(want);
  });
  it("promotes a single long call by time", () => {
    const g = jit(f, { maxTier: "js", hot: { js: { calls: 1e9, ms: 0.001 } } });
    g(np.ones([50_000]));
    const s = g.inspect().signatures[0]!;
    expect(s.tier).toBe("js");
    expect(s.events.at(-1)!.reason).toMatch(/ms in interpreter \(threshold 0.001 ms\)/);
  });
  it("stays below the thresholds", () => {
    const g = jit(f, { hot: { js: { calls: 100, ms: 1e9 } } });
    for (let i = 0; i < 10; i++) g(np.ones([4]));
    expect(g.inspect().signatures[0]!.tier).toBe("interpreter");
  });
  it("tier: 'js' compiles straight to tier 1; maxTier caps promotion", () => {
    const pinned = jit(f, { tier: "js" });
    pinned(np.ones([3]));
    expect(pinned.inspect().signatures[0]!.events[0]).toMatchObject({ from: null, to: "js" });
    for (let i = 0; i < 50; i++) pinned(np.ones([3]));
    expect(pinned.inspect().signatures[0]!.tier).toBe("js");
    const capped = jit(f, { maxTier: "js", hot: { js: { calls: 1 }, wasm: { calls: 1, ms: 0 } } });
    for (let i = 0; i < 20; i++) capped(np.ones([3]));
    expect(capped.inspect().signatures[0]!.tier).toBe("js");
    const floor = jit(f, { maxTier: "interpreter", hot: { js: { calls: 1 } } });
    for (let i = 0; i < 5; i++) floor(np.ones([3]));
    expect(floor.inspect().signatures[0]!.tier).toBe("interpreter");
  });
  it("promotion is per signature", () => {
    const g = jit(f, { maxTier: "js", hot: { js: { calls: 3, ms: 1e9 } } });
    for (let i = 0; i < 3; i++) g(np.ones([5]));
    g(np.ones([6]));
    const [a, b] = g.inspect().signatures;
    expect(a!.tier).toBe("js");
    expect(b!.tier).toBe("interpreter");
  });
  it("logs the promotion with its compile time", () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (lines.push(s), true)) as typeof process.stderr.write;
    setLogging(true);
    try {
      const g = jit(f, { name: "logged", maxTier: "js", hot: { js: { calls: 1 } } });
      g(np.ones([2]));
    } finally {
      setLogging(false);
      process.stderr.write = write;
    }
    expect(lines.join("")).toMatch(/logged\(f32\[2\]\): interpreter -> js at call 1 \(1 calls in interpreter.*compile [\d.]+ ms\)/);
  });
  it("has defaults for js", () => {
    expect(DEFAULT_HOTNESS.js.calls).toBeGreaterThan(0);
    expect(DEFAULT_HOTNESS.js.ms).toBeGreaterThan(0);
  });
});
