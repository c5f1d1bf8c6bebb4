// `node dist/perf/bench.js cuba`: the CUBA network (perf/cuba.ts), 4,000 neurons, 2%
// connectivity, 1 s of biological time (10,000 steps of 0.1 ms) as one jitted forLoop
// in tier 2, against the event-driven plain-JS loop over the same CSR arrays, measured
// in interleaved rounds (compile excluded: the jitted loop is called again on reset
// state). Then the dense-weights and take + segmentSum formulations (fewer steps, per
// step), and spikes compared bit for bit across tiers over 1,000 steps.

import { jit, np } from "../index.js";
import { fmtMs, median } from "./harness.js";
import { CubaNetwork, cubaConnectivity, cubaJs, type CubaConnectivity, type CubaInput } from "./cuba.js";

const N = 4000;
const STEPS = 10_000;
const ROUNDS = 5;

function reset(net: CubaNetwork, c: CubaConnectivity): void {
  net.v.value = np.array(c.v0);
  for (const v of [net.ge, net.gi, net.ref, net.spikeCount]) v.value = np.zerosLike(v.value);
}

function total(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** A jitted `steps`-step run of a network using `input`, pinned to `tier`; returns the run and its first call's time. */
function jitted(c: CubaConnectivity, input: CubaInput, tier: "interpreter" | "js" | "wasm", steps: number): { net: CubaNetwork; run: () => void; firstMs: number } {
  const net = new CubaNetwork(c, input);
  const sim = jit((k: number) => net.run(k), { tier, staticArgnums: [0] });
  const t0 = performance.now();
  sim(steps);
  const firstMs = performance.now() - t0;
  return { net, run: () => (reset(net, c), sim(steps)), firstMs };
}

export function cubaBench(): void {
  const t0 = performance.now();
  const c = cubaConnectivity(N, 0.02, 1);
  const buildMs = performance.now() - t0;
  console.log(`CUBA (Vogels & Abbott 2005), ${N} neurons (${c.ne} exc), ${c.indices.length.toLocaleString()} synapses (2%, built in JS in ${fmtMs(buildMs)}), ${STEPS.toLocaleString()} steps of 0.1 ms`);

  const csr = jitted(c, "csr", "wasm", STEPS);
  const js: number[] = [];
  const tj: number[] = [];
  let jsCount: Int32Array = new Int32Array(0);
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    jsCount = cubaJs(c, STEPS);
    js.push(performance.now() - t);
    t = performance.now();
    csr.run();
    tj.push(performance.now() - t);
  }
  const jsMs = median(js);
  const tjMs = median(tj);
  const rate = (count: ArrayLike<number>) => total(count) / N / ((STEPS * 0.1) / 1000);
  const jsRate = rate(jsCount);
  const tjRate = rate(csr.net.spikeCount.toTypedArray());
  console.log(`  event-driven JS loop over the CSR arrays     ${fmtMs(jsMs).padStart(10)}  ${fmtMs(jsMs / STEPS).padStart(9)}/step  rate ${jsRate.toFixed(2)} Hz`);
  console.log(`  jit forLoop, np.sparse.csr rmatvec, tier 2   ${fmtMs(tjMs).padStart(10)}  ${fmtMs(tjMs / STEPS).padStart(9)}/step  rate ${tjRate.toFixed(2)} Hz  ${(jsMs / tjMs).toFixed(2)}x vs JS (target >= 3x)`);
  console.log(`    first call (trace + compile + run): ${fmtMs(csr.firstMs)}; mean rate ${(((tjRate - jsRate) / jsRate) * 100).toFixed(1)}% from the JS loop's (chaotic network: single spikes diverge)`);

  // The other formulations, per step over fewer steps (each compiled once, then timed on reset state).
  for (const [input, steps, what] of [["dense", 1000, "dense weights, np.dot (event-driven dense matvec)"], ["segment", 200, "np.take + np.segmentSum over the synapse list"]] as const) {
    const f = jitted(c, input, "wasm", steps);
    const ts: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      f.run();
      ts.push(performance.now() - t);
    }
    const per = median(ts) / steps;
    console.log(`  jit forLoop, ${what}, tier 2: ${fmtMs(per)}/step (${steps} steps; ${(jsMs / STEPS / per).toFixed(2)}x vs JS)`);
  }

  // Identical spikes and state in every tier (1,000 steps; eager: the test perf/cuba.test.ts).
  const steps = 1000;
  const runs = (["interpreter", "js", "wasm"] as const).map((tier) => {
    const { net } = jitted(c, "csr", tier, steps);
    return { counts: net.spikeCount.toTypedArray().join(","), v: Array.from(net.v.toTypedArray(), (x) => (Object.is(x, -0) ? "-0" : String(x))).join(",") };
  });
  const same = runs.every((r) => r.counts === runs[0]!.counts && r.v === runs[0]!.v);
  console.log(`  spike counts and v identical in tiers 0, 1 and 2 over ${steps} steps: ${same ? "yes" : "NO"}\n`);
}
