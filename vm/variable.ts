// Variable: mutable state that jitted code updates in place (BrainPy's bm.Variable).
//
// A Variable is an NDArray (use it anywhere an array goes) that owns its buffer and
// keeps its shape and dtype for life. `v.value = x` copies x into that buffer, so
// anything holding `v` sees the new state. Inside jit, reading a Variable makes it a
// program input, assigning it makes its new value a program output, and the compiled
// call writes the result back when it returns. `v.value` outside jit is a snapshot of
// the current state, so `old = v.value; v.value = y` keeps `old` eagerly as under jit.

import type { DType } from "../ir/dtype.js";
import { ArgumentError, DTypeError, ShapeError, TracerError, fmtShape, show } from "../ir/errors.js";
import type { TypedArray } from "../ir/dtype.js";
import { fromData } from "./construct.js";
import { NDArray, type ArrayLike } from "./ndarray.js";
import { asArray, broadcastTo, castTo } from "./ops.js";
import { currentTrace } from "./trace.js";

let nextUid = 0;

export class Variable extends NDArray {
  /** A process-unique number, shown in IR listings (`Variable#3`). */
  readonly uid = nextUid++;

  constructor(init: ArrayLike, options: { dtype?: DType } = {}) {
    if (options === null || typeof options !== "object") throw new ArgumentError(`new Variable: options must be { dtype }, got ${show(options)}`);
    if (init instanceof NDArray && init._trace !== null) {
      throw new TracerError("new Variable(...) needs a concrete initial value, got a traced array; create Variables outside jit");
    }
    const arr = fromData(init, options.dtype, "new Variable", true);
    super(arr.shape, arr.dtype, arr._data);
  }

  override get _isVar(): boolean {
    return true;
  }

  override _concrete(what: string): TypedArray {
    if (currentTrace()?.active) {
      throw new TracerError(`${what} on a Variable inside jit: its value is only known when the compiled program runs. Return v.value from the jitted function to read it.`);
    }
    return super._concrete(what);
  }

  /** The current value: inside jit, the traced value as of this point in the function; outside, a copy. */
  get value(): NDArray {
    const t = currentTrace();
    if (t?.active) return t.wrap(t.readVariable(this));
    return new NDArray(this.shape, this.dtype, this._data!.slice());
  }

  set value(x: ArrayLike) {
    let arr = asArray("Variable assignment", x);
    const scalar = typeof x === "number" || typeof x === "boolean" || (x instanceof NDArray && x._weak !== undefined);
    if (scalar) arr = broadcastTo(castTo(arr, this.dtype), this.shape);
    if (arr.dtype !== this.dtype) {
      throw new DTypeError(`Variable assignment: value has dtype ${arr.dtype} but Variable#${this.uid} is ${this.dtype}; convert it with .astype("${this.dtype}")`);
    }
    if (arr.shape.length !== this.shape.length || arr.shape.some((d, i) => d !== this.shape[i])) {
      throw new ShapeError(`Variable assignment: value has shape ${fmtShape(arr.shape)} but Variable#${this.uid} has shape ${fmtShape(this.shape)}; a Variable keeps its shape`);
    }
    const t = currentTrace();
    if (t?.active) {
      t.writeVariable(this, t.idOf(arr));
      return;
    }
    const src = arr._concrete("Variable assignment");
    if (src !== this._data) this._data!.set(src);
  }
}
