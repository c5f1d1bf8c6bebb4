// Tier-1 fusion policy on top of the shared grouping (ir/fusion.ts): a matmul whose
// epilogue holds a long-latency op (a division, square root or transcendental) runs
// that epilogue as a loop of its own. The matmul kernel writes its result, and an
// elementwise kernel over the result's shape runs the epilogue; both follow the
// ir/kernel.ts contract (the epilogue's broadcast reads already obey the elementwise
// rule: fusion lets them only into instructions whose result has the main result's
// shape). Order and bits are unchanged; only where the loop boundary falls.
//
// Why, measured (N = 200,000 rows, K = 10, float32 with fround, interleaved rounds on
// the loaded 2-core machine; `node dist/perf/bench.js tier1` shows the effect on the
// whole regression step): the matvec with a cheap epilogue (two multiplies) ran as
// fast fused as split (4.4 ms either way); with 1/(1+z) 5.5 ms fused against 4.7 split;
// with the sigmoid-like exp32 chain 8.7 ms fused against 6.8 split. The elementwise
// loop's iterations are independent and overlap in the CPU; inside the matmul's row
// loop the long chain serialises with the next row's inner loop. Tier 2 keeps the
// epilogue fused (SIMD lanes hide the latency), so this is tier 1's choice alone.

import type { ContractionKernel, ElementwiseKernel, FusedProgram, Kernel } from "../../ir/kernel.js";
import type { Op } from "../../ir/ops.js";
import { resultsOf, type Instr, type ValueInfo } from "../../ir/program.js";

const LONG_LATENCY: ReadonlySet<Op> = new Set<Op>(["div", "sqrt", "exp", "log", "tanh", "sin", "cos", "sigmoid", "pow"]);

/** The kernels of `fp` with long-latency matmul epilogues moved into elementwise kernels of their own. */
export function splitEpilogues(fp: FusedProgram): FusedProgram {
  if (!fp.kernels.some(shouldSplit)) return fp;
  const kernels = fp.kernels.flatMap((k) => (shouldSplit(k) ? split(k, fp.program.values) : [k]));
  return { program: fp.program, kernels };
}

function shouldSplit(k: Kernel): k is ContractionKernel {
  return k.kind === "matmul" && k.epilogue.some((ins) => LONG_LATENCY.has(ins.op));
}

function readsOf(instrs: readonly Instr[]): number[] {
  const defined = new Set(instrs.flatMap(resultsOf));
  const reads: number[] = [];
  for (const ins of instrs) for (const a of ins.args) if (!defined.has(a) && !reads.includes(a)) reads.push(a);
  return reads;
}

function split(k: ContractionKernel, values: readonly ValueInfo[]): Kernel[] {
  const head = [...k.prologue, k.main];
  const mm: ContractionKernel = { kind: "matmul", body: head, reads: readsOf(head), writes: [k.main.out], prologue: k.prologue, main: k.main, epilogue: [] };
  const writes = k.writes.filter((v) => v !== k.main.out);
  if (writes.length === 0) return [mm];
  const ew: ElementwiseKernel = { kind: "elementwise", body: k.epilogue, reads: readsOf(k.epilogue), writes, shape: values[k.main.out]!.shape };
  return [mm, ew];
}
