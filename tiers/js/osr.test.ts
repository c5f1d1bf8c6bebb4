// On-stack replacement out of tier 1: a loop or while running in tier 1 offers its
// continuation as "js" after `osr.iterations` iterations, finishes in tier 2 mid-loop
// with tier 0's bits, asks at most once per executable and switches at the same
// iteration on later calls. Tested on the tier directly (a hook that compiles with the
// real wasm tier) and through jit(): interpreter -> js -> wasm within one call.

import { describe, expect, it } from "vitest";
import { jit, np, Variable, type NDArray } from "../../index.js";
import type { TypedArray } from "../../ir/dtype.js";
import type { Program } from "../../ir/program.js";
import { interpreterTier } from "../interpreter/index.js";
import type { Executable, OsrHook, TierName } from "../tier.js";
import { wasmTier } from "../wasm/index.js";
import { compileJs } from "./index.js";
import { bits, traceProgram } from "../../testing/programs.js";

const profile = { calls: 0, meanMs: 0 };

/** A hook handing continuations to the real wasm tier (or declining), recording every request and every run of what it returned. */
function wasmHook(iterations: number, decline = false) {
  const asked: { iteration: number; from: TierName; ops: string }[] = [];
  let runs = 0;
  const hook: OsrHook = {
    iterations,
    ms: 1e9,
    compile(cont: Program, iteration: number, from: TierName): Executable | undefined {
      asked.push({ iteration, from, ops: cont.body.map((i) => i.op).join(",") });
      if (decline) return undefined;
      const exec = wasmTier.compile(cont, profile);
      return { ...exec, tier: exec.tier, run: (i, d) => (runs++, exec.run(i, d)), describe: () => exec.describe() };
    },
  };
  return { hook, asked, runs: () => runs };
}

const all = (outs: TypedArray[]) => outs.map((o) => bits(o));

function check(fn: (...xs: NDArray[]) => NDArray | NDArray[], args: NDArray[], iterations: number, op: "loop" | "while", at: number) {
  const { program, inputs } = traceProgram(fn, args);
  const want = all(interpreterTier.compile(program, profile).run(inputs));
  const h = wasmHook(iterations);
  const exec = compileJs(program, profile, { osr: h.hook });
  expect(all(exec.run(inputs))).toEqual(want);
  expect(h.asked).toEqual([{ iteration: at, from: "js", ops: op }]);
  expect(h.runs()).toBe(1);
  // A second call reuses the continuation at the same iteration: no new request.
  expect(all(exec.run(inputs))).toEqual(want);
  expect(h.asked.length).toBe(1);
  expect(h.runs()).toBe(2);
}

describe("tier-1 OSR into tier 2", () => {
  it("forLoop: continues in wasm at the threshold iteration with tier 0's bits", () => {
    const x = np.linspace(-3, 3, 37);
    const f = (a: NDArray) => np.forLoop(0, 300, (i, c: NDArray) => c.mul(0.99).add(np.sin(i.astype("float32"))).tanh().add(a.mul(0.01)), a);
    check(f, [x], 40, "loop", 40);
  });
  it("forLoop from a non-zero start reports the loop index where wasm continues", () => {
    const f = (a: NDArray) => np.forLoop(5, 200, (i, c: NDArray) => c.mul(1.01).sub(i.astype("float32").mul(0.001)), a);
    check(f, [np.linspace(0, 1, 9)], 30, "loop", 35);
  });
  it("scan: the xs still to come and the ys already stacked survive the switch", () => {
    const xs = np.random.normal([120, 5]);
    const f = (x: NDArray) => np.scan((c: NDArray, row: NDArray) => [c.mul(0.9).add(row), np.exp(c).sum()], np.zeros([5]), x) as unknown as NDArray[];
    check(f, [xs], 17, "loop", 17);
  });
  it("whileLoop: continues in wasm from the current carries", () => {
    const x = np.array([0.5, 1, 1.5, NaN, -0, 1e-40, 3]);
    const f = (a: NDArray) =>
      np.whileLoop((c: { v: NDArray; n: NDArray }) => c.n.less(500), (c: { v: NDArray; n: NDArray }) => ({ v: np.cos(c.v).mul(1.1), n: c.n.add(1) }), { v: a, n: np.array(0, "int32") });
    const g = (a: NDArray) => { const r = f(a); return [r.v, r.n]; };
    check(g, [x], 64, "while", 64);
  });
  it("a declining hook is asked once and the loop finishes in tier 1", () => {
    const f = (a: NDArray) => np.forLoop(0, 100, (_i, c: NDArray) => c.mul(1.5).sqrt(), a);
    const { program, inputs } = traceProgram(f, [np.linspace(0, 4, 11)]);
    const want = all(interpreterTier.compile(program, profile).run(inputs));
    const h = wasmHook(10, true);
    const exec = compileJs(program, profile, { osr: h.hook });
    expect(all(exec.run(inputs))).toEqual(want);
    expect(all(exec.run(inputs))).toEqual(want);
    expect(h.asked.length).toBe(1);
  });
  it("a loop shorter than the threshold never asks", () => {
    const { program, inputs } = traceProgram((a: NDArray) => np.forLoop(0, 20, (_i, c: NDArray) => c.add(1), a), [np.ones([3])]);
    const h = wasmHook(20);
    compileJs(program, profile, { osr: h.hook }).run(inputs);
    expect(h.asked.length).toBe(0);
  });
});

