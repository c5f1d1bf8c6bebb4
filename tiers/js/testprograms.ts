// Test support (imported only by *.test.ts): traces a function into an optimised
// Program the way jit() does, so fusion and tier-1 tests can work on real programs
// without going through the signature cache. Also the bit-exact comparison helper.

import type { TypedArray } from "../../ir/dtype.js";
import { optimize } from "../../ir/passes/index.js";
import type { Program } from "../../ir/program.js";
import { NDArray } from "../../vm/ndarray.js";
import { Trace, withTrace } from "../../vm/trace.js";

/** Traces `fn` on `args` (NDArrays become inputs); returns the optimised program and the input buffers. */
export function traceProgram(fn: (...xs: NDArray[]) => NDArray | NDArray[] | void, args: readonly NDArray[]): { program: Program; inputs: TypedArray[] } {
  const t = new Trace("test");
  const traced = args.map((a, i) => t.input(a, `args[${i}]`));
  const res = withTrace(t, () => fn(...traced));
  const outs = res === undefined ? [] : Array.isArray(res) ? res : [res];
  const { program, inputVars } = t.finish(outs.map((o) => o._id), outs.map((_, i) => `result[${i}]`));
  const inputs = [...args.map((a) => a._data!), ...inputVars.map((v) => v._data!)];
  return { program: optimize(program), inputs };
}

/** Every element as a string that tells -0 from 0 and shows NaN, for bit-exact `toEqual`. */
export function bits(a: ArrayLike<number>): string[] {
  return Array.from(a, (x) => (Object.is(x, -0) ? "-0" : String(x)));
}
