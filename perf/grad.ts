// Autodiff benchmarks (bench.ts sections "grad-mlp", "grad-lif"; "grad" runs both):
// - the 784-128-10 MLP training step (batch 128, relu, softmax cross-entropy, SGD) with
//   jit(valueAndGrad(loss)) against the same step with the backward pass written by
//   hand, both jitted and pinned to tier 2, and against jax-js jit(valueAndGrad) on its
//   wasm device (a benchmark-only dev dependency, loaded here only, as in peers.ts);
// - the gradient through a 1,000-step forLoop of a LIF population with a smooth
//   surrogate spike, against the forward pass alone: time, and memory as the tier-2
//   executable's linear memory (the stored carries live there) beside the stored
//   carries' own size.
// Every step ends by reading its loss back to JS (jax-js is lazy: this runs it).

import { Variable, jit, np, stopGradient, valueAndGrad, type NDArray } from "../index.js";
import { compare, fmtMs, table } from "./harness.js";

const B = 128;
const D = 784;
const H = 128;
const K = 10;
const LR = 0.1;

/** MNIST-shaped data: inputs in [0, 1), one-hot labels, and the initial weights (as Float32Arrays, shared by every candidate). */
function mlpData() {
  np.random.seed(12);
  const X = np.random.random([B, D]);
  const labels = np.astype(np.random.random([B]).mul(K).floor(), "int32");
  const Y = np.astype(np.arange(K, "int32").equal(labels.reshape(B, 1)), "float32");
  const w1 = np.random.normal([D, H]).mul(Math.sqrt(2 / D));
  const w2 = np.random.normal([H, K]).mul(Math.sqrt(2 / H));
  return { X, Y, w1, w2, b1: np.zeros([H]), b2: np.zeros([K]) };
}

type Params = { w1: NDArray; b1: NDArray; w2: NDArray; b2: NDArray };

/** Mean softmax cross-entropy; the max is a constant of the derivative (as jax.nn.logsumexp). */
function mlpLoss(p: Params, x: NDArray, y: NDArray): NDArray {
  const h = np.maximum(np.matmul(x, p.w1).add(p.b1), 0);
  const z = np.matmul(h, p.w2).add(p.b2);
  const m = stopGradient(z.max(1, true));
  const lse = m.add(z.sub(m).exp().sum(1, true).log());
  return z.sub(lse).mul(y).sum().neg().div(x.shape[0]!);
}

function varsOf(d: ReturnType<typeof mlpData>) {
  return { w1: new Variable(d.w1), b1: new Variable(d.b1), w2: new Variable(d.w2), b2: new Variable(d.b2) };
}
type Vars = ReturnType<typeof varsOf>;
const values = (v: Vars): Params => ({ w1: v.w1.value, b1: v.b1.value, w2: v.w2.value, b2: v.b2.value });

function autodiffStep(v: Vars) {
  return jit((x: NDArray, y: NDArray) => {
    const [l, g] = valueAndGrad((p: Params) => mlpLoss(p, x, y))(values(v));
    for (const k of ["w1", "b1", "w2", "b2"] as const) v[k].value = v[k].sub(g[k].mul(LR));
    return l;
  }, { tier: "wasm" });
}

/** The same step with the backward pass written out. */
function handStep(v: Vars) {
  return jit((x: NDArray, y: NDArray) => {
    const z1 = np.matmul(x, v.w1).add(v.b1);
    const h = np.maximum(z1, 0);
    const z = np.matmul(h, v.w2).add(v.b2);
    const m = z.max(1, true);
    const e = z.sub(m).exp();
    const s = e.sum(1, true);
    const l = z.sub(m.add(s.log())).mul(y).sum().neg().div(B);
    const dz = e.div(s).sub(y).div(B);
    const dh = np.matmul(dz, v.w2.value.T);
    const dz1 = np.where(z1.greater(0), dh, 0);
    const gw2 = np.matmul(h.T, dz);
    const gb2 = dz.sum(0);
    const gw1 = np.matmul(x.T, dz1);
    const gb1 = dz1.sum(0);
    v.w1.value = v.w1.sub(gw1.mul(LR));
    v.b1.value = v.b1.sub(gb1.mul(LR));
    v.w2.value = v.w2.sub(gw2.mul(LR));
    v.b2.value = v.b2.sub(gb2.mul(LR));
    return l;
  }, { tier: "wasm" });
}

