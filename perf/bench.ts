// `npm run bench`: every figure is a ratio between candidates measured side by side
// in this one run (perf/harness.ts). Sections can be picked by name:
//   node dist/perf/bench.js gelu logreg firstcall
// ("grad" runs the autodiff benchmarks of perf/grad.ts: grad-mlp, grad-lif)

import { jit, np, type NDArray } from "../index.js";
import { compare, fmtMs, median, table } from "./harness.js";
import { LogisticRegression, gelu, regressionData } from "./workloads.js";
import { benchTier2, benchTier2LogReg, benchTier2Memory } from "./tier2.js";
import { withEager } from "../vm/eager.js";
import { benchTier1, benchTier1Fusion, benchTierUp } from "./tier1.js";

const only = process.argv.slice(2);
const want = (s: string) => only.length === 0 || only.includes(s);

if (want("gelu")) {
  for (const n of [1_000, 100_000, 1_000_000]) {
    np.random.seed(n);
    const x = np.random.normal([n]).mul(3);
    const t0 = jit(gelu, { tier: "interpreter" });
    const ts = compare([
      { name: "eager", run: () => gelu(x) },
      { name: "tier0", run: () => t0(x) },
    ], { rounds: n >= 1e6 ? 5 : 7 });
    console.log(table(`gelu, n = ${n.toLocaleString()}`, ts, "eager") + "\n");
  }
}

if (want("logreg")) {
  const { X, Y } = regressionData(200_000, 10, 3);
  const eager = new LogisticRegression(X, Y);
  const t0 = jit(new LogisticRegression(X, Y), { tier: "interpreter" });
  const ts = compare([
    { name: "eager", run: () => eager.call() },
    { name: "tier0", run: () => t0() },
  ], { rounds: 5 });
  console.log(table("logistic-regression step, N = 200,000, D = 10", ts, "eager") + "\n");
}

if (want("firstcall")) {
  np.random.seed(7);
  const x = np.random.normal([100_000]);
  for (let i = 0; i < 5; i++) jit(gelu)(x); // warm up the tracer and passes themselves
  const eager: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < 15; i++) {
    let t = performance.now();
    withEager({ kernels: "reference" }, () => gelu(x)); // the target's anchor: eager on the reference kernels
    eager.push(performance.now() - t);
    const f = jit((y: NDArray) => gelu(y));
    t = performance.now();
    f(x);
    first.push(performance.now() - t);
  }
  const e = median(eager);
  const fc = median(first);
  console.log(`first call of jit(gelu) on 1e5 (trace + passes + bytecode + run): ${fmtMs(fc)}, reference eager call ${fmtMs(e)}: ${(fc / e).toFixed(2)}x a reference eager call (target <= 1.5x)\n`);
}

if (want("brain")) {
  const { brainBench } = await import("./brain-bench.js");
  brainBench();
}

if (want("cuba")) {
  const { cubaBench } = await import("./cuba-bench.js");
  cubaBench();
}

if (want("fir")) {
  const { firBench } = await import("./fir-bench.js");
  firBench();
}

if (want("vmap") || want("vmap-lif") || want("vmap-grad")) {
  const { benchVmapGrad, benchVmapLif } = await import("./vmap-bench.js");
  if (!only.includes("vmap-grad")) benchVmapLif();
  if (!only.includes("vmap-lif")) benchVmapGrad();
}

if (want("tier1")) benchTier1();
if (want("tier1-fusion")) benchTier1Fusion();
if (want("tierup")) benchTierUp();
if (want("tierup2")) {
  const { benchTierUp2 } = await import("./tierup2.js");
  benchTierUp2();
}
if (want("seed-gelu")) {
  const { benchSeedGelu } = await import("./seedgelu.js");
  benchSeedGelu();
}
if (want("exact")) {
  const { benchExactness } = await import("./exactness.js");
  benchExactness();
}
if (want("eager")) {
  const { benchEager } = await import("./eager.js");
  await benchEager();
}
if (want("peers") || want("peers-gelu") || want("peers-logreg") || want("peers-matmul")) {
  // The peers (jax-js, tfjs-wasm) are benchmark-only dev dependencies, loaded only here.
  const { benchPeersGelu, benchPeersLogReg, benchPeersMatmul } = await import("./peers.js");
  const all = only.length === 0 || only.includes("peers");
  if (all || only.includes("peers-gelu")) await benchPeersGelu();
  if (all || only.includes("peers-logreg")) await benchPeersLogReg();
  if (all || only.includes("peers-matmul")) await benchPeersMatmul();
}
if (want("grad") || want("grad-mlp") || want("grad-lif")) {
  // Loads jax-js (a benchmark-only dev dependency) for the MLP's peer row.
  const { benchGradMlp, benchGradLif } = await import("./grad.js");
  const all = only.length === 0 || only.includes("grad");
  if (all || only.includes("grad-mlp")) await benchGradMlp();
  if (all || only.includes("grad-lif")) benchGradLif();
}
if (want("fresh")) {
  const { benchFresh } = await import("./fresh.js");
  benchFresh();
}
if (want("soak")) {
  const { benchSoak } = await import("./soak.js");
  benchSoak();
}
if (want("tier2")) benchTier2();
if (want("tier2-logreg")) benchTier2LogReg();
if (want("tier2-memory")) benchTier2Memory();
