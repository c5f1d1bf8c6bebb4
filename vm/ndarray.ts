// NDArray: an immutable, contiguous, row-major array of one dtype.
//
// An NDArray is either concrete (it owns a typed array) or traced (it stands for an
// SSA value of the program being traced by `jit`). Both kinds are one class so user
// code is typed and written once. Concrete data is an ordinary JS typed array, so the
// garbage collector frees it: no `dispose()`, and a tight loop never accumulates
// memory waiting for finalizers (CONTRIBUTING.md, "Memory model").
//
// Every op is also a fluent method (`x.mul(2).tanh()`); ./methods.ts declares and
// installs them (so this file does not import the ops, which import it).

import type { DType, TypedArray, WeakKind } from "../ir/dtype.js";
import { shortName } from "../ir/dtype.js";
import { TierjitError, TracerError, fmtShape } from "../ir/errors.js";

/** node's util.inspect hook, by its registered name: no import of node:util, so the typings need no @types/node. */
const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;
import { sizeOf, type Shape } from "../ir/shape.js";
import type { Trace } from "./trace.js";
import type { TypedArrayInput } from "./typedarrays.js";
import { format } from "./format.js";

/** Anything an op accepts where an array is expected. */
export type ArrayLike = NDArray | number | boolean | NestedArray | TypedArrayInput;
export interface NestedArray extends ReadonlyArray<number | boolean | NestedArray> {}
export type Axis = number | readonly number[] | undefined;
export interface ReduceOptions {
  axis?: Axis;
  keepdims?: boolean;
}

export class NDArray {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** @internal Concrete storage; null for traced arrays. */
  _data: TypedArray | null;
  /** @internal The trace this array belongs to, for traced arrays. */
  _trace: Trace | null;
  /** @internal SSA value id in `_trace`'s program. */
  _id: number;
  /** @internal Set on a traced JS number argument: its weak kind, as a literal number's (ir/dtype.ts). */
  _weak: WeakKind | undefined = undefined;
  /** @internal Set on a traced JS number argument: which argument it is and how to make it static (errors say so where a static number is needed). */
  _staticHint: string | undefined = undefined;
  /** @internal True for Variables (a brand, so modules need not import the Variable class). */
  get _isVar(): boolean {
    return false;
  }

  /** @internal Use `np.array` and friends to make arrays. */
  constructor(shape: Shape, dtype: DType, data: TypedArray | null, trace: Trace | null = null, id = -1) {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this._data = data;
    this._trace = trace;
    this._id = id;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** True while this array stands for a value inside a `jit` trace. */
  get isTraced(): boolean {
    return this._trace !== null;
  }

  /** @internal The concrete data, or a clear error naming `what` needed it. */
  _concrete(what: string): TypedArray {
    if (this._data === null) {
      if (this._staticHint !== undefined) throw new TracerError(`${what} needs a concrete value, but ${this._staticHint}`);
      throw new TracerError(
        `${what} needs a concrete value, but this array (${shortName(this.dtype)}${fmtShape(this.shape)}) is traced ` +
          `inside jit: its value is only known when the compiled program runs. Return it from the jitted function ` +
          `and read it outside, or use np.where(...) instead of JS control flow on array values.`,
      );
    }
    return this._data;
  }

  /** A copy of the data as a typed array (Float32Array, Float64Array, Int32Array, or Uint8Array for bool). */
  toTypedArray(): TypedArray {
    return this._concrete("toTypedArray()").slice();
  }

  /** The data as (nested) JS arrays; a 0-d array gives a number (or boolean). */
  toArray(): any {
    const data = this._concrete("toArray()");
    const bool = this.dtype === "bool";
    const build = (dim: number, off: number): any => {
      if (dim === this.shape.length) return bool ? data[off] !== 0 : data[off];
      const n = this.shape[dim]!;
      const step = sizeOf(this.shape.slice(dim + 1));
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, off + i * step);
      return out;
    };
    return build(0, 0);
  }

  /** The single element of a size-1 array as a JS number. */
  item(): number {
    const data = this._concrete("item()");
    if (data.length !== 1) throw new TierjitError(`item(): array of shape ${fmtShape(this.shape)} has ${data.length} elements, not 1`);
    return data[0]!;
  }

  toString(): string {
    if (this._data === null) return `Traced<${shortName(this.dtype)}${fmtShape(this.shape)}>`;
    return format(this._data, this.shape, this.dtype);
  }

  [INSPECT](): string {
    return this.toString();
  }

  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === "string") return this.toString();
    if (this._staticHint !== undefined) {
      throw new TracerError(`A JS operator or conversion (such as \`k > 0\`, \`k * 2\`, \`Number(k)\`, or an \`if\` on a comparison) needs a static number, but ${this._staticHint}`);
    }
    if (this._data === null) {
      throw new TracerError(
        `Cannot convert a traced array (${shortName(this.dtype)}${fmtShape(this.shape)}) to a JS number: this happens with ` +
          `JS operators and conversions such as \`x > 0\`, \`x + 1\`, \`+x\` or \`Number(x)\` inside jit. Use array ops ` +
          `instead: np.greater(x, 0), x.add(1), and np.where(cond, a, b) in place of if/else.`,
      );
    }
    if (this._data.length !== 1) {
      throw new TierjitError(
        `Only size-1 arrays convert to a JS number, but this array has shape ${fmtShape(this.shape)}; ` +
          `JS operators (\`x > 0\`, \`x + 1\`) do not work elementwise: use np.greater(x, 0), x.add(1).`,
      );
    }
    return this._data[0]!;
  }
}
