// The demo page (npm run demo:web): a recurrent leaky integrate-and-fire network
// (perf/brain.ts) stepped by one jitted call per step, a few steps per animation frame,
// so the page yields between frames and tier 2's module, compiled in a Web Worker,
// lands as soon as it is ready. Draws the spike raster and each call's latency with
// the tier it ran in, and shows the inspect() report. window.demoState is what the
// browser test (test/browser/demo.test.ts) reads.
import { jit } from "tierjit";
import { LifPopulation } from "/dist/perf/brain.js";

const N = 1000;
const STEPS_PER_FRAME = 4;
const COLORS = { interpreter: "#d62728", js: "#ff7f0e", wasm: "#2ca02c" };

const net = new LifPopulation({ n: N, recurrent: true, seed: 4 });
const step = jit(() => net.step(), { name: "lif-step" });

const raster = document.getElementById("raster").getContext("2d");
const latency = document.getElementById("latency").getContext("2d");
const status = document.getElementById("status");
const state = (window.demoState = { calls: 0, tier: "interpreter", firstCallIn: {}, errors: 0 });
const history = [];
let shownTier = "";

function drawRaster(spikes, tier) {
  const { width: w, height: h } = raster.canvas;
  const x = state.calls % w;
  raster.fillStyle = "white";
  raster.fillRect(x, 0, 2, h);
  raster.fillStyle = COLORS[tier];
  for (let i = 0; i < N; i++) if (spikes[i]) raster.fillRect(x, (i * h) / N, 1, Math.max(1, h / N));
  raster.fillStyle = "#999";
  raster.fillRect((x + 1) % w, 0, 1, h);
}

function drawLatency() {
  const { width: w, height: h } = latency.canvas;
  latency.fillStyle = "white";
  latency.fillRect(0, 0, w, h);
  const lo = -3, hi = 2; // 1 µs .. 100 ms
  const y = (ms) => h - 16 - ((Math.log10(Math.max(ms, 1e-3)) - lo) / (hi - lo)) * (h - 24);
  latency.font = "10px sans-serif";
  for (let e = lo; e <= hi; e++) {
    latency.fillStyle = "#ddd";
    latency.fillRect(36, y(10 ** e), w - 36, 1);
    latency.fillStyle = "#666";
    latency.fillText(`${10 ** e} ms`, 0, y(10 ** e) + 3);
  }
  const shown = history.slice(-(w - 40));
  shown.forEach((c, i) => {
    latency.fillStyle = COLORS[c.tier];
    latency.fillRect(40 + i, y(c.ms) - 1, 2, 2);
  });
}

function showReport() {
  const r = step.inspect();
  const sig = r.signatures[0];
  document.getElementById("events").textContent = sig.events.map((e) => `call ${e.call}: ${e.from ?? "trace"} -> ${e.to} (${e.compileMs.toFixed(2)} ms): ${e.reason}`).join("\n");
  document.getElementById("ir").textContent = sig.ir;
  document.getElementById("bytecode").textContent = sig.bytecode ?? "";
  document.getElementById("js").textContent = sig.js ?? "(not compiled to tier 1 yet)";
  document.getElementById("wat").textContent = sig.wat ?? "(not compiled to tier 2 yet)";
}

function frame() {
  for (let k = 0; k < STEPS_PER_FRAME; k++) {
    const t = performance.now();
    const spikes = step().toTypedArray();
    const ms = performance.now() - t;
    const tier = step.inspect().tier;
    state.calls++;
    state.tier = tier;
    state.firstCallIn[tier] ??= state.calls;
    history.push({ ms, tier });
    drawRaster(spikes, tier);
  }
  drawLatency();
  if (state.tier !== shownTier) {
    shownTier = state.tier;
    showReport();
  }
  const recent = history.slice(-50).map((c) => c.ms).sort((a, b) => a - b);
  status.innerHTML = `${N} neurons, step ${state.calls}, running in <span class="tier" style="color:${COLORS[state.tier]}">${state.tier}</span>; median of the last 50 calls ${recent[recent.length >> 1].toFixed(3)} ms`;
  requestAnimationFrame(frame);
}

requestAnimationFrame(frame);
