// Tier-2 benchmarks (imported by bench.ts, section names "tier2", "tier2-memory"; the
// promotion cost/benefit is tierup2.ts):
// tier 2 against hand-written binaryen SIMD kernels with resident data (the target
// ratios of issue #5) and naive op-at-a-time JS; binaryen's load time, tier-2 compile
// time, the cost of a 16-element jitted call, and memory over 1,000,000 calls.
// Run from built JS only (binaryen under tsx takes ~10 s to load).

import { Variable, jit, np, type NDArray } from "../index.js";
import { binaryenLoadMs } from "../tiers/wasm/service.js";
import { compare, fmtMs, median, table } from "./harness.js";
import { handGelu, handGeluRecipeBuildMs, handLogReg } from "./handwritten.js";
import { LogisticRegression, gelu, logisticRegressionStep, regressionData } from "./workloads.js";

/** gelu as a naive JS programmer writes it: one loop and one fresh array per op, Math.tanh. */
function naiveGelu(x: Float32Array): Float32Array {
  const n = x.length;
  const map = (a: Float32Array, g: (v: number) => number) => {
    const o = new Float32Array(n);
    for (let i = 0; i < n; i++) o[i] = g(a[i]!);
    return o;
  };
  const x3 = map(map(x, (v) => v * v), (v) => v);
  const inner = map(map(x3, (v) => v * 0.044715), (v) => v);
  const s = new Float32Array(n);
  for (let i = 0; i < n; i++) s[i] = (x[i]! + inner[i]! * x[i]!) * 0.7978845608028654;
  const t = map(s, Math.tanh);
  const o = new Float32Array(n);
  for (let i = 0; i < n; i++) o[i] = x[i]! * 0.5 * (t[i]! + 1);
  return o;
}

export function benchTier2(): void {
  const tLoad = performance.now();
  const hand0 = handGelu(1024);
  console.log(`binaryen: loaded in the worker in ${binaryenLoadMs()?.toFixed(0)} ms; first module ready ${(performance.now() - tLoad).toFixed(0)} ms after the first request`);
  hand0.run();

  // Tier-2 compile of gelu once binaryen is loaded (median of 9; lowering + build + instantiate).
  // Measured as promotions (the event's compileMs: lowering + binaryen build + instantiation);
  // the first few include V8 warming up binaryen and the lowering code itself.
  const compiles: number[] = [];
  const z = np.zeros([100_000]);
  for (let i = 0; i < 12; i++) {
    const g = jit((x: NDArray) => gelu(x), { hot: { js: { calls: 1 }, wasm: { calls: 2 } } });
    for (let k = 0; k < 1000 && g.inspect().signatures[0]?.tier !== "wasm"; k++) g(z);
    compiles.push(g.inspect().signatures[0]!.events.at(-1)!.compileMs);
  }
  console.log(`tier-2 compile of gelu (n = 1e5): first ${compiles[0]!.toFixed(1)} ms, then median ${median(compiles.slice(4)).toFixed(2)} ms (target < 5 ms)`);

  // binaryen -O3 on the hand-written gelu kernel, to show what it would cost per compile.
  {
    const plain: number[] = [];
    const o3: number[] = [];
    for (let i = 0; i < 5; i++) {
      plain.push(handGeluRecipeBuildMs(false));
      o3.push(handGeluRecipeBuildMs(true));
    }
    console.log(`binaryen build of the gelu kernel: ${median(plain).toFixed(2)} ms without optimize(), ${median(o3).toFixed(2)} ms with -O3 (tier 2 does not run it)\n`);
  }

  for (const n of [1_000, 100_000, 1_000_000]) {
    np.random.seed(n);
    const x = np.random.normal([n]).mul(3);
    const xs = x.toTypedArray() as Float32Array;
    const t2 = jit(gelu, { tier: "wasm" });
    const t2fast = jit(gelu, { tier: "wasm", exact: false });
    const hand = handGelu(n);
    hand.x.set(xs);
    hand.run();
    const same = t2(x).toTypedArray().every((v, i) => Object.is(v, hand.out[i]));
    const ts = compare([
      { name: "naive JS", run: () => naiveGelu(xs) },
      { name: "hand SIMD", run: () => hand.run() },
      { name: "tier2", run: () => t2(x) },
      { name: "tier2 exact:false", run: () => t2fast(x) },
    ], { rounds: n >= 1e6 ? 5 : 7 });
    console.log(table(`gelu, n = ${n.toLocaleString()} (tier 2 bit-identical to the hand kernel: ${same})`, ts, "naive JS"));
    const r = ts[2]!.ms / ts[1]!.ms;
    console.log(`  tier2 / hand = ${r.toFixed(2)}x (target <= 1.2x at 1e5)\n`);
  }

  benchTier2LogReg();

  {
    const x16 = np.random.normal([16]);
    const t2 = jit(gelu, { tier: "wasm" });
    const [c] = compare([{ name: "tier2 gelu[16]", run: () => t2(x16) }], { rounds: 7 });
    console.log(`jitted call on 16 elements in tier 2: ${fmtMs(c!.ms)} per call (target <= 2 µs)\n`);
  }
}

