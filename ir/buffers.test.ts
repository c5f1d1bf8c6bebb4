// The shared buffer plan: alias roots, last uses, and when a new value may be written
// over an input's storage (Variables' states, loop carries).

import { describe, expect, it } from "vitest";
import { np, Variable, type NDArray } from "../index.js";
import { traceProgram } from "../testing/programs.js";
import { instrSteps, kernelSteps, mayWriteOver, overwriteCandidates, planBuffers } from "./buffers.js";
import { fuse } from "./fusion.js";
import type { Program } from "./program.js";

const trace = (fn: (...xs: NDArray[]) => NDArray | NDArray[] | void, ...args: NDArray[]) => traceProgram(fn, args).program;
const kernelPlan = (p: Program, prologue: "first" | "fused") => {
  const kernels = fuse(p).kernels;
  return { kernels, plan: planBuffers(p, kernelSteps(p, kernels, prologue)) };
};
/** The step writing value v. */
const writer = (p: ReturnType<typeof kernelPlan>, v: number) => p.plan.steps.findIndex((s) => s.writes.includes(v));
const stateOf = (p: Program, k = 0) => p.outputs[p.outputs.length - p.stateOutputs + k]!;
/** The input of the program that is Variable `v`'s old value (traceProgram appends Variables after the arguments). */
const varInput = (p: Program, nArgs: number, k = 0) => p.inputs[nArgs + k]!;

describe("planBuffers", () => {
  it("a reshape aliases its operand (roots chain), unless its value must own storage", () => {
    // Without the views pass, which would read the second reshape straight from exp.
    const p = traceProgram((x: NDArray) => x.exp().reshape([2, 3]).reshape([6]).sum(), [np.ones([3, 2])], ["views"]).program;
    const plan = planBuffers(p, instrSteps(p));
    const [exp, r1, r2] = p.body.slice(0, 3).map((i) => i.out);
    expect(plan.alias.slice(0, 3)).toEqual([false, true, true]);
    expect([plan.root[r1!], plan.root[r2!]]).toEqual([exp, exp]);
    const owned = planBuffers(p, instrSteps(p), (v) => v === r2);
    expect([owned.root[r1!], owned.root[r2!]]).toEqual([exp, r2]);
  });
  it("last use is per root (an alias's reads keep its root alive); outputs are read at END", () => {
    const p = trace((x: NDArray) => {
      const e = x.exp();
      const r = e.reshape([6]);
      return [e.add(1), r.mul(2)];
    }, np.ones([3, 2]));
    const plan = planBuffers(p, instrSteps(p));
    const e = p.body.find((i) => i.op === "exp")!.out;
    const mulStep = p.body.findIndex((i) => i.op === "mul");
    expect(plan.lastUse[e]).toBe(Math.max(mulStep, p.body.findIndex((i) => i.op === "add")));
    expect(plan.dying[plan.lastUse[e]!]).toContain(e);
    for (const o of p.outputs) expect(plan.lastUse[plan.root[o]!]).toBe(plan.end);
  });
  it("inputAt: the input whose storage a value's root is (a Variable given another's old value)", () => {
    let v: Variable, w: Variable;
    const p = trace(() => {
      v ??= new Variable(np.array([1, 2]));
      w ??= new Variable(np.array([3, 4]));
      const old = v.value;
      v.value = w.value.reshape([2]);
      w.value = old.add(1);
    });
    const plan = planBuffers(p, instrSteps(p));
    const states = p.outputs.slice(p.outputs.length - p.stateOutputs);
    expect(states.map((s) => plan.inputAt[s])).toEqual([1, -1]); // v's new value is w's old storage
  });
});

