// Section "eager": eager mode (no jit) beside its peers' eager ops, side by side in one
// run: the seed's gelu (np.pow(x, 3)) and the x.mul(x).mul(x) form on the reference
// kernels (vm/eager.ts "reference", the path before compiled eager kernels), on tier-1
// kernels only, and under the default policy (tier 1, then tier 2 once binaryen is
// loaded); naive op-at-a-time JS (a fresh Float32Array per op, the tanh32 tier 0 uses,
// and Math.tanh); and tfjs-wasm's eager ops (the benchmark-only dev dependency,
// loaded here dynamically as perf/peers.ts does). Every candidate returns a result a
// caller can read (tierjit's NDArray data, tfjs's dataSync()). Also tanh alone.

import { np, type NDArray } from "../index.js";
import { eagerCacheStats, setEager, withEager } from "../vm/eager.js";
import { compare, table } from "./harness.js";
import { naiveGelu } from "./tier1.js";
import { gelu, geluSeed } from "./workloads.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Runs the default policy until every entry of `f` on `x` has reached tier 2 (or 10 s pass), as a user's loop would. */
function warmEager(f: (x: NDArray) => NDArray, x: NDArray): void {
  const t0 = performance.now();
  let last = -1;
  while (performance.now() - t0 < 10_000) {
    f(x);
    const w = eagerCacheStats().wasm;
    if (w === last && performance.now() - t0 > 2000) break;
    last = w;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2); // let the compile worker answer
  }
}

export async function benchEager(sizes: readonly number[] = [100_000, 1_000_000]): Promise<void> {
  const tf = await import("@tensorflow/tfjs-core");
  await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs: the wasm backend did not initialise");
  type Tensor = import("@tensorflow/tfjs-core").Tensor;
  const tfGelu = (x: Tensor, pow: boolean) =>
    tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, pow ? tf.pow(x, 3) : tf.mul(tf.mul(x, x), x))))))));
  const read = (y: Tensor) => {
    const out = y.dataSync();
    y.dispose();
    return out;
  };
  for (const n of sizes) {
    np.random.seed(n);
    const x = np.random.normal([n]).mul(3);
    const xs = x.toTypedArray() as Float32Array;
    const xt = tf.tensor1d(xs);
    const ref = (f: () => NDArray) => withEager({ kernels: "reference" }, f).toTypedArray();
    const js = (f: () => NDArray) => withEager({ wasm: "never" }, f).toTypedArray();
    warmEager(geluSeed, x);
    warmEager(gelu, x);
    warmEager((y) => np.tanh(y), x);
    const want = ref(() => geluSeed(x));
    const got = [js(() => geluSeed(x)), geluSeed(x).toTypedArray()];
    const same = got.every((g) => g.every((v, i) => Object.is(v, want[i])));
    const rounds = n >= 1e6 ? 5 : 7;
    const ts = compare([
      { name: "eager seed gelu, default", run: () => geluSeed(x).toTypedArray() },
      { name: "eager seed gelu, tier-1 kernels", run: () => js(() => geluSeed(x)) },
      { name: "eager seed gelu, reference", run: () => ref(() => geluSeed(x)) },
      { name: "eager x.mul(x).mul(x) gelu, default", run: () => gelu(x).toTypedArray() },
      { name: "naive JS, tanh32", run: () => naiveGelu(xs) },
      { name: "naive JS, Math.tanh", run: () => naiveGelu(xs, Math.tanh) },
      { name: "tfjs-wasm eager pow", run: () => read(tfGelu(xt, true)) },
      { name: "tfjs-wasm eager x*x*x", run: () => read(tfGelu(xt, false)) },
    ], { rounds, budgetMs: n >= 1e6 ? 100 : 40 });
    const st = eagerCacheStats();
    console.log(table(`eager gelu, n = ${n.toLocaleString()} (bits equal to reference eager: ${same}; eager cache ${st.entries} entries, ${st.wasm} in tier 2)`, ts, "tfjs-wasm eager pow"));
    const ms = (s: string) => ts.find((t) => t.name === s)!.ms;
    console.log(`  seed gelu default vs tfjs-wasm eager: ${(ms("tfjs-wasm eager pow") / ms("eager seed gelu, default")).toFixed(2)}x faster (target > 1x); vs reference eager ${(ms("eager seed gelu, reference") / ms("eager seed gelu, default")).toFixed(1)}x\n`);
    const th = compare([
      { name: "eager tanh, default", run: () => np.tanh(x).toTypedArray() },
      { name: "eager tanh, tier-1 kernel", run: () => js(() => np.tanh(x)) },
      { name: "eager tanh, reference", run: () => ref(() => np.tanh(x)) },
      { name: "tfjs-wasm eager tanh", run: () => read(tf.tanh(xt)) },
    ], { rounds, budgetMs: n >= 1e6 ? 100 : 40 });
    console.log(table(`eager tanh, n = ${n.toLocaleString()}`, th, "tfjs-wasm eager tanh") + "\n");
    xt.dispose();
  }
  setEager({ kernels: "compiled", wasm: "auto", compileAt: 16384 });
}
