// A tier-2 executable: one instance of the compiled module over its own fixed-size
// WebAssembly.Memory (sized at compile time, never grown, so typed-array views into it
// stay valid for its whole life). Memory layout and per-call traffic:
// - constants are placed once, at instantiation;
// - array arguments are copied into their staging region when they change (a memcpy,
//   ~15x cheaper per element than gelu's compute, but as costly as the whole
//   regression step for its 8 MB X), skipped when the caller passes the view of that
//   region itself, or passes again the immutable array the region already holds
//   (`held`: the caller says which inputs are immutable NDArray data, see Executable.run);
// - a Variable the program reads and writes becomes RESIDENT: on the first call its
//   new value lands in the Variable's input region and the runtime re-points the
//   Variable's storage (`v._data`) at that region's view (`stateBuffer`), so later
//   calls copy it neither in nor out; anything else reading the Variable just sees a
//   typed array;
// - returned outputs are copied out into fresh JS typed arrays the caller owns.
// The memory is released by the garbage collector with the executable (and with any
// Variable still viewing it): no dispose(), no finalizers, nothing that grows per call.

import { allocate, type TypedArray } from "../../ir/dtype.js";
import { TierUnavailableError } from "../../ir/errors.js";
import type { Executable } from "../tier.js";
import type { Plan } from "./lower.js";
import type { CompiledModule } from "./recipe.js";
import { requestModule } from "./service.js";
import type { Region } from "./values.js";

function viewOf(buf: ArrayBuffer, r: Region): TypedArray {
  const a = allocate(r.dt, 0);
  return new (a.constructor as new (b: ArrayBuffer, o: number, n: number) => TypedArray)(buf, r.off, r.n);
}

export class WasmExecutable implements Executable {
  readonly tier = "wasm" as const;
  private readonly inViews: TypedArray[];
  private readonly outViews: TypedArray[];
  private readonly calls: (() => void)[];
  private readonly nResults: number;
  /**
   * Per input: the immutable array whose values its region holds, so passing it again
   * skips the copy. A strong reference (one array per input, the size of the region it
   * mirrors): a WeakRef would keep every array it is made for alive until the caller's
   * loop yields (ARCHITECTURE.md), which a loop over fresh arrays would pile up.
   */
  private readonly held: (TypedArray | undefined)[];
  /** Per state output: index of the input that is the same Variable (found on the first call), or -1. */
  private pairs: number[] | undefined;
  /** Per state output: whether its value must be copied aside before the homes are written. */
  private staged: boolean[] | undefined;

  /** The WAT text, once printed (describe()). */
  private wat: string | undefined;

  constructor(readonly plan: Plan, readonly compiled: CompiledModule) {
    this.wat = compiled.wat;
    const p = plan.program;
    const memory = new WebAssembly.Memory({ initial: plan.recipe.pages, maximum: plan.recipe.pages });
    const env: WebAssembly.Imports["env"] = { mem: memory };
    const instance = new WebAssembly.Instance(compiled.module ?? new WebAssembly.Module(compiled.bytes), { env });
    const buf = memory.buffer;
    const view = (r: Region) => viewOf(buf, r);
    for (const [r, data] of plan.tables) view(r).set(data);
    this.inViews = p.inputs.map((id) => view(plan.regionOf.get(id)!));
    this.outViews = p.outputs.map((id) => view(plan.regionOf.get(id)!));
    this.nResults = p.outputs.length - p.stateOutputs;
    this.held = this.inViews.map(() => undefined);
    this.calls = plan.steps.map((s) => instance.exports[s] as () => void);
  }

  run(inputs: readonly TypedArray[], dest?: readonly (TypedArray | undefined)[], immutable = 0): TypedArray[] {
    const inV = this.inViews;
    const held = this.held;
    for (let m = 0; m < inV.length; m++) {
      const a = inputs[m]!;
      if (a === inV[m] || (m < immutable && a === held[m])) continue;
      inV[m]!.set(a);
      held[m] = m < immutable ? a : undefined;
    }
    for (const c of this.calls) c();
    const outs: TypedArray[] = [];
    for (let k = 0; k < this.nResults; k++) outs.push(this.outViews[k]!.slice());
    const nState = this.outViews.length - this.nResults;
    if (nState === 0) return outs;
    const pairs = (this.pairs ??= Array.from({ length: nState }, (_, k) => inputs.indexOf(dest?.[this.nResults + k] as TypedArray)));
    // A new state that is another Variable's old value lives in that Variable's home (plan.stateInput), which this loop may overwrite first.
    const staged = (this.staged ??= pairs.map((_, k) => pairs.some((m, j) => j !== k && m >= 0 && m === this.plan.stateInput[k])));
    const vals = this.outViews.slice(this.nResults).map((v, k) => (staged[k] ? v.slice() : v));
    for (let k = 0; k < nState; k++) {
      const val = vals[k]!;
      const m = pairs[k]!;
      const d = dest?.[this.nResults + k];
      if (m >= 0) {
        const home = inV[m]!;
        if (home.byteOffset !== val.byteOffset || home.buffer !== val.buffer) home.set(val);
        held[m] = undefined; // a Variable's home never holds an immutable argument's values
        if (d && d !== home) d.set(home);
        outs.push(d ?? home.slice());
      } else if (d) {
        d.set(val);
        outs.push(d);
      } else outs.push(val.slice());
    }
    return outs;
  }

  /** Where state output `k` lives between calls (a view of this executable's memory), once resident. */
  stateBuffer(k: number): TypedArray | undefined {
    const m = this.pairs?.[k];
    return m === undefined || m < 0 ? undefined : this.inViews[m];
  }

  /**
   * The module as WAT. Compiles skip printing it (recipe.ts `text`), so the first call
   * asks the worker to rebuild the module from the recipe with its text and waits.
   */
  describe(): string {
    if (this.wat === undefined) {
      const m = requestModule({ ...this.plan.recipe, text: true }).wait(60_000);
      if (m?.wat === undefined) throw new TierUnavailableError("wasm tier: the compile worker did not print the module (binaryen unavailable?)");
      this.wat = m.wat;
    }
    return this.wat;
  }
}
