import { inspect } from "node:util";
import { afterEach, expect, it, vi } from "vitest";
import { jit, np, setLogging, type NDArray } from "../index.js";

afterEach(() => setLogging(false));

it("TIERJIT_LOG logging reports traces and tier events on stderr", () => {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (lines.push(String(s)), true));
  setLogging(true);
  const f = jit(function scale(x: NDArray) {
    return x.mul(3);
  }, { maxTier: "js", hot: { js: { calls: 2, ms: 1e9 } } }); // by calls only: under load a first call can exceed 1 ms
  f(np.ones([4]));
  f(np.ones([4]));
  f(np.ones([5]));
  spy.mockRestore();
  expect(lines[0]).toMatch(/^\[tierjit\] trace scale\(f32\[4\]\): first call; 1 ops, compiled to interpreter in [\d.]+ ms/);
  expect(lines.some((l) => /scale\(f32\[4\]\): interpreter -> js at call 2/.test(l))).toBe(true);
  expect(lines.some((l) => /trace scale\(f32\[5\]\): args\[0\] is f32\[5\] \(cached: f32\[4\]\)/.test(l))).toBe(true);
});

it("node's util.inspect shows arrays like numpy", () => {
  expect(inspect(np.array([[1, 2], [3, 4]], "int32"))).toBe("array([[1, 2],\n       [3, 4]], dtype=int32)");
  expect(inspect(np.array([true, false]))).toBe("array([true, false], dtype=bool)");
  expect(String(np.arange(2000))).toMatch(/^array\(\[0\., 1\., 2\., \.\.\., 1997\., 1998\., 1999\.\], dtype=float32\)$/);
});
