// The fused form of a program, shared by tiers 1 and 2: the program's instructions
// grouped into kernels, each of which a tier compiles into one loop nest. Produced by
// the fusion pass (ir/fusion.ts); this file is the contract between that pass and the
// tiers, so change it only together with every tier that reads it.
//
// Common rules for every kernel:
// - `body` lists the kernel's instructions in program order (a subsequence of
//   `program.body`). A value defined inside the kernel and not listed in `writes` is a
//   temporary: a tier keeps it in a register (a scalar or SIMD lane), never in memory.
// - `reads` are the values the kernel reads from memory: program inputs, constants
//   and values written by earlier kernels. `writes` are the values it materialises:
//   values read by later kernels and program outputs.
// - Kernels are listed in an order that respects their dependencies.
//
// Kind-specific rules:
// - "elementwise": every instruction in `body` is elementwise, a reshape or a static
//   slice (ir/indexing.ts). A slice is a view: its operand is a read of the kernel (in
//   memory, of any size) read at the slice's strided offsets (start + sum of index *
//   stride per axis, strides possibly negative); its result has exactly `shape`. The loop
//   runs over `shape` (size n) by linear index i. Every value in `body` and `writes`
//   has size n; a reshape in `body` is free (same linear index). A read of size n is
//   read at index i; a smaller read is broadcast into `shape` by numpy rules (so
//   its shape must broadcast to `shape`), a size-1 read is a scalar. The fusion pass
//   puts a read of a size strictly between 1 and n only into an instruction whose
//   result has exactly `shape`, so broadcasting into `shape` and into that
//   instruction's own result shape are the same thing.
// - "reduce" and "matmul": `body` holds `prologue` (elementwise/reshape instructions
//   computing the main instruction's operands; all of the prologue's values have the
//   size of the operand they feed), then the main instruction (a reduction or
//   matmul), then `epilogue` (elementwise/reshape instructions over the main result's
//   size, consuming it; other reads broadcast into the main result's shape). The main
//   instruction keeps the canonical summation order (ir/kernels/reduce.ts).
//   Prologue values are used only by the main instruction (never written), every
//   operand element is consumed once (for a matmul [M,K]x[K,N]: a prologue on a only
//   when N = 1, on b only when M = 1), and prologue reads are of the operand's size or
//   size 1, or broadcast into the operand's shape by an instruction whose result has
//   exactly that shape (reductions always; matmuls only under the fusion option
//   `matmulPrologueBroadcast`, which tier 1 sets). Epilogues of reductions read only
//   values of the result's size or size 1; matmul epilogues may broadcast into [M,N].
// - "single": one instruction the tier runs as a plain loop (transpose, broadcast,
//   random, control flow) or hands to the reference kernel. A single reshape (of a
//   value in memory) may alias its operand's buffer instead of copying, unless its
//   value is a program output. A single kernel writes every result of its instruction.

import type { ElementwiseOp, Op, ReduceOp } from "./ops.js";
import type { Instr, InstrOf, Program, ReduceInstr } from "./program.js";
import type { Shape } from "./shape.js";

interface KernelBase {
  readonly body: readonly Instr[];
  readonly reads: readonly number[];
  readonly writes: readonly number[];
}

export interface ElementwiseKernel extends KernelBase {
  readonly kind: "elementwise";
  readonly shape: Shape;
}

interface ContractionOf<K extends "reduce" | "matmul", M extends Instr> extends KernelBase {
  readonly kind: K;
  readonly prologue: readonly Instr[];
  readonly main: M;
  readonly epilogue: readonly Instr[];
}
export type ReduceKernel = ContractionOf<"reduce", ReduceInstr>;
export type MatmulKernel = ContractionOf<"matmul", InstrOf<"matmul">>;
export type ContractionKernel = ReduceKernel | MatmulKernel;

/** Ops that fusion never puts into a loop with others: each runs as a kernel of its own. */
export type SingleKernelOp = Exclude<Op, ElementwiseOp | ReduceOp | "matmul"> | "reshape";

export interface SingleKernel extends KernelBase {
  readonly kind: "single";
  readonly main: InstrOf<SingleKernelOp>;
}

export type Kernel = ElementwiseKernel | ContractionKernel | SingleKernel;

export interface FusedProgram {
  readonly program: Program;
  readonly kernels: readonly Kernel[];
}