describe("OSR chains through jit()", () => {
  const events = (g: { inspect(): { signatures: { events: { from: string | null; to: string; reason: string }[] }[] } }) =>
    g.inspect().signatures[0]!.events.map((e) => [e.from, e.to, e.reason]);

  it("one long forLoop call runs interpreter -> js -> wasm, updating a Variable, with eager's bits", () => {
    const run = (jitted: boolean) => {
      np.random.seed(9);
      const v = new Variable(np.linspace(-1, 1, 23));
      const sim = () => np.forLoop(0, 400, (i) => {
        v.value = v.mul(0.97).add(np.sin(i.astype("float32").mul(0.1))).add(np.random.normal([23]).mul(0.05));
      });
      const g = jit(sim, { osr: { iterations: 50, ms: 1e9 }, hot: { js: { calls: 1e9, ms: 1e9 }, wasm: { calls: 1e9, ms: 1e9 } } });
      (jitted ? g : sim)();
      return { v: bits(v.toTypedArray()), g };
    };
    const want = run(false).v;
    const { v, g } = run(true);
    expect(v).toEqual(want);
    expect(events(g)).toEqual([
      [null, "interpreter", expect.stringMatching(/^traced/)],
      ["interpreter", "js", "on-stack replacement of a loop at iteration 50"],
      ["js", "wasm", "on-stack replacement of a loop at iteration 100"],
    ]);
  });

  it("a whileLoop signature promoted to js moves to wasm mid-loop on a long call", () => {
    const f = (a: NDArray, limit: NDArray) => np.whileLoop((c: NDArray) => c.sum().less(limit.sum()), (c: NDArray) => c.mul(1.001).add(0.01), a);
    const g = jit(f, { osr: { iterations: 200, ms: 1e9 }, hot: { js: { calls: 1, ms: 1e9 }, wasm: { calls: 1e9, ms: 1e9 } } });
    const x = np.linspace(0, 1, 13);
    const short = np.array([10]);
    const long = np.array([60]);
    expect(bits(g(x, short).toTypedArray())).toEqual(bits(f(x, short).toTypedArray()));
    expect(g.inspect().signatures[0]!.tier).toBe("js");
    expect(bits(g(x, long).toTypedArray())).toEqual(bits(f(x, long).toTypedArray()));
    const ev = events(g);
    expect(ev.slice(1)).toEqual([
      ["interpreter", "js", "1 calls in interpreter (threshold 1)"],
      ["js", "wasm", "on-stack replacement of a loop at iteration 200"],
    ]);
    expect(g.inspect().signatures[0]!.tier).toBe("js"); // OSR finishes a call; promotion of the signature is separate
  });
});
