// `node dist/perf/bench.js fir`: a 31-tap FIR filter over 1e5 float32 samples
// (perf/fir.ts), jitted in tier 2 with slices and with pad + stack, against the
// hand-written JS double loop, side by side (compile excluded).

import { jit, np, type NDArray } from "../index.js";
import { compare, table } from "./harness.js";
import { firJs, firSlices, firStack, firStackDot, firTaps } from "./fir.js";

export function firBench(): void {
  const n = 100_000;
  const h = firTaps(31);
  np.random.seed(11);
  const x = np.random.normal([n]);
  const xs = x.toTypedArray() as Float32Array;
  const y = new Float32Array(n);
  const forms = { slices: firSlices, "pad + stack": firStack, "pad + stack, np.dot": firStackDot };
  const jitted = Object.entries(forms).map(([name, f]) => {
    const j = jit((v: NDArray) => f(v, h), { tier: "wasm" });
    j(x);
    return { name: `tier 2, ${name}`, run: () => j(x) };
  });
  const ts = compare([{ name: "JS double loop", run: () => firJs(xs, h, y) }, ...jitted], { rounds: 7 });
  console.log(table(`FIR filter, 31 taps, n = ${n.toLocaleString()} float32 (target: >= 5x the JS loop)`, ts, "JS double loop"));
  const a = jit((v: NDArray) => firSlices(v, h), { tier: "wasm" })(x).toTypedArray();
  const b = jit((v: NDArray) => firStack(v, h), { tier: "wasm" })(x).toTypedArray();
  let err = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(a[i]! - y[i]!));
  console.log(`  slices and pad + stack bit-identical: ${a.every((v, i) => Object.is(v, b[i]))}; max |tier 2 - JS (float64 sums)| = ${err.toExponential(2)}\n`);
}
