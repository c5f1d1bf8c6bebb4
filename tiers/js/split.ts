// Tier-1 fusion policy on top of the shared grouping (ir/fusion.ts, which tier 1 runs
// with `matmulPrologueBroadcast`): long-latency work leaves matmul loop nests.
// - A matmul epilogue holding a division, square root or transcendental runs as an
//   elementwise loop of its own over the result's shape; the matmul writes its result.
// - A matmul prologue calling an ir/math function (exp, tanh, ...) runs as an
//   elementwise loop over each operand's shape, writing the operand.
// Both pieces follow the ir/kernel.ts contract (fusion lets broadcast reads only into
// instructions whose result has the loop's shape). Order and bits are unchanged; only
// where loop boundaries fall. Tier 2 keeps everything fused (SIMD lanes hide the latency).
//
// Why, measured (N = 200,000 rows, K = 10, float32 with fround, interleaved rounds on
// the loaded 2-core machine; `node dist/perf/bench.js tier1` shows the regression step):
// - epilogue, fused vs split: two multiplies 4.4 vs 4.4 ms; 1/(1+z) 5.5 vs 4.7 ms; the
//   sigmoid-like exp32 chain 8.7 vs 6.8 ms. Whole regression step: split 1.09-1.30x
//   faster than fused, bit-identical.
// - prologue, split vs fused: tanh(x) 1.08-1.13x, exp(x)*s 1.16-1.37x, tanh(x*s+mu)
//   1.09-1.16x faster split; a cheap broadcast prologue ((x-mu)*s, (x-mu)/sd) is
//   1.01-1.23x faster fused than materialised, so it stays.
// The elementwise loop's iterations are independent and overlap in the CPU; inside
// the matmul's loops the long call chain serialises with the reduction around it.

import type { ElementwiseKernel, MatmulKernel, FusedProgram, Kernel } from "../../ir/kernel.js";
import { ELEMENTWISE, isElementwise, type Latency, type Op } from "../../ir/ops.js";
import { resultsOf, type Instr, type ValueInfo } from "../../ir/program.js";

/** The latency class of an op (ir/ops.ts); casts and everything else are short. */
const latency = (op: Op): Latency => (op !== "cast" && isElementwise(op) ? ELEMENTWISE[op].latency : "short");
const LONG_LATENCY = { has: (op: Op) => latency(op) !== "short" };
/** Ops whose tier-1 code calls an ir/math function: split out of a matmul prologue. */
const CALLS = { has: (op: Op) => latency(op) === "call" };

/** The kernels of `fp` with long-latency matmul prologues and epilogues moved into elementwise kernels of their own. */
export function splitLongLatency(fp: FusedProgram): FusedProgram {
  if (!fp.kernels.some(shouldSplit)) return fp;
  const kernels = fp.kernels.flatMap((k) => (shouldSplit(k) ? split(k, fp.program.values) : [k]));
  return { program: fp.program, kernels };
}

function shouldSplit(k: Kernel): k is MatmulKernel {
  return k.kind === "matmul" && (k.epilogue.some((ins) => LONG_LATENCY.has(ins.op)) || k.prologue.some((ins) => CALLS.has(ins.op)));
}

function readsOf(instrs: readonly Instr[]): number[] {
  const defined = new Set(instrs.flatMap(resultsOf));
  const reads: number[] = [];
  for (const ins of instrs) for (const a of ins.args) if (!defined.has(a) && !reads.includes(a)) reads.push(a);
  return reads;
}

/** The prologue instructions computing `operand`, in program order. */
function feeding(prologue: readonly Instr[], operand: number): Instr[] {
  const need = new Set([operand]);
  const out: Instr[] = [];
  for (let i = prologue.length - 1; i >= 0; i--) {
    const ins = prologue[i]!;
    if (!need.has(ins.out)) continue;
    out.push(ins);
    for (const a of ins.args) need.add(a);
  }
  return out.reverse();
}

function split(k: MatmulKernel, values: readonly ValueInfo[]): Kernel[] {
  const before: Kernel[] = [];
  let prologue = k.prologue;
  if (prologue.some((ins) => CALLS.has(ins.op))) {
    // Each operand's prologue becomes an elementwise loop over the operand's shape writing it.
    for (const operand of new Set(k.main.args)) {
      const body = feeding(k.prologue, operand);
      if (body.length) before.push({ kind: "elementwise", body, reads: readsOf(body), writes: [operand], shape: values[operand]!.shape });
    }
    prologue = [];
  }
  const longEpilogue = k.epilogue.some((ins) => LONG_LATENCY.has(ins.op));
  const head = [...prologue, k.main];
  const mm: MatmulKernel = longEpilogue
    ? { kind: "matmul", body: head, reads: readsOf(head), writes: [k.main.out], prologue, main: k.main, epilogue: [] }
    : { kind: "matmul", body: [...head, ...k.epilogue], reads: readsOf([...head, ...k.epilogue]), writes: k.writes, prologue, main: k.main, epilogue: k.epilogue };
  const writes = k.writes.filter((v) => v !== k.main.out);
  if (!longEpilogue || writes.length === 0) return [...before, mm];
  const ew: ElementwiseKernel = { kind: "elementwise", body: k.epilogue, reads: readsOf(k.epilogue), writes, shape: values[k.main.out]!.shape };
  return [...before, mm, ew];
}
