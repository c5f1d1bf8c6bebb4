// Tier-1 code for gather and scatter (semantics: ir/indexing.ts, reference kernels:
// ir/kernels/gather.ts). Each is a size-generic factory per (op, mode, dtype), its
// sizes passed as d-parameters, so one compiled factory serves every shape. The loops
// are the reference kernel's, in the same order: a scatter's repeated indices apply
// in index order (the last `set` wins, `add` sums in index order), so the bits match.

import type { DType } from "../../ir/dtype.js";
import { around, SCATTER_COMBINE } from "../../ir/indexing.js";
import type { InstrOf, ValueInfo } from "../../ir/program.js";
import { sizeOf } from "../../ir/shape.js";
import type { KernelCode } from "./codegen.js";
import { ELEMENTWISE_JS, MATH_NAMES } from "./templates.js";

export type IndexingInstr = InstrOf<"gather"> | InstrOf<"scatter">;

export const isCompiledIndexing = (ins: { readonly op: string }): ins is IndexingInstr => ins.op === "gather" || ins.op === "scatter";

/**
 * The kernel of `ins`, whose distinct reads are `reads` (an instruction may take one
 * value twice: a scatter of x into itself) and whose one write follows them.
 */
export function indexingKernel(ins: IndexingInstr, values: readonly ValueInfo[], reads: readonly number[]): KernelCode {
  const data = values[ins.args[0]!]!;
  const { P, n, Q } = around(data.shape, ins.axis);
  const M = sizeOf(values[ins.args[1]!]!.shape);
  const arg = (k: number) => `r${reads.indexOf(ins.args[k]!)}`;
  const callSlots = [...reads.map((_, i) => i), reads.length];
  const run = `${reads.map((_, i) => `r${i}`).join(", ")}, w0`;
  const lines = ins.op === "gather" ? gatherLines(arg(0), arg(1)) : scatterLines(data.dtype, ins.mode, arg(0), arg(1), arg(2));
  const body = ['"use strict";', `return function ${ins.op}Kernel(${run}) {`, ...lines.map((l) => `  ${l}`), "};"].join("\n");
  const params = [...MATH_NAMES, "P", "n", "Q", "M"];
  return { key: `${params.join(",")}\n${body}`, params, body, dims: [P, n, Q, M], tables: [], callSlots, capturedSlots: [] };
}

function gatherLines(x: string, idx: string): string[] {
  return [
    "let o = 0;",
    "for (let p = 0; p < P; p++) {",
    "  for (let i = 0; i < M; i++) {",
    // A traced index wraps once and is clamped (ir/indexing.ts gatherIndex).
    `    let j = ${idx}[i];`,
    "    if (j < 0) j += n;",
    "    j = j < 0 ? 0 : j > n - 1 ? n - 1 : j;",
    "    const base = (p * n + j) * Q;",
    `    for (let q = 0; q < Q; q++) w0[o++] = ${x}[base + q];`,
    "  }",
    "}",
  ];
}

function scatterLines(dt: DType, mode: InstrOf<"scatter">["mode"], x: string, idx: string, upd: string): string[] {
  const op = SCATTER_COMBINE[mode];
  const apply = op === null ? `w0[base + q] = ${upd}[u + q];` : `{ const a = w0[base + q], b = ${upd}[u + q]; w0[base + q] = ${ELEMENTWISE_JS[op](dt, "a", "b")}; }`;
  return [
    `w0.set(${x});`,
    "for (let p = 0; p < P; p++) {",
    "  for (let i = 0; i < M; i++) {",
    // Out-of-range indices are dropped (JAX's default for scatters).
    `    const j = ${idx}[i];`,
    "    if (j < 0 || j >= n) continue;",
    "    const base = (p * n + j) * Q;",
    "    const u = (p * M + i) * Q;",
    `    for (let q = 0; q < Q; q++) ${apply}`,
    "  }",
    "}",
  ];
}
