// The IR: a program is a flat SSA list of array ops with static shapes and dtypes.
// Every value has an integer id indexing `values`; a value is an input, a constant or
// the result of exactly one instruction. Control flow is structured: a `loop`, `while`
// or `cond` instruction holds sub-programs (its body, condition or branches) and
// defines several results (`outs`). Inputs come first in call order: array
// arguments, then the Variables the function reads. Outputs list the values returned
// and, for each Variable the function assigns, its new value.

import type { DType, TypedArray } from "./dtype.js";
import type { Op } from "./ops.js";
import type { Shape } from "./shape.js";

export interface ValueInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface Instr {
  readonly op: Op;
  readonly args: readonly number[];
  readonly out: number;
  /** Reduced axes (sum/max/min), sorted, distinct. */
  readonly axes?: readonly number[];
  /** Whether a reduction keeps the reduced axes as size 1. */
  readonly keepdims?: boolean;
  /** Axis permutation (transpose). */
  readonly perm?: readonly number[];
  /** Every result of a multi-result op (loop, while, cond); `out` is `outs[0]`. */
  readonly outs?: readonly number[];
  /**
   * Sub-programs of control ops:
   * - loop  [body]: body inputs (i: i32[], ...carries, ...x slices, ...captured) -> (...carries', ...y slices)
   * - while [cond, body]: both take (...carries, ...captured); cond -> (bool[]), body -> (...carries')
   * - cond  [then, else]: both take (...operands) and return values of the same types
   */
  readonly subs?: readonly Program[];
  /** loop: the static iteration range [lo, hi). */
  readonly lo?: number;
  readonly hi?: number;
  /** loop/while: how many of the args and results are carried values (they come first). */
  readonly nCarry?: number;
  /** loop: how many args after the carries are sliced per iteration (scan's xs); results after the carries are the stacked y slices. */
  readonly nXs?: number;
  /** random: which distribution; the instruction's args are the generator state [key, counter]. */
  readonly dist?: "uniform" | "normal";
}

/** The values an instruction defines. */
export function resultsOf(ins: Instr): readonly number[] {
  return ins.outs ?? [ins.out];
}

export interface Program {
  readonly values: ValueInfo[];
  readonly inputs: number[];
  /** Where each input came from, for people reading the IR (never put in generated code). */
  readonly inputLabels: string[];
  readonly consts: Map<number, TypedArray>;
  readonly body: Instr[];
  readonly outputs: number[];
  /**
   * How many trailing outputs are new Variable states. A tier writes those into the
   * destination buffers it is given (the Variables' own storage) instead of fresh arrays.
   */
  readonly stateOutputs: number;
  /** Where each output goes, for people reading the IR (never put in generated code). */
  readonly outputLabels: string[];
}

/** Builds a program value by value; the tracer and the passes both use it. */
export class ProgramBuilder {
  readonly values: ValueInfo[] = [];
  readonly inputs: number[] = [];
  readonly inputLabels: string[] = [];
  readonly consts = new Map<number, TypedArray>();
  readonly body: Instr[] = [];

  private newValue(info: ValueInfo): number {
    this.values.push({ shape: [...info.shape], dtype: info.dtype });
    return this.values.length - 1;
  }

  input(info: ValueInfo, label: string): number {
    const id = this.newValue(info);
    this.inputs.push(id);
    this.inputLabels.push(label);
    return id;
  }

  constant(info: ValueInfo, data: TypedArray): number {
    const id = this.newValue(info);
    this.consts.set(id, data);
    return id;
  }

  emit(op: Op, args: readonly number[], out: ValueInfo, attrs: Omit<Instr, "op" | "args" | "out"> = {}): number {
    const id = this.newValue(out);
    this.body.push({ op, args: [...args], out: id, ...attrs });
    return id;
  }

  /** Emits an instruction with several results (control flow); returns their ids. */
  emitMulti(op: Op, args: readonly number[], outs: readonly ValueInfo[], attrs: Omit<Instr, "op" | "args" | "out" | "outs">): number[] {
    const ids = outs.map((o) => this.newValue(o));
    this.body.push({ op, args: [...args], out: ids[0]!, outs: ids, ...attrs });
    return ids;
  }

  finish(outputs: number[], outputLabels: string[], stateOutputs = 0): Program {
    return {
      values: this.values,
      inputs: this.inputs,
      inputLabels: this.inputLabels,
      consts: this.consts,
      body: this.body,
      outputs,
      stateOutputs,
      outputLabels,
    };
  }
}

/** Number of instructions reading each value, plus one per appearance among the outputs. */
export function useCounts(p: Program): Int32Array {
  const uses = new Int32Array(p.values.length);
  for (const ins of p.body) for (const a of ins.args) uses[a]!++;
  for (const o of p.outputs) uses[o]!++;
  return uses;
}
