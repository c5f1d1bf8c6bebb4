// Test and benchmark support (testing/: imported by *.test.ts and perf/, never by tierjit itself): traces a function into an optimised
// Program the way jit() does, so fusion and tier-1 tests can work on real programs
// without going through the signature cache. Also the bit-exact comparison helper.

import { allocate, type DType, type TypedArray } from "../ir/dtype.js";
import { optimize, type PassName } from "../ir/passes/index.js";
import type { Program } from "../ir/program.js";
import { NDArray } from "../vm/ndarray.js";
import { Trace, withTrace } from "../vm/trace.js";

/** Traces `fn` on `args` (NDArrays become inputs); returns the optimised program (without the passes `skip`) and the input buffers. */
export function traceProgram(fn: (...xs: NDArray[]) => NDArray | NDArray[] | void, args: readonly NDArray[], skip: readonly PassName[] = []): { program: Program; inputs: TypedArray[] } {
  const t = new Trace("test");
  const traced = args.map((a, i) => t.input(a, `args[${i}]`));
  const res = withTrace(t, () => fn(...traced));
  const outs = res === undefined ? [] : Array.isArray(res) ? res : [res];
  const { program, inputVars } = t.finish(outs.map((o) => o._id), outs.map((_, i) => `result[${i}]`));
  const inputs = [...args.map((a) => a._data!), ...inputVars.map((v) => v._data!)];
  return { program: optimize(program, skip), inputs };
}

/** Every element as a string that tells -0 from 0 and shows NaN, for bit-exact `toEqual`. */
export function bits(a: ArrayLike<number>): string[] {
  return Array.from(a, (x) => (Object.is(x, -0) ? "-0" : String(x)));
}

let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;

const SPECIAL: Record<DType, number[]> = {
  float32: [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 1e-40, -1e-45, 3.4e38, -3.4e38, 88.7, -103, 1e-7, 12582912.5, Math.PI, 20, -20, 0.55, -0.549],
  float64: [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 5e-324, -2.2e-308, 1.7e308, -1.7e308, 709.8, -745, 1e-17, 4503599627370496.5, Math.PI, 20, -20, 0.625, -0.6249],
  int32: [0, -1, 1, 2147483647, -2147483648, 2, -7, 65536, 46341, -46341, 3, 100],
  bool: [0, 1],
};

/** n values of dtype dt: special values (NaN, ±Inf, ±0, subnormals, extremes, rounding ties) mixed with random magnitudes. */
export function fill(dt: DType, n: number): TypedArray {
  const a = allocate(dt, n);
  const sp = SPECIAL[dt];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (i < sp.length * 2 && r < 0.5) a[i] = sp[Math.floor(rand() * sp.length)]!;
    else if (dt === "bool") a[i] = r < 0.5 ? 0 : 1;
    else if (dt === "int32") a[i] = Math.floor((rand() - 0.5) * (r < 0.8 ? 200 : 2 ** 32));
    else a[i] = (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 3);
  }
  return a;
}

