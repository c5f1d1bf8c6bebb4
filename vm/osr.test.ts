// On-stack replacement, shown with a stand-in "js" tier (the interpreter under another
// name) so the mechanism is tested apart from any real tier: a long loop hands its
// live carries to the next tier mid-call, the result is unchanged, and inspect() says
// at which iteration it happened.
import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "../index.js";
import { interpreterTier } from "../tiers/interpreter/index.js";
import type { Executable, Tier } from "../tiers/tier.js";
import { registerTier } from "./tiers.js";

const compiled: string[] = [];
const standIn: Tier = {
  name: "js",
  compile(program, profile): Executable {
    compiled.push(program.body.map((i) => i.op).join(","));
    const inner = interpreterTier.compile(program, profile, {}); // a real tier would offer its own OSR from "js"
    return { tier: "js", run: (i, d) => inner.run(i, d), describe: () => inner.describe() };
  },
};
registerTier(standIn);

const sim = (x: NDArray) => np.forLoop(0, 300, (i, c: NDArray) => c.mul(0.99).add(np.sin(i.astype("float32"))), x);

describe("on-stack replacement", () => {
  it("moves a long loop to the next tier mid-call and keeps the bits", () => {
    const x = np.linspace(0, 1, 9);
    const f = jit(sim, { osr: { iterations: 50, ms: 1e9 }, hot: { js: { calls: 1e9, ms: 1e9 } } });
    const out = f(x);
    expect(Array.from(out.toTypedArray())).toEqual(Array.from(sim(x).toTypedArray()));
    const ev = f.inspect().signatures[0]!.events;
    expect(ev.map((e) => [e.from, e.to])).toEqual([[null, "interpreter"], ["interpreter", "js"]]);
    expect(ev[1]!.reason).toBe("on-stack replacement of a loop at iteration 50");
    expect(compiled.at(-1)).toBe("loop");
    expect(f.inspect().signatures[0]!.tier).toBe("interpreter"); // the signature itself has not been promoted
  });
  it("is off with osr: false or when the next tier is out of reach", () => {
    const x = np.ones([3]);
    const f = jit(sim, { osr: false, hot: { js: { calls: 1e9, ms: 1e9 } } });
    f(x);
    expect(f.inspect().signatures[0]!.events.length).toBe(1);
    const g = jit(sim, { maxTier: "interpreter", osr: { iterations: 10 } });
    g(x);
    expect(g.inspect().signatures[0]!.events.length).toBe(1);
  });
});
