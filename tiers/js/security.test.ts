// Generated code never contains a string from the user: hostile argument keys,
// output keys, static strings and function names must not reach the source, and
// hostile numbers (NaN, -0, huge) are written as exact numeric literals. And if the
// environment refuses `new Function` (a content-security policy), tier 1 is skipped
// with an inspect() event, never an error.

import { afterEach, describe, expect, it } from "vitest";
import { TierUnavailableError } from "../../ir/errors.js";
import { jit, np, type NDArray } from "../../index.js";
import { compileJs, resetKernelCache } from "./index.js";
import { traceProgram } from "../../testing/programs.js";

const EVIL = '"); process.exit(1); //';
const EVIL2 = "*/ throw new Error('pwned') /*";
const EVIL3 = "${globalThis.pwned = 1}";

describe("generated source", () => {
  it("contains no user names, keys or strings", () => {
    const obj = { [EVIL]: np.array([1, -0, NaN]), nested: { [EVIL2]: np.array([2, 3, 4]) }, tag: EVIL3 };
    const f = jit(function evil(args: typeof obj, label: string) {
      const a = args[EVIL]!;
      const b = args.nested[EVIL2]!;
      return { [EVIL]: a.mul(b).add(-0).mul(1e308), [EVIL2]: { [label]: np.where(a.greater(b), a, NaN).sum() } };
    }, { tier: "js", name: EVIL });
    const out = f(obj, EVIL3) as Record<string, any>;
    expect(Array.from(out[EVIL].toTypedArray() as Float32Array)).toEqual([Infinity, NaN, NaN]); // f32(1e308) = Inf, -0 * Inf = NaN
    expect(out[EVIL2][EVIL3].toArray()).toBeNaN();
    const js = f.inspect().signatures[0]!.js!;
    expect(js).toBeTruthy();
    for (const s of [EVIL, EVIL2, EVIL3, "process", "pwned", "args", "nested", "evil"]) expect(js).not.toContain(s);
    expect((globalThis as any).pwned).toBeUndefined();
  });
  it("writes every constant as an exact literal", () => {
    const consts = [NaN, -0, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, -1e-7, 0.1];
    const { program, inputs } = traceProgram((x: NDArray) => consts.reduce((acc, c) => acc.add(np.array([c], "float64").reshape([])), x), [np.zeros([3], "float64")]);
    const got = compileJs(program).run(inputs, []);
    const want = consts.reduce((acc, c) => acc + c, 0);
    expect(Object.is(got[0]![0], want)).toBe(true);
  });
});

describe("content-security policy", () => {
  const realFunction = globalThis.Function;
  afterEach(() => {
    globalThis.Function = realFunction;
  });
  const refuse = () => {
    resetKernelCache();
    globalThis.Function = function () {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source");
    } as unknown as FunctionConstructor;
  };
  it("compile throws TierUnavailableError", () => {
    const { program } = traceProgram((x: NDArray) => x.mul(2), [np.ones([4])]);
    refuse();
    expect(() => compileJs(program)).toThrow(TierUnavailableError);
  });
  it("promotion skips tier 1 with an event and stays in tier 0", () => {
    refuse();
    const f = jit((x: NDArray) => x.mul(3).add(1), { hot: { js: { calls: 2 } }, maxTier: "js" });
    const x = np.ones([8]);
    for (let i = 0; i < 5; i++) expect(f(x).toArray()).toEqual(new Array(8).fill(4));
    const s = f.inspect().signatures[0]!;
    expect(s.tier).toBe("interpreter");
    expect(s.events.at(-1)!.reason).toMatch(/js unavailable: .*new Function is refused/);
  });
  it("promotion climbs past a refused tier 1 to tier 2 (a CSP with 'wasm-unsafe-eval' but not 'unsafe-eval')", () => {
    refuse();
    const f = jit((x: NDArray) => x.mul(3).add(1), { hot: { js: { calls: 2 }, wasm: { calls: 3 } } });
    const x = np.ones([8]);
    // No call waits for binaryen: call until the background compile lands.
    const end = performance.now() + 30_000;
    while (f.inspect().tier !== "wasm" && performance.now() < end) expect(f(x).toArray()).toEqual(new Array(8).fill(4));
    const s = f.inspect().signatures[0]!;
    expect(s.tier, s.events.map((e) => e.reason).join("\n")).toBe("wasm");
    expect(s.events.map((e) => `${e.from}->${e.to}`)).toEqual(["null->interpreter", "interpreter->interpreter", "interpreter->wasm"]);
    expect(f(x).toArray()).toEqual(new Array(8).fill(4));
  });
  it("a signature pinned to tier 1 falls back to tier 0 with an event", () => {
    refuse();
    const f = jit((x: NDArray) => x.mul(3), { tier: "js" });
    expect(f(np.ones([2])).toArray()).toEqual([3, 3]);
    const s = f.inspect().signatures[0]!;
    expect(s.tier).toBe("interpreter");
    expect(s.events.map((e) => e.reason).join("\n")).toMatch(/js unavailable/);
  });
});
