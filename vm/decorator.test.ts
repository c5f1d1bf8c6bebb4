import { expect, it } from "vitest";
import { Module, NDArray, Variable, jitMethod, np } from "../index.js";

class Integrator extends Module {
  v = new Variable(np.zeros([3]));
  constructor(readonly dt: number) {
    super();
  }
  @jitMethod()
  step(input: NDArray): NDArray {
    this.v.value = this.v.add(input.mul(this.dt));
    return this.v.value.sum();
  }
}

it("@jitMethod() jits a method per instance", () => {
  const a = new Integrator(0.5);
  const b = new Integrator(2);
  expect(a.step(np.ones([3])).item()).toBe(1.5);
  expect(a.step(np.ones([3])).item()).toBe(3);
  expect(b.step(np.ones([3])).item()).toBe(6);
  expect(a.jitted("step").inspect().calls).toBe(2);
  expect(a.jitted("step").inspect().name).toBe("Integrator.step");
});
