// The IR: a program is a flat SSA list of array ops with static shapes and dtypes.
// Every value has an integer id indexing `values`; a value is an input, a constant or
// the result of exactly one instruction. Control flow is structured: a `loop`, `while`
// or `cond` instruction holds sub-programs (its body, condition or branches) and
// defines several results (`outs`). Inputs come first in call order: array
// arguments, then the Variables the function reads. Outputs list the values returned
// and, for each Variable the function assigns, its new value.

import type { DType, TypedArray } from "./dtype.js";
import { isArgReduce, isControl, isReduce, isScan, isSort, type ArgReduceOp, type ControlOp, type Op, type ReduceOp, type ScanOp, type SortOp } from "./ops.js";
import type { Shape } from "./shape.js";
import type { ScatterMode, SliceParams } from "./indexing.js";
import type { SpmvParams } from "./sparse.js";

export interface ValueInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Reductions: the reduced axes, sorted and distinct, and whether they stay as size 1. */
export interface ReduceParams {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

/** Control ops define several results; `out` is `outs[0]`. */
interface MultiResult {
  readonly outs: readonly number[];
}

/**
 * loop: `subs = [body]`, body inputs (i: i32[], ...carries, ...x slices, ...captured)
 * -> (...carries', ...y slices), over the static range [lo, hi). The first `nCarry`
 * args and results are carried values; the `nXs` args after them are sliced per
 * iteration (scan's xs); the results after the carries are the stacked y slices.
 */
export interface LoopParams extends MultiResult {
  readonly subs: readonly [Program];
  readonly lo: number;
  readonly hi: number;
  readonly nCarry: number;
  readonly nXs: number;
}

/** while: `subs = [cond, body]`, both take (...carries, ...captured); cond -> (bool[]), body -> (...carries'). */
export interface WhileParams extends MultiResult {
  readonly subs: readonly [Program, Program];
  readonly nCarry: number;
}

/** cond: `subs = [then, else]`, both take (...operands) and return values of the same types. */
export interface CondParams extends MultiResult {
  readonly subs: readonly [Program, Program];
}

/** The typed parameters of each op; ops not listed here have none. */
export type ParamsOf<K extends Op> = K extends ReduceOp | ArgReduceOp
  ? ReduceParams
  : K extends ScanOp | SortOp
    ? { readonly axis: number }
  : K extends "transpose"
    ? { readonly perm: readonly number[] }
  : K extends "flip"
    ? { readonly along: readonly number[] }
  : K extends "slice"
    ? SliceParams
  : K extends "gather"
    ? { readonly axis: number }
  : K extends "scatter"
    ? { readonly axis: number; readonly mode: ScatterMode }
  : K extends "dynamicSlice"
    ? { readonly sizes: readonly number[] }
  : K extends "remap"
    ? { readonly offsets: readonly (readonly number[])[] }
  : K extends "concat"
    ? { readonly axis: number }
  : K extends "spmv"
    ? SpmvParams
    : K extends "loop"
      ? LoopParams
      : K extends "while"
        ? WhileParams
        : K extends "cond"
          ? CondParams
          : K extends "random"
            ? { readonly dist: "uniform" | "normal" } // args are the generator state [key, counter]
            : { readonly [P in never]: never };

/** One instruction of op K (a union over K when K is a union). */
export type InstrOf<K extends Op> = K extends Op
  ? { readonly op: K; readonly args: readonly number[]; readonly out: number } & ParamsOf<K>
  : never;

/** An instruction: a discriminated union keyed by `op`, each op with its own parameters. */
export type Instr = InstrOf<Op>;
export type ReduceInstr = InstrOf<ReduceOp>;
export type ArgReduceInstr = InstrOf<ArgReduceOp>;
export type ScanInstr = InstrOf<ScanOp>;
export type SortInstr = InstrOf<SortOp>;
export type ControlInstr = InstrOf<ControlOp>;

/** Ops whose instructions have one result. */
export type SingleOp = Exclude<Op, ControlOp>;

export function isReduceInstr(ins: Instr): ins is ReduceInstr {
  return isReduce(ins.op);
}

export function isArgReduceInstr(ins: Instr): ins is ArgReduceInstr {
  return isArgReduce(ins.op);
}

export function isScanInstr(ins: Instr): ins is ScanInstr {
  return isScan(ins.op);
}

export function isSortInstr(ins: Instr): ins is SortInstr {
  return isSort(ins.op);
}

export function isControlInstr(ins: Instr): ins is ControlInstr {
  return isControl(ins.op);
}

/** The values an instruction defines. */
export function resultsOf(ins: Instr): readonly number[] {
  return isControlInstr(ins) ? ins.outs : [ins.out];
}

/** The names of each control op's sub-programs, in order (for printers). */
export const SUB_NAMES: { readonly [K in ControlOp]: readonly string[] } = { loop: ["body"], while: ["cond", "body"], cond: ["then", "else"] };

/** The same control instruction with each sub-program mapped by `f` (the tuple keeps its length). */
export function withSubs<I extends ControlInstr>(ins: I, f: (p: Program) => Program): I {
  return { ...ins, subs: ins.subs.map(f) } as I;
}

/** The parameters argument of `emit` for op K: optional when the op has none. */
export type ParamsArg<K extends SingleOp> = [K] extends [ReduceOp | ArgReduceOp | ScanOp | SortOp | "transpose" | "flip" | "remap" | "concat" | "random" | "slice" | "gather" | "scatter" | "dynamicSlice" | "spmv"] ? [params: ParamsOf<K>] : [params?: ParamsOf<K>];

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

  emit<K extends SingleOp>(op: K, args: readonly number[], out: ValueInfo, ...params: ParamsArg<K>): number {
    const id = this.newValue(out);
    this.body.push(makeInstr(op, args, id, params[0]));
    return id;
  }

  /** Emits an instruction with several results (control flow); returns their ids. */
  emitMulti<K extends ControlOp>(op: K, args: readonly number[], outs: readonly ValueInfo[], params: Omit<ParamsOf<K>, "outs">): number[] {
    const ids = outs.map((o) => this.newValue(o));
    this.body.push({ op, args: [...args], out: ids[0]!, outs: ids, ...params } as unknown as Instr);
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

/**
 * Builds one instruction from an op and its parameters. The one place the union is
 * assembled from parts: `ParamsArg` has already tied `params` to `op` at the call.
 */
export function makeInstr<K extends SingleOp>(op: K, args: readonly number[], out: number, params: ParamsOf<K> | undefined): InstrOf<K> {
  return { op, args: [...args], out, ...params } as unknown as InstrOf<K>;
}

/** Number of instructions reading each value, plus one per appearance among the outputs. */
export function useCounts(p: Program): Int32Array {
  const uses = new Int32Array(p.values.length);
  for (const ins of p.body) for (const a of ins.args) uses[a]!++;
  for (const o of p.outputs) uses[o]!++;
  return uses;
}
