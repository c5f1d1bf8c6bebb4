// Tier 1 against tier 0 on random programs (a focused generator: chains and trees of
// elementwise ops with broadcasting and scalar constants, reductions, matmuls, reshapes
// and transposes, so that fusion builds every kind of kernel with prologues and
// epilogues), and on the buffer rules: outputs that are inputs, repeated outputs,
// Variables updated in place, swapped, or read after being written.

import { describe, expect, it } from "vitest";
import type { DType, TypedArray } from "../../ir/dtype.js";
import { fuse } from "../../ir/fusion.js";
import { ELEMENTWISE, UNARY_OPS, type BinaryOp } from "../../ir/ops.js";
import { ProgramBuilder, type Program } from "../../ir/program.js";
import { broadcastShapes, sizeOf, type Shape } from "../../ir/shape.js";
import { jit, np, Variable, type NDArray } from "../../index.js";
import { interpreterTier } from "../interpreter/index.js";
import { compileJs, resetKernelCache } from "./index.js";
import { bits, fill, traceProgram } from "../../testing/programs.js";

let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function randomProgram(dt: DType): { p: Program; inputs: TypedArray[] } {
  const b = new ProgramBuilder();
  const R = pick([1, 3, 5]);
  const C = pick([1, 4, 7]);
  const shapes: Shape[] = [[R, C], [C], [R, 1], [], [R * C]];
  const vals: number[] = [];
  const inputs: TypedArray[] = [];
  for (let i = 0; i < 3; i++) {
    const s = pick(shapes.slice(0, 3));
    vals.push(b.input({ shape: s, dtype: dt }, `x${i}`));
    inputs.push(fill(dt, sizeOf(s)));
  }
  const info = (id: number) => b.values[id]!;
  const steps = 3 + Math.floor(rand() * 10);
  for (let s = 0; s < steps; s++) {
    const r = rand();
    const x = pick(vals.slice(-4));
    const xs = info(x).shape;
    if (r < 0.3) {
      const op = pick(UNARY_OPS.filter((o) => ELEMENTWISE[o].scalar[dt]));
      vals.push(b.emit(op, [x], { shape: xs, dtype: dt }));
    } else if (r < 0.65) {
      const op = pick((["add", "sub", "mul", "div", "maximum", "minimum", "pow"] as BinaryOp[]).filter((o) => ELEMENTWISE[o].scalar[dt]));
      let y = pick(vals);
      if (rand() < 0.3) y = b.constant({ shape: [], dtype: dt }, fill(dt, 1));
      let shape: number[];
      try {
        shape = broadcastShapes(op, [xs, info(y).shape]);
      } catch {
        continue;
      }
      vals.push(b.emit(op, rand() < 0.5 ? [x, y] : [y, x], { shape, dtype: dt }));
    } else if (r < 0.72) {
      const y = pick(vals);
      try {
        const shape = broadcastShapes("where", [xs, info(y).shape]);
        const c = b.emit("greater", [x, y], { shape, dtype: "bool" });
        vals.push(b.emit("where", [c, x, y], { shape, dtype: dt }));
      } catch {
        continue;
      }
    } else if (r < 0.85 && xs.length > 0) {
      const axes = xs.map((_, i) => i).filter(() => rand() < 0.6);
      if (axes.length === 0) axes.push(xs.length - 1);
      const op = pick(["sum", "max", "min"] as const);
      if (op !== "sum" && axes.some((a) => xs[a] === 0)) continue;
      vals.push(b.emit(op, [x], { shape: xs.filter((_, i) => !axes.includes(i)), dtype: dt }, { axes, keepdims: false }));
    } else if (r < 0.93 && dt !== "bool") {
      // matmul through reshapes, as np.dot traces them.
      const n = sizeOf(xs);
      const a = b.emit("reshape", [x], { shape: [1, n], dtype: dt });
      const w = b.constant({ shape: [n, C], dtype: dt }, fill(dt, n * C));
      const m = b.emit("matmul", [a, w], { shape: [1, C], dtype: dt });
      vals.push(b.emit("reshape", [m], { shape: [C], dtype: dt }));
    } else if (xs.length === 2) {
      vals.push(b.emit("transpose", [x], { shape: [xs[1]!, xs[0]!], dtype: dt }, { perm: [1, 0] }));
    }
  }
  const outs = [vals.at(-1)!, pick(vals)];
  return { p: b.finish(outs, ["a", "b"]), inputs };
}

function agree(p: Program, inputs: TypedArray[]): void {
  const want = interpreterTier.compile(p, { calls: 0, meanMs: 0 }).run(inputs.map((x) => x.slice()), []);
  const got = compileJs(p).run(inputs.map((x) => x.slice()), []);
  expect(got.map(bits)).toEqual(want.map(bits));
}