/** The regression step in tier 2 against the hand kernel, as a Module (X, Y fields) and as the seed writes it, model(X, Y). */
export function benchTier2LogReg(): void {
  {
    const N = 200_000;
    const { X, Y } = regressionData(N, 10, 3);
    const model = new LogisticRegression(X, Y);
    const t2 = jit(model, { tier: "wasm" });
    const hand = handLogReg(N);
    hand.X.set(X.toTypedArray() as Float32Array);
    hand.Y.set(Y.toTypedArray() as Float32Array);
    t2();
    hand.run();
    const same = model.w.toTypedArray().every((v, i) => Object.is(v, hand.w[i]));
    const eager = new LogisticRegression(X, Y);
    // The seed's form: X and Y as call arguments (tier 2 keeps them resident while the same arrays come back).
    const w = new Variable(np.zeros([10]));
    const step = jit(logisticRegressionStep(w), { tier: "wasm" });
    step(X, Y);
    const sameArgs = w.toTypedArray().every((v, i) => Object.is(v, hand.w[i]));
    const ts = compare([
      { name: "eager", run: () => eager.call() },
      { name: "hand SIMD", run: () => hand.run() },
      { name: "tier2 fields", run: () => t2() },
      { name: "tier2 model(X, Y)", run: () => step(X, Y) },
    ], { rounds: 5 });
    console.log(table(`logistic-regression step, N = 200,000, D = 10 (w after one step bit-identical to the hand kernel: fields ${same}, model(X, Y) ${sameArgs})`, ts, "eager"));
    console.log(`  tier2 / hand = ${(ts[2]!.ms / ts[1]!.ms).toFixed(2)}x (target <= 1.3x); model(X, Y) / fields = ${(ts[3]!.ms / ts[2]!.ms).toFixed(2)}x (target 1x), / hand = ${(ts[3]!.ms / ts[1]!.ms).toFixed(2)}x\n`);
  }

}

export function benchTier2Memory(): void {
  const x16 = np.random.normal([16]);
  const t2 = jit(gelu, { tier: "wasm" });
  t2(x16);
  const mb = () => process.memoryUsage().rss / 2 ** 20;
  const rss0 = mb();
  let peak = rss0;
  const t = performance.now();
  for (let i = 0; i < 1_000_000; i++) {
    t2(x16);
    if (i % 100_000 === 0) peak = Math.max(peak, mb());
  }
  const ms = performance.now() - t;
  const pages = /memory \$\w+ (\d+) (\d+)/.exec(t2.inspect().signatures[0]!.wat ?? "");
  console.log(`1,000,000 tier-2 calls of gelu[16] in one synchronous loop (${fmtMs(ms / 1e6)} each): RSS ${rss0.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB, ${mb().toFixed(0)} MB after; the executable's wasm memory is ${pages?.[1]} page(s), maximum ${pages?.[2]}: it cannot grow\n`);
}
