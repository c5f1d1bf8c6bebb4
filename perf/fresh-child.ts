// One fresh process of the `fresh` bench section (perf/fresh.ts spawns it): runs one
// workload from a cold start (no binaryen loaded, no kernel compiled) and prints one
// JSON line: total wall time, every call's latency, and the signature's tier events.
//
//   node dist/perf/fresh-child.js lif-jit | lif-eager | gelu-jit | gelu-eager | gelu-eager-reference

import { jit, np } from "../index.js";
import { LifPopulation } from "./brain.js";
import { gelu, geluSeed } from "./workloads.js";
import { binaryenLoadMs } from "../tiers/wasm/service.js";
import { eagerCacheStats, setEager } from "../vm/eager.js";

const mode = process.argv[2];
const STEPS = 1000;

function timed(calls: number, f: () => unknown): { totalMs: number; lat: number[] } {
  const lat: number[] = new Array(calls);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    f();
    lat[i] = performance.now() - t;
  }
  return { totalMs: performance.now() - t0, lat };
}

let out: object;
if (mode === "lif-jit" || mode === "lif-eager") {
  // Building the population (eager, identical in both modes) is not timed.
  const pop = new LifPopulation({ n: 4000, seed: 1 });
  // "Reference eager": the eager ops as they ran before issue 13's eager speed-up, on
  // the reference kernels (ir/kernels): the baseline (vm/eager.ts switch).
  if (mode === "lif-eager") setEager({ kernels: "reference" });
  const step = mode === "lif-jit" ? jit(() => { pop.step(); }, { name: "lifStep" }) : () => { pop.step(); };
  const r = timed(STEPS, step);
  const report = mode === "lif-jit" ? (step as ReturnType<typeof jit>).inspect() : undefined;
  out = { mode, ...r, events: report?.signatures[0]?.events ?? [], spikes: pop.spikeCount.sum().item() };
} else if (mode === "gelu-jit") {
  np.random.seed(3);
  const x = np.random.normal([100_000]);
  const f = jit(gelu, { name: "gelu" });
  // Until it has run in tier 2 for 50 calls (or 3 s): warm-up, as a user's loop sees it.
  const lat: number[] = [];
  const t0 = performance.now();
  let inWasm = 0;
  while (inWasm < 50 && performance.now() - t0 < 3000) {
    const t = performance.now();
    f(x);
    lat.push(performance.now() - t);
    if (f.inspect().signatures[0]!.tier === "wasm") inWasm++;
  }
  out = { mode, totalMs: performance.now() - t0, lat, events: f.inspect().signatures[0]!.events };
} else if (mode === "gelu-eager" || mode === "gelu-eager-reference") {
  // Eager gelu (the seed's formula) on 1e5 from a cold start: the first call pays each
  // op's tier-1 compile; hot entries reach tier 2 once binaryen has loaded in the
  // background (its load starts after 30 ms of eager tier-1 time). 3 s of calls.
  if (mode === "gelu-eager-reference") setEager({ kernels: "reference" });
  np.random.seed(3);
  const x = np.random.normal([100_000]);
  const lat: number[] = [];
  const t0 = performance.now();
  const before = eagerCacheStats().entries;
  let ops = Infinity; // the cache entries gelu's ops use, known after the first call
  let wasmAt = -1;
  while (performance.now() - t0 < 3000) {
    const t = performance.now();
    geluSeed(x);
    lat.push(performance.now() - t);
    if (lat.length === 1) ops = eagerCacheStats().entries - before;
    if (wasmAt < 0 && ops > 0 && eagerCacheStats().wasm >= ops) wasmAt = lat.length;
  }
  out = { mode, totalMs: performance.now() - t0, lat, events: [], wasmAt };
} else throw new Error(`fresh-child: unknown mode ${mode}`);
// binaryen's load on its worker, if it finished: on a loaded machine it decides when tier 2 arrives.
console.log(JSON.stringify({ ...out, binaryenLoadMs: binaryenLoadMs() ?? null }));