export async function benchGradMlp(): Promise<void> {
  const d = mlpData();
  const va = varsOf(d);
  const vh = varsOf(d);
  const auto = autodiffStep(va);
  const hand = handStep(vh);
  // The two steps agree (same weights after a few steps, up to float32 rounding order).
  const la: number[] = [];
  const lh: number[] = [];
  for (let i = 0; i < 5; i++) {
    la.push(auto(d.X, d.Y).item());
    lh.push(hand(d.X, d.Y).item());
  }
  const wdiff = Math.max(...Array.from(va.w1.value.sub(vh.w1.value).abs().max().toTypedArray()));

  const jax = await import("@jax-js/jax");
  await jax.init("wasm");
  jax.defaultDevice("wasm");
  const jnp = jax.numpy;
  type JArr = InstanceType<typeof jnp.Array>;
  type JP = { w1: JArr; b1: JArr; w2: JArr; b2: JArr };
  const jLoss = (p: JP, x: JArr, y: JArr) => {
    const h = jax.nn.relu(jnp.matmul(x, p.w1).add(p.b1));
    const z = jnp.matmul(h, p.w2).add(p.b2);
    return jax.nn.logSoftmax(z, -1).mul(y).sum().mul(-1 / B);
  };
  const jStep = jax.jit((p: JP, x: JArr, y: JArr) => {
    const [l, g] = jax.valueAndGrad(jLoss)({ w1: p.w1.ref, b1: p.b1.ref, w2: p.w2.ref, b2: p.b2.ref }, x, y);
    const gp = g as JP;
    return [l, { w1: p.w1.sub(gp.w1.mul(LR)), b1: p.b1.sub(gp.b1.mul(LR)), w2: p.w2.sub(gp.w2.mul(LR)), b2: p.b2.sub(gp.b2.mul(LR)) }] as [JArr, JP];
  });
  const arr = (a: NDArray) => jnp.array(a.toTypedArray() as Float32Array).reshape([...a.shape]);
  let jp: JP = { w1: arr(d.w1), b1: arr(d.b1), w2: arr(d.w2), b2: arr(d.b2) };
  const Xj = arr(d.X);
  const Yj = arr(d.Y);
  const jaxRun = () => {
    const [l, next] = jStep(jp, Xj.ref, Yj.ref);
    jp = next;
    return l.dataSync()[0];
  };
  const lj: number[] = [];
  for (let i = 0; i < 5; i++) lj.push(jaxRun()!);

  const ts = compare([
    { name: "jit(valueAndGrad(loss))", run: () => auto(d.X, d.Y).item() },
    { name: "hand-written backprop, jit", run: () => hand(d.X, d.Y).item() },
    { name: "jax-js jit(valueAndGrad)", run: jaxRun },
  ], { rounds: 15 });
  const ms = (n: string) => ts.find((t) => t.name === n)!.ms;
  const a = ms("jit(valueAndGrad(loss))");
  console.log(table(`grad: MLP ${D}-${H}-${K} training step, batch ${B}, softmax cross-entropy + SGD (tierjit pinned to tier 2)`, ts, "jit(valueAndGrad(loss))"));
  console.log(`  losses over the first 5 steps: autodiff ${la.map((l) => l.toFixed(5)).join(" ")}; hand ${lh.map((l) => l.toFixed(5)).join(" ")}; jax-js ${lj.map((l) => l.toFixed(5)).join(" ")} (max |w1 autodiff - w1 hand| ${wdiff.toExponential(1)})`);
  console.log(`  autodiff: ${(a / ms("hand-written backprop, jit")).toFixed(2)}x the hand-written step's time (target <= 1.3x); ${(ms("jax-js jit(valueAndGrad)") / a).toFixed(2)}x faster than jax-js (target >= 3x)\n`);
  Xj.dispose();
  Yj.dispose();
  for (const k of ["w1", "b1", "w2", "b2"] as const) jp[k].dispose();
}

// ---- LIF population, 1,000 steps, smooth surrogate spike ----

const LIF = { n: 2_000, steps: 1_000, dt: 0.1, tau: 10, tauSyn: 5, vRest: -65, vReset: -68, vTh: -50, mu: 20, sigma: 8, beta: 2 };

/**
 * The LIF population of perf/brain.ts with its spike made smooth: s = sigmoid(beta (V - V_th))
 * and a soft reset V -= s (V - V_reset); the drive is w * I with I noisy (np.random inside the
 * loop: constants of the derivative). Returns the mean surrogate rate's squared distance to a
 * target, a function of the per-neuron input weights w.
 */