describe("mayWriteOver", () => {
  it("an elementwise update reads each element before writing it: in place", () => {
    let v: Variable;
    const p = trace(() => {
      v ??= new Variable(np.array([1, 2, 3, 4]));
      v.value = v.value.mul(2).add(1);
    });
    const kp = kernelPlan(p, "fused");
    expect(mayWriteOver(kp.plan, varInput(p, 0), writer(kp, stateOf(p)))).toBe(true);
  });
  it("not when a later step still reads the old value", () => {
    let v: Variable;
    const p = trace(() => {
      v ??= new Variable(np.array([1, 2, 3, 4]));
      const old = v.value;
      v.value = old.mul(2);
      return np.flip(old, 0);
    });
    const kp = kernelPlan(p, "fused");
    const s = writer(kp, stateOf(p));
    expect(kp.plan.lastUse[varInput(p, 0)]).toBeGreaterThan(s);
    expect(mayWriteOver(kp.plan, varInput(p, 0), s)).toBe(false);
  });
  it("not when the old value is also an output (read at END)", () => {
    let v: Variable;
    const p = trace(() => {
      v ??= new Variable(np.array([1, 2, 3, 4]));
      const old = v.value;
      v.value = old.mul(2);
      return old;
    });
    const kp = kernelPlan(p, "first");
    expect(mayWriteOver(kp.plan, varInput(p, 0), writer(kp, stateOf(p)))).toBe(false);
  });
  it("not when the writer reads the old value whole (a movement op)", () => {
    let v: Variable;
    const p = trace(() => {
      v ??= new Variable(np.array([1, 2, 3, 4]));
      v.value = np.flip(v.value, 0);
    });
    const kp = kernelPlan(p, "first");
    expect(mayWriteOver(kp.plan, varInput(p, 0), writer(kp, stateOf(p)))).toBe(false);
  });
  it("a contraction prologue is aligned only when the tier runs it before the main loop", () => {
    // v broadcast into [4,4] in the reduction's prologue: every result element reads all of v.
    let v: Variable;
    const C = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
    const p = trace(() => {
      v ??= new Variable(np.array([1, 2, 3, 4]));
      v.value = np.sum(v.value.mul(C), 1);
    });
    const first = kernelPlan(p, "first");
    const k = first.kernels[writer(first, stateOf(p))]!;
    expect(k.kind === "reduce" && k.prologue.length > 0).toBe(true);
    expect(mayWriteOver(first.plan, varInput(p, 0), writer(first, stateOf(p)))).toBe(true); // tier 2: prologue loop first
    const fused = kernelPlan(p, "fused");
    expect(mayWriteOver(fused.plan, varInput(p, 0), writer(fused, stateOf(p)))).toBe(false); // tier 1: prologue per term
  });
  it("nothing in a one-pass group is aligned", () => {
    let v: Variable;
    const p = trace(() => {
      v ??= new Variable(np.array([1, 2, 3, 4]));
      v.value = v.value.mul(2);
    });
    const steps = kernelSteps(p, fuse(p).kernels, "first");
    const plan = planBuffers(p, [{ ...steps[0]!, aligned: new Set() }]);
    expect(mayWriteOver(plan, varInput(p, 0), 0)).toBe(false);
  });
});

describe("overwriteCandidates", () => {
  it("a computed new value over its old one; not a swap, a pass-through or a value filling two outputs", () => {
    let v: Variable, w: Variable, u: Variable;
    const p = trace(() => {
      v ??= new Variable(np.array([1, 2]));
      w ??= new Variable(np.array([3, 4]));
      u ??= new Variable(np.array([5, 6]));
      const [a, b] = [v.value, w.value];
      v.value = a.add(1);
      w.value = a; // w takes v's old value: v's old value is passed out again
      u.value = b.add(u.value);
    });
    const states = p.outputs.slice(p.outputs.length - p.stateOutputs);
    const m = overwriteCandidates(p, states.map((s, k) => [s, p.inputs[k]!] as const));
    expect([...m.keys()]).toEqual([states[2]]); // v's old value is w's new one; w's new value is no computed value
  });
});
