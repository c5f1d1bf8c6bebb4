// `node dist/perf/bench.js soak`: a long-running process that keeps producing new
// signatures and new programs keeps its memory bounded (issue 14). Three streams, one
// process, RSS sampled throughout:
//   - 100,000 distinct signatures of one jitted function (a static argument that
//     changes every call): its cache keeps maxSignatures (64) and evicts the rest;
//   - 10,000 distinct signatures pinned to tier 2: each eviction drops an executable
//     and its wasm memory;
//   - 100,000 distinct programs (a new function each, tier 1; the issue asks 20,000): the process-wide
//     kernel-factory cache keeps at most MAX_CACHED (tiers/js).
// The figure is the RSS after each stream's first tenth (warmed up) against the most
// seen afterwards: bounded means the later growth is small and does not scale with
// the count.

import { jit, np, type NDArray } from "../index.js";
import { MAX_CACHED, kernelCacheSize } from "../tiers/js/index.js";

const MB = 2 ** 20;

function stream(name: string, count: number, each: (i: number) => void): void {
  const t0 = performance.now();
  let warm = 0;
  let peak = 0;
  const rss = () => process.memoryUsage().rss;
  const start = rss();
  // RSS at each tenth of the stream: a leak shows as a climb that scales with the count, a bound as a plateau.
  const tenths: number[] = [];
  for (let i = 0; i < count; i++) {
    each(i);
    if (i % 500 === 0 || i === count - 1) {
      const r = rss();
      if (i >= count / 10 && warm === 0) warm = r;
      if (warm) peak = Math.max(peak, r);
    }
    if ((i + 1) % Math.max(1, Math.floor(count / 10)) === 0 && tenths.length < 10) tenths.push(rss());
  }
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`  ${name.padEnd(44)} ${s.padStart(6)} s   RSS ${(start / MB).toFixed(0)} MB at start, ${(warm / MB).toFixed(0)} MB after the first tenth, at most ${(peak / MB).toFixed(0)} MB afterwards (+${((peak - warm) / MB).toFixed(0)} MB)`);
  console.log(`    RSS at each tenth (MB): ${tenths.map((r) => (r / MB).toFixed(0)).join(" ")}`);
}

export function benchSoak(signatures = 100_000, wasmSignatures = 10_000, programs = 100_000): void {
  console.log(`soak: one process, RSS sampled every 500 iterations`);
  const x = np.ones([16]);
  const f = jit((a: NDArray, k: number) => a.add(k).mul(2), { staticArgnums: [1] });
  const quiet = console.warn;
  console.warn = () => {}; // the retrace warning fires once; it is the point of this stream
  stream(`${signatures.toLocaleString()} signatures (interpreter)`, signatures, (i) => f(x, i));
  const w = jit((a: NDArray, k: number) => a.mul(k).add(1).tanh(), { staticArgnums: [1], tier: "wasm" });
  const big = np.ones([4096]);
  stream(`${wasmSignatures.toLocaleString()} signatures pinned to tier 2`, wasmSignatures, (i) => w(big, i));
  console.warn = quiet;
  console.log(`    kept ${f.inspect().signatures.length} and ${w.inspect().signatures.length} signatures; evicted ${f.inspect().evictedSignatures} and ${w.inspect().evictedSignatures}`);
  stream(`${programs.toLocaleString()} distinct programs (tier 1)`, programs, (i) => {
    const g = jit((a: NDArray) => a.mul(i + 0.5).add(i), { tier: "js" });
    g(x);
  });
  const c = kernelCacheSize();
  console.log(`    tier 1's process-wide caches: ${c.factories} factories, ${c.families} families (bound ${MAX_CACHED} each)\n`);
}
