// vmap benchmarks (`node dist/perf/bench.js vmap`), ratios measured side by side in one
// process (perf/harness.ts):
// - 100 LIF populations of 1,000 neurons with different input gains, 1,000 steps:
//   jit(vmap(sim)) against a JS loop calling the jitted single-population sim 100
//   times (target: at least 3x faster) and against the same model broadcast by hand
//   (target: within 1.2x). All three give the same spike counts, bit for bit.
// - Per-example gradients of the seed's logistic-regression loss,
//   jit(vmap(grad(loss), { inAxes: [null, 0, 0] })) over 10,000 examples, against a JS
//   loop calling jit(grad(loss)) per example.

import { grad, jit, np, vmap, type NDArray } from "../index.js";
import { compare, table } from "./harness.js";
import { regressionData } from "./workloads.js";

const N = 1_000;
const POPS = 100;
const STEPS = 1_000;
const dt = 0.1;
const tau = 10;
const tRef = 2;
const vRest = -65;
const vReset = -68;
const vTh = -50;

/** Each neuron's share of the drive, and the starting potentials (fixed, so every run has the same spikes). */
const drive = np.linspace(0.6, 1.4, N).astype("float32").mul(20);
const v0 = np.linspace(vReset, vTh, N).astype("float32");

interface Lif {
  V: NDArray;
  refr: NDArray;
  count: NDArray;
}

/** One LIF step for currents I (any leading shape): integrate outside the refractory period, spike, reset. */
function lifStep(c: Lif, I: NDArray): Lif {
  const active = c.refr.lessEqual(0);
  const V1 = np.where(active, c.V.add(c.V.sub(vRest).neg().add(I).mul(dt / tau)), c.V);
  const spike = V1.greaterEqual(vTh);
  return { V: np.where(spike, vReset, V1), refr: np.where(spike, tRef, c.refr.sub(dt)), count: c.count.add(spike.astype("int32")) };
}

/** One population with input gain `gain` (a float32 scalar): its spike counts after STEPS steps. */
export function sim(gain: NDArray): NDArray {
  const I = drive.mul(gain);
  const init: Lif = { V: v0, refr: np.zeros([N]), count: np.zeros([N], "int32") };
  return np.forLoop(0, STEPS, (_i, c: Lif) => lifStep(c, I), init).count;
}

/** The same model for a batch of gains [P], broadcast by hand. */
export function simByHand(gains: NDArray): NDArray {
  const P = gains.shape[0]!;
  const I = gains.reshape(P, 1).mul(drive);
  const init: Lif = { V: np.broadcastTo(v0, [P, N]), refr: np.zeros([P, N]), count: np.zeros([P, N], "int32") };
  return np.forLoop(0, STEPS, (_i, c: Lif) => lifStep(c, I), init).count;
}

const bitsEqual = (a: NDArray, b: NDArray) => a.shape.join() === b.shape.join() && a.toTypedArray().every((v, i) => Object.is(v, b.toTypedArray()[i]));

export function benchVmapLif(): void {
  const gains = np.linspace(0.5, 1.5, POPS).astype("float32");
  const rows = Array.from({ length: POPS }, (_, b) => gains.slice(b));
  const batched = jit(vmap(sim), { name: "vmapSim" });
  const one = jit(sim, { name: "sim" });
  const byHand = jit(simByHand, { name: "simByHand" });
  const loop = () => np.stack(rows.map((g) => one(g)));
  const a = batched(gains);
  const same = bitsEqual(a, loop()) && bitsEqual(a, byHand(gains));
  const ts = compare([
    { name: "JS loop of jit(sim)", run: loop },
    { name: "jit(vmap(sim))", run: () => batched(gains) },
    { name: "hand-broadcast jit", run: () => byHand(gains) },
  ], { rounds: 5, budgetMs: 1, warmup: 2 });
  const tiers = [batched, one, byHand].map((f) => f.inspect().signatures[0]!.tier).join(", ");
  console.log(table(`${POPS} LIF populations x ${N.toLocaleString()} neurons, ${STEPS.toLocaleString()} steps (tiers: ${tiers}; spike counts bit-identical: ${same})`, ts, "JS loop of jit(sim)"));
  const v = ts[1]!.ms;
  console.log(`  jit(vmap(sim)) vs the JS loop: ${(ts[0]!.ms / v).toFixed(2)}x faster (target >= 3x); vs hand-broadcast: ${(v / ts[2]!.ms).toFixed(2)}x its time (target <= 1.2x)\n`);
}

/** The seed's logistic-regression loss for one example: log(1 + exp(-y x·w)). */
export const exampleLoss = (w: NDArray, x: NDArray, y: NDArray): NDArray => np.log(np.add(1, np.exp(y.mul(np.dot(x, w)).neg())));

export function benchVmapGrad(): void {
  const n = 10_000;
  const d = 10;
  const { X, Y } = regressionData(n, d, 5);
  const w = np.linspace(-0.5, 0.5, d).astype("float32");
  const perExample = jit(vmap(grad(exampleLoss), { inAxes: [null, 0, 0] }), { name: "perExampleGrads" });
  const one = jit(grad(exampleLoss), { name: "grad" });
  const xs = Array.from({ length: n }, (_, i) => X.slice(i));
  const ys = Array.from({ length: n }, (_, i) => Y.slice(i));
  const loop = () => np.stack(xs.map((x, i) => one(w, x, ys[i]!)));
  const same = bitsEqual(perExample(w, X, Y), loop());
  const ts = compare([
    { name: "JS loop of jit(grad(loss))", run: loop },
    { name: "jit(vmap(grad(loss)))", run: () => perExample(w, X, Y) },
  ], { rounds: 5, budgetMs: 20, warmup: 2 });
  console.log(table(`per-example gradients of the logistic-regression loss, ${n.toLocaleString()} examples, D = ${d} (tier: ${perExample.inspect().signatures[0]!.tier}; bit-identical: ${same})`, ts, "JS loop of jit(grad(loss))") + "\n");
}
