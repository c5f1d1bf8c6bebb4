// The seed workloads, shared by the demo, the benchmarks and the tests: gelu and a
// logistic-regression training step (as a Module holding its weights in a Variable).

import { Module, NDArray, Variable, np } from "../index.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** gelu(x) = x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))) */
export function gelu(x: NDArray): NDArray {
  const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
  return x.mul(0.5).mul(inner.tanh().add(1));
}

/** gelu as the seed writes it, `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x ** 3)))`: x ** 3 is np.pow(x, 3). */
export function geluSeed(x: NDArray): NDArray {
  return np.mul(np.mul(0.5, x), np.add(1, np.tanh(np.mul(SQRT_2_OVER_PI, np.add(x, np.mul(0.044715, np.pow(x, 3)))))));
}

/** The same formula in float64 JS: the accuracy reference. */
export function geluRef(x: number): number {
  return x * 0.5 * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

/** One gradient step of logistic regression: u = dot((sigmoid(Y * Xw) - 1) * Y, X); w -= u. */
export class LogisticRegression extends Module {
  readonly w: Variable;
  constructor(readonly X: NDArray, readonly Y: NDArray) {
    super();
    this.w = new Variable(np.zeros([X.shape[1]!]));
  }
  call(): void {
    const z = this.Y.mul(np.dot(this.X, this.w));
    const u = np.dot(np.div(1, np.add(1, np.exp(z.neg()))).sub(1).mul(this.Y), this.X);
    this.w.value = this.w.sub(u);
  }
}

/**
 * The same step as the seed writes it: a function of the data, `model(X, Y)`, updating
 * the weights `w` it closes over (jit keys X and Y as call arguments, not constants).
 */
export function logisticRegressionStep(w: Variable): (X: NDArray, Y: NDArray) => void {
  return (X, Y) => {
    const z = Y.mul(np.dot(X, w));
    const u = np.dot(np.div(1, np.add(1, np.exp(z.neg()))).sub(1).mul(Y), X);
    w.value = w.sub(u);
  };
}

/** Random data for the regression: X ~ N(0, 0.1²) of shape [n, d], labels ±1. */
export function regressionData(n: number, d: number, seed = 0): { X: NDArray; Y: NDArray } {
  np.random.seed(seed);
  const X = np.random.normal([n, d]).mul(0.1);
  const Y = np.where(np.random.random([n]).greater(0.5), 1, -1);
  return { X, Y };
}

/** `steps` steps of the regression in float64 JS, the accuracy reference for the weights. */
export function logisticRegressionRef(X: NDArray, Y: NDArray, steps: number): Float64Array {
  const [n, d] = X.shape as [number, number];
  const x = X.toTypedArray();
  const y = Y.toTypedArray();
  const w = new Float64Array(d);
  const u = new Float64Array(d);
  for (let s = 0; s < steps; s++) {
    u.fill(0);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < d; j++) z += x[i * d + j]! * w[j]!;
      const g = (1 / (1 + Math.exp(-y[i]! * z)) - 1) * y[i]!;
      for (let j = 0; j < d; j++) u[j]! += g * x[i * d + j]!;
    }
    for (let j = 0; j < d; j++) w[j]! -= u[j]!;
  }
  return w;
}
