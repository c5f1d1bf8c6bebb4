// Module fields read while tracing are checked by identity before each call: a field
// that now holds another Variable, array or number retraces with a reason naming it
// (issue 14: `m.w = new Variable(...)` used to be ignored, the compiled code kept
// updating the old Variable).
import { expect, it } from "vitest";
import { jit, np, Module, Variable } from "../index.js";

class M extends Module {
  w = new Variable(np.zeros([2]));
  X = np.ones([2]);
  lr = 0.5;
  call() {
    this.w.value = this.w.add(this.X.mul(this.lr));
    return this.w.sum();
  }
}

it("a replaced Variable, array or number field retraces, naming the field", () => {
  const m = new M();
  const f = jit(m);
  f();
  f();
  expect(m.w.toArray()).toEqual([1, 1]);
  const old = m.w;
  m.w = new Variable(np.zeros([2]));
  f();
  expect(m.w.toArray()).toEqual([0.5, 0.5]); // the new Variable is updated...
  expect(old.toArray()).toEqual([1, 1]); // ...and the old one no longer
  expect(f.inspect().signatures.at(-1)!.traceReason).toBe("field w: another Variable");
  m.X = np.full([2], 2);
  f();
  expect(f.inspect().signatures.at(-1)!.traceReason).toBe("field X: another array");
  expect(m.w.toArray()).toEqual([1.5, 1.5]);
  m.X = np.full([3], 2);
  m.w = new Variable(np.zeros([3]));
  f();
  expect(f.inspect().signatures.at(-1)!.traceReason).toBe("field w: another Variable (Variable f32[2] -> Variable f32[3])");
  expect(m.w.toArray()).toEqual([1, 1, 1]);
  m.lr = 1;
  f();
  expect(f.inspect().signatures.at(-1)!.traceReason).toBe("field lr: 0.5 -> 1");
  expect(m.w.toArray()).toEqual([3, 3, 3]);
  expect(f.inspect().signatures.length).toBe(1); // a stale signature is replaced, not kept
});

it("fields of sub-modules and arrays of modules are checked too, and jitted methods", () => {
  class Layer extends Module {
    b = np.ones([2]);
  }
  class Net extends Module {
    layers = [new Layer(), new Layer()];
    forward(x: import("../index.js").NDArray) {
      return x.add(this.layers[1]!.b);
    }
  }
  Module.jitMethods(Net, "forward");
  const n = new Net();
  expect(n.forward(np.zeros([2])).toArray()).toEqual([1, 1]);
  n.layers[1]!.b = np.full([2], 5);
  expect(n.forward(np.zeros([2])).toArray()).toEqual([5, 5]);
  expect(n.jitted("forward").inspect().signatures.at(-1)!.traceReason).toBe("field layers[1].b: another array");
  n.layers = [new Layer(), new Layer()];
  expect(n.forward(np.zeros([2])).toArray()).toEqual([1, 1]);
  expect(n.jitted("forward").inspect().signatures.at(-1)!.traceReason).toBe("field layers: another Array");
});
