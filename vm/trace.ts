// A trace records the ops a function performs on traced arrays into a ProgramBuilder.
//
// While a trace is active: traced arrays map to their SSA ids; any other concrete
// array an op touches becomes a constant of the program (deduplicated by identity,
// and by value for size-1 arrays); a Variable read becomes a program input the first
// time and thereafter reads the Variable's latest traced value; a Variable assignment
// records that value as the Variable's new state. After the trace ends, any traced
// array still in the user's hands is dead and says so when touched.
//
// Loop bodies and branches are traced in a child trace. A child sees its parent's
// values: using one captures it (it becomes an input of the sub-program, fed by the
// parent's value), and every Variable a child touches becomes an input too, so the
// control op can carry it (a loop) or pass it through (a branch that leaves it alone).

import { TracerError, fmtShape } from "../ir/errors.js";
import { ProgramBuilder, type Program, type ValueInfo } from "../ir/program.js";
import { NDArray } from "./ndarray.js";
import type { Variable } from "./variable.js";

export class Trace {
  readonly builder = new ProgramBuilder();
  active = true;
  private readonly constIds = new Map<NDArray, number>();
  private readonly smallConstIds = new Map<string, number>();
  /** Variables in the order they were first touched, with their input id (if read) and current value. */
  readonly variables = new Map<Variable, { input: number; current: number }>();
  /** Child traces: parent value id -> this trace's input id, in capture order. */
  readonly captures = new Map<number, number>();

  constructor(readonly fnName: string, readonly parent: Trace | null = null) {}

  /** Whether arrays of trace `t` may be used here: `t` is this trace or an active ancestor. */
  sees(t: Trace): boolean {
    for (let s: Trace | null = this; s !== null; s = s.parent) if (s === t) return t.active;
    return false;
  }

  wrap(id: number): NDArray {
    const v = this.builder.values[id]!;
    return new NDArray(v.shape, v.dtype, null, this, id);
  }

  input(info: ValueInfo, label: string): NDArray {
    return this.wrap(this.builder.input(info, label));
  }

  /** The SSA id of any array an op is applied to during this trace. */
  idOf(x: NDArray): number {
    if (x._trace !== null) {
      if (x._trace === this && this.active) return x._id;
      if (!this.active || !this.sees(x._trace)) throw escapedError(x);
      const outer = this.parent!.idOf(x);
      let id = this.captures.get(outer);
      if (id === undefined) this.captures.set(outer, (id = this.builder.input(x, `captured %${outer}`)));
      return id;
    }
    if (x._isVar) return this.readVariable(x as Variable);
    const data = x._data!;
    if (data.length <= 1) {
      const key = `${x.dtype}|${x.shape.join(",")}|${data.length ? (Object.is(data[0], -0) ? "-0" : String(data[0])) : ""}`;
      let id = this.smallConstIds.get(key);
      if (id === undefined) this.smallConstIds.set(key, (id = this.builder.constant(x, data.slice())));
      return id;
    }
    let id = this.constIds.get(x);
    if (id === undefined) this.constIds.set(x, (id = this.builder.constant(x, data)));
    return id;
  }

  readVariable(v: Variable): number {
    let slot = this.variables.get(v);
    if (!slot) {
      this.parent?.readVariable(v); // a child's Variable is fed by the parent's current value
      const input = this.builder.input({ shape: v.shape, dtype: v.dtype }, `Variable#${v.uid}`);
      slot = { input, current: input };
      this.variables.set(v, slot);
    }
    return slot.current;
  }

  writeVariable(v: Variable, id: number): void {
    const slot = this.variables.get(v);
    if (slot) slot.current = id;
    // A child must carry the old value too (the loop may run zero times, the other branch may not write it).
    else if (this.parent) {
      this.readVariable(v);
      this.variables.get(v)!.current = id;
    }
    // Written before ever being read: no input needed.
    else this.variables.set(v, { input: -1, current: id });
  }

  /** Ends the trace: the returned ids come first, then each assigned Variable's new value. */
  finish(results: number[], resultLabels: string[]): { program: Program; stateVars: Variable[]; inputVars: Variable[] } {
    this.active = false;
    const stateVars: Variable[] = [];
    const outputs = [...results];
    const labels = [...resultLabels];
    for (const [v, slot] of this.variables) {
      if (slot.current !== slot.input) {
        stateVars.push(v);
        outputs.push(slot.current);
        labels.push(`Variable#${v.uid}`);
      }
    }
    const inputVars = [...this.variables].filter(([, s]) => s.input >= 0).map(([v]) => v);
    return { program: this.builder.finish(outputs, labels, stateVars.length), stateVars, inputVars };
  }
}

export function escapedError(x: NDArray): TracerError {
  const t = x._trace!;
  return new TracerError(
    `A traced array (${x.dtype}${fmtShape(x.shape)}) escaped its jit trace: it was created while tracing ` +
      `\`${t.fnName}\` and used after that trace finished (for example stored in an outer variable or on \`this\`). ` +
      `Return arrays from the jitted function, or keep state in a Variable.`,
  );
}

let current: Trace | null = null;

export function currentTrace(): Trace | null {
  return current;
}

export function withTrace<T>(t: Trace, fn: () => T): T {
  const prev = current;
  current = t;
  try {
    return fn();
  } finally {
    current = prev;
    t.active = false;
  }
}