function lifLoss(w: NDArray, outer = 1): NDArray {
  const { n, steps, dt, tau, tauSyn, vRest, vReset, vTh, mu, sigma, beta } = LIF;
  type Carry = [NDArray, NDArray, NDArray];
  const step = ([V, g, r]: Carry): Carry => {
    const I = np.random.normal([n]).mul(sigma).add(mu).mul(w);
    const vNew = V.add(V.sub(vRest).neg().add(I.add(g)).mul(dt / tau));
    const s = vNew.sub(vTh).mul(beta).sigmoid();
    const gNew = g.mul(Math.exp(-dt / tauSyn)).add(s.mul(0.5));
    return [vNew.sub(s.mul(vNew.sub(vReset))), gNew, r.add(s)];
  };
  const init: Carry = [np.full([n], vRest), np.zeros([n]), np.zeros([n])];
  // outer > 1: the same steps as `outer` loops of steps/outer inside one loop, so reverse mode stores outer + steps/outer carries (checkpointing).
  const [, , rate] = outer === 1
    ? np.forLoop<Carry>(0, steps, (_t, c) => step(c), init)
    : np.forLoop<Carry>(0, outer, (_o, c) => np.forLoop<Carry>(0, steps / outer, (_t, ci) => step(ci), c), init);
  return rate.div(steps).sub(0.05).square().mean();
}

/** The tier-2 executable's linear memory in MiB (the `memory` line of its WAT: initial pages). */
function wasmMiB(f: ReturnType<typeof jit>): number {
  const pages = /memory \$\w+ (\d+)/.exec(f.inspect().signatures[0]?.wat ?? "");
  return pages ? (Number(pages[1]) * 65536) / 2 ** 20 : NaN;
}

export function benchGradLif(): void {
  const { n, steps } = LIF;
  np.random.seed(3);
  const w = np.random.random([n]).add(0.5);
  const fwd = jit((x: NDArray) => lifLoss(x), { tier: "wasm" });
  const bwd = jit((x: NDArray) => valueAndGrad(lifLoss)(x), { tier: "wasm" });
  // Each call draws new noise; the checks reseed so that they compare the same draws.
  const at = <T>(f: () => T): T => (np.random.seed(4), f());
  const l0 = at(() => fwd(w).item());
  const [l, g] = at(() => bwd(w) as [NDArray, NDArray]);
  // The gradient against central differences along one coordinate (float32: a loose check).
  const e = np.arange(n, "int32").equal(7).astype("float32");
  const h = 1e-2;
  const fd = (at(() => fwd(w.add(e.mul(h))).item()) - at(() => fwd(w.sub(e.mul(h))).item())) / (2 * h);
  const nested = jit((x: NDArray) => valueAndGrad((v: NDArray) => lifLoss(v, 40))(x), { tier: "wasm" });
  const [ln, gn] = at(() => nested(w) as [NDArray, NDArray]);
  const ts = compare([
    { name: "forward (jit)", run: () => fwd(w).item() },
    { name: "valueAndGrad (jit)", run: () => (bwd(w) as NDArray[])[0]!.item() },
    { name: "valueAndGrad, 40 x 25 nested", run: () => (nested(w) as NDArray[])[0]!.item() },
  ], { rounds: 5, warmup: 1, budgetMs: 100 });
  const ms = (k: string) => ts.find((t) => t.name === k)!.ms;
  // The reverse loop reads V and g entering each step; the running rate r it never reads, so it is not stored.
  const stored = (steps * 2 * n * 4) / 2 ** 20;
  console.log(table(`grad: LIF population n = ${n.toLocaleString()}, ${steps.toLocaleString()}-step forLoop, sigmoid surrogate spike (tier 2)`, ts, "forward (jit)"));
  console.log(`  loss ${l.item().toExponential(6)} (forward alone ${l0.toExponential(6)}); d/dw[7] ${g.toTypedArray()[7]!.toExponential(4)}, central difference (h = ${h}) ${fd.toExponential(4)}`);
  console.log(`  gradient: ${(ms("valueAndGrad (jit)") / ms("forward (jit)")).toFixed(2)}x the forward pass's time (${fmtMs(ms("valueAndGrad (jit)"))} vs ${fmtMs(ms("forward (jit)"))}); ` +
    `tier-2 linear memory ${wasmMiB(bwd).toFixed(1)} MiB vs ${wasmMiB(fwd).toFixed(1)} MiB forward (the stored carries V and g: ${steps} x 2 x ${n} float32 = ${stored.toFixed(1)} MiB; the rate r is not read, so not stored)`);
  const gmax = g.abs().max().item();
  const diff = gn.sub(g).abs().max().item() / gmax;
  console.log(`  as 40 outer x 25 inner steps (the outer loop's reverse reruns each inner loop: checkpoints): ${(ms("valueAndGrad, 40 x 25 nested") / ms("forward (jit)")).toFixed(2)}x the forward time, ` +
    `${wasmMiB(nested).toFixed(1)} MiB; loss ${ln.item() === l.item() ? "identical" : "differs"}, gradient within ${diff.toExponential(1)} of the flat loop's (relative to its largest element; the captured w's cotangent is summed in another order)\n`);
}

