// `npm run demo`: gelu and the logistic-regression Module, eager and jitted, with
// timings, agreement with a float64 reference, and what inspect() reports; the
// regression's gradient derived by grad (and per example by vmap); a spiking
// network's per-call latency by tier and its spike raster, written as SVG files.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { grad, jit, nn, np, vmap, type NDArray } from "../index.js";
import { latencySvg, rasterSvg, type CallPoint } from "./plots.js";
import { compare, table } from "./harness.js";
import { LifPopulation, textRaster } from "./brain.js";
import { LogisticRegression, gelu, geluRef, logisticRegressionRef, regressionData } from "./workloads.js";

/** Largest error relative to max(|reference|, 1): relative for large values, absolute near 0 (where gelu cancels). */
function maxErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

function identical(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return a.length === b.length;
}

console.log("tierjit demo\n============\n");
const plotReport = plotNetwork();

// ---- gelu ----
np.random.seed(0);
const x = np.random.normal([100_000]).mul(3);
const jgelu = jit(gelu);
const eagerY = gelu(x);
const jitY = jgelu(x);
const ref = Float64Array.from(x.toTypedArray(), geluRef);
console.log(`gelu on ${x.size.toLocaleString()} float32 values`);
console.log(`  eager vs jit: ${identical(eagerY.toTypedArray(), jitY.toTypedArray()) ? "bit-identical" : "DIFFERENT"}`);
console.log(`  max error vs float64 reference (relative to max(|ref|, 1)): ${maxErr(jitY.toTypedArray(), ref).toExponential(2)}`);
console.log(table("  timings", compare([{ name: "eager", run: () => gelu(x) }, { name: "jit", run: () => jgelu(x) }], { rounds: 5, budgetMs: 30 }), "eager"));

// ---- logistic regression ----
const { X, Y } = regressionData(200_000, 10, 1);
const eagerModel = new LogisticRegression(X, Y);
const jitModel = new LogisticRegression(X, Y);
const step = jit(jitModel);
const t0 = performance.now();
for (let i = 0; i < 30; i++) eagerModel.call();
const t1 = performance.now();
for (let i = 0; i < 30; i++) step();
const t2 = performance.now();
const wRef = logisticRegressionRef(X, Y, 30);
console.log(`\nlogistic regression, N = ${X.shape[0]!.toLocaleString()}, D = ${X.shape[1]}, 30 steps`);
console.log(`  eager ${(t1 - t0).toFixed(1)} ms, jit ${(t2 - t1).toFixed(1)} ms (${((t1 - t0) / (t2 - t1)).toFixed(2)}x)`);
console.log(`  eager vs jit weights: ${identical(eagerModel.w.toTypedArray(), jitModel.w.toTypedArray()) ? "bit-identical" : "DIFFERENT"}`);
console.log(`  max error vs float64 reference (relative to max(|ref|, 1)): ${maxErr(jitModel.w.toTypedArray(), wRef).toExponential(2)}`);
console.log(`  w = ${jitModel.w.toString()}`);

console.log("\nstep.explain():\n");
console.log(step.explain());
console.log("\nbytecode of the regression step:\n");
console.log(step.inspect().signatures[0]!.bytecode);

// ---- the regression's gradient, derived instead of hand-written ----
// log(1 + exp(-z)) as nn.softplus(-z): the naive form's exp overflows at the trained weights, and its gradient is then inf/inf.
const logLoss = (w: NDArray, Xs: NDArray, Ys: NDArray) => nn.softplus(Ys.mul(np.dot(Xs, w)).neg()).sum();
const w1 = jitModel.w.value;
const z1 = Y.mul(np.dot(X, w1));
const uHand = np.dot(np.div(1, np.add(1, np.exp(z1.neg()))).sub(1).mul(Y), X);
const uGrad = jit(grad(logLoss))(w1, X, Y);
console.log("\ngrad of the log-loss (the seed's hand-written u, derived by grad):");
console.log(`  jit(grad(loss))(w) = ${uGrad.toString()}`);
console.log(`  max difference from the hand-written u (relative to max(|u|, 1)): ${maxErr(uGrad.toTypedArray(), uHand.toTypedArray()).toExponential(2)}`);
const perExample = jit(vmap(grad(logLoss), { inAxes: [null, 0, 0] }));
const Xs = X.slice([0, 1000]);
const Ys = Y.slice([0, 1000]);
const g1000 = perExample(w1, Xs, Ys);
console.log(`  per-example gradients of the first 1,000 examples, vmap(grad(loss), { inAxes: [null, 0, 0] }): shape [${g1000.shape.join(", ")}]`);
console.log(`  their sum vs grad of the 1,000-example loss: max difference ${maxErr(g1000.sum(0).toTypedArray(), grad(logLoss)(w1, Xs, Ys).toTypedArray()).toExponential(2)}`);

// ---- brain dynamics ----
const pop = new LifPopulation({ n: 200, seed: 2 });
const simulate = jit((steps: number) => pop.raster(steps), { staticArgnums: [0] });
const t3 = performance.now();
const spikes = simulate(1000);
const t4 = performance.now();
console.log(`\nLIF population: 200 neurons, 1,000 steps of 0.1 ms as one jitted np.scan (${(t4 - t3).toFixed(1)} ms); the loop starts in tier 0 and moves up mid-loop:`);
for (const e of simulate.inspect().signatures[0]!.events) console.log(`  at call ${e.call}: ${e.from ?? "trace"} -> ${e.to} (${e.compileMs.toFixed(2)} ms): ${e.reason}`);
console.log(`  ${pop.spikeCount.sum().item()} spikes; raster of the first 24 neurons, one column per 1 ms:`);
console.log(textRaster(spikes, 24, 10));


for (const line of plotReport) console.log(line);

// ---- plots: each call's latency with its tier, and the spike raster, as SVG files ----
// Run first, in a fresh process, so the plot shows the whole climb (binaryen loads while
// tier 1 runs); its report is printed last.
function plotNetwork(): string[] {
  const n = 1500;
  const net = new LifPopulation({ n, recurrent: true, seed: 4 });
  const stepCall = jit(() => net.step(), { name: "lif-step" });
  const calls: CallPoint[] = [];
  const spikesPerStep: Uint8Array[] = [];
  const start = performance.now();
  let wasmAt = -1;
  while (calls.length < 3000 && performance.now() - start < 20_000 && (wasmAt < 0 || calls.length < wasmAt + 300)) {
    const t = performance.now();
    const s = stepCall();
    const ms = performance.now() - t;
    const tier = stepCall.inspect().tier;
    if (tier === "wasm" && wasmAt < 0) wasmAt = calls.length;
    calls.push({ ms, tier });
    spikesPerStep.push(s.toTypedArray() as Uint8Array);
  }
  const dir = join(process.cwd(), "demo-output");
  mkdirSync(dir, { recursive: true });
  const latency = join(dir, "latency.svg");
  const raster = join(dir, "raster.svg");
  writeFileSync(latency, latencySvg(calls, `jit(step) of a recurrent LIF network (${n} neurons): latency of each call and the tier it ran in`));
  writeFileSync(raster, rasterSvg(spikesPerStep, calls.map((c) => c.tier), `spike raster, ${n} neurons x ${calls.length} steps of 0.1 ms`));
  const firstIn = (tier: string) => calls.findIndex((c) => c.tier === tier);
  return [
    `\nplots: ${calls.length} calls of a ${n}-neuron recurrent step (js from call ${firstIn("js")}, wasm from call ${firstIn("wasm")})`,
    `  latency per call: ${latency}`,
    `  spike raster:     ${raster}`,
  ];
}