describe("tier js: random programs agree with tier 0", () => {
  for (const dt of ["float32", "float64", "int32"] as DType[]) {
    it(`${dt}: 150 programs`, () => {
      for (let i = 0; i < 150; i++) {
        const { p, inputs } = randomProgram(dt);
        agree(p, inputs);
      }
    });
  }
  it("size-generic kernels (after several lengths) agree too and are reused", () => {
    resetKernelCache();
    const f = (x: NDArray) => x.mul(x).add(np.tanh(x)).sum();
    for (const n of [5, 17, 33, 1, 0, 100]) {
      const x = np.random.normal([n]).mul(3);
      const a = jit(f, { tier: "interpreter" })(x);
      const js = jit(f, { tier: "js" });
      expect(bits(js(x).toTypedArray())).toEqual(bits(a.toTypedArray()));
      if (n === 5) expect(js.inspect().signatures[0]!.js).toMatch(/shapes baked in/);
      if (n === 17) expect(js.inspect().signatures[0]!.js).toMatch(/size-generic, compiled in/);
      if (n === 33) expect(js.inspect().signatures[0]!.js).toMatch(/size-generic, cached factory/); // no new compile
    }
  });
});

describe("tier js: reductions whose prologue broadcasts", () => {
  it("softmax-like sums over every axis, with rows, columns and scalars broadcast", () => {
    for (const shape of [[5, 7], [3, 1, 6], [4, 9, 2], [1, 5]]) {
      const x = np.random.normal(shape).mul(3);
      for (let axis = 0; axis < shape.length; axis++) {
        const f = (a: NDArray) => np.exp(a.sub(a.max(axis, true))).sum(axis).add(np.exp(a.mul(a.sum(0))).max(axis));
        const { program, inputs } = traceProgram(f, [x]);
        const fp = fuse(program);
        if (shape[0]! > 1) expect(fp.kernels.filter((k) => k.kind === "reduce" && k.prologue.length > 0).length, `${shape} axis ${axis}`).toBeGreaterThan(0);
        agree(program, inputs);
      }
    }
  });
});

describe("tier js: buffers, outputs and Variables", () => {
  const both = (make: () => () => unknown, check: () => unknown) => {
    const results = (["interpreter", "js"] as const).map((tier) => {
      const run = make();
      const f = jit(run, { tier });
      const r1 = f();
      const r2 = f();
      return JSON.stringify([r1, r2, check()], (_k, v) => (v instanceof np.ones([1]).constructor ? (v as NDArray).toArray() : v));
    });
    expect(results[1]).toEqual(results[0]);
  };
  it("Variables updated in place, read after write, swapped, returned", () => {
    let v: Variable, w: Variable;
    const setup = () => {
      v = new Variable(np.array([1, 2, 3]));
      w = new Variable(np.array([10, 20, 30]));
    };
    both(() => {
      setup();
      return () => {
        v.value = v.mul(2);
        w.value = w.add(v).add(v.sum());
        return [v.value.sum(), w.value];
      };
    }, () => [v.toArray(), w.toArray()]);
    both(() => {
      setup();
      return () => {
        const old = v.value;
        v.value = w.value;
        w.value = old;
      };
    }, () => [v.toArray(), w.toArray()]);
    both(() => {
      setup();
      return () => {
        v.value = np.exp(w.mul(0.01)).add(v);
        w.value = v.value; // another Variable gets the first one's new value
        return [v.value, v.value, w];
      };
    }, () => [v.toArray(), w.toArray()]);
  });
  it("an old Variable value read after its new value is computed in the same loop", () => {
    let v: Variable, w: Variable;
    both(() => {
      v = new Variable(np.array([2, 0, 2, 0, 3]));
      w = new Variable(np.array([1, 2, 3, 4, 5]));
      return () => {
        const old = v.value;
        v.value = np.exp(w.mul(0.1)); // written in place over v's old buffer...
        return old.mul(v.value); // ...which the same fused loop reads only afterwards
      };
    }, () => v.toArray());
  });
  it("a reduction whose prologue reads the old value broadcast is not written over it (tier 1 reads prologues inside the main loop)", () => {
    let v: Variable;
    const C = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
    both(() => {
      v = new Variable(np.array([1, -2, 3, -4]));
      return () => {
        v.value = np.sum(v.value.mul(C), 1); // every new element reads all of the old v
      };
    }, () => v.toArray());
  });
  it("a Variable written in place keeps its buffer", () => {
    const v = new Variable(np.zeros([5]));
    const buf = v._data;
    const f = jit(() => {
      v.value = v.add(1).mul(2);
    }, { tier: "js" });
    f();
    f();
    expect(v.toArray()).toEqual([6, 6, 6, 6, 6]);
    expect(v._data).toBe(buf);
  });
  it("results are fresh arrays on every call, inputs returned are copies", () => {
    const x = np.array([1, 2]);
    const f = jit((a: NDArray) => [a, a.mul(2), a.mul(2)], { tier: "js" });
    const [a, b, c] = f(x) as NDArray[];
    const [, b2] = f(x) as NDArray[];
    expect(a!._data).not.toBe(x._data);
    expect(b!._data).not.toBe(c!._data);
    expect(b!._data).not.toBe(b2!._data);
    expect(c!.toArray()).toEqual([2, 4]);
  });
  it("fusion keeps intermediates in registers (one kernel for gelu)", () => {
    const f = jit((x: NDArray) => x.mul(0.5).mul(np.tanh(x.mul(0.8)).add(1)), { tier: "js" });
    f(np.ones([10]));
    const s = f.inspect().signatures[0]!;
    expect(s.kernels.js!.match(/^kernel /gm)!.length).toBe(1);
    expect(fuse).toBeTypeOf("function");
  });
});
