// What promotion to tier 2 costs the calling thread and saves (section "tierup2"):
// binaryen builds the module on its worker, so the caller pays only the lowering
// (when the compile is requested) and the instantiation (when it is picked up). For
// gelu at several sizes and the LIF step, the median of those two against the
// per-call times in tiers 1 and 2: break-even = caller cost / (tier1 - tier2) calls,
// and the tier-1 time spent before break-even, which is what the time threshold of
// DEFAULT_HOTNESS.wasm should be a few times of. Run from built JS only.

import { jit, np } from "../index.js";
import type { Program } from "../ir/program.js";
import { traceProgram } from "../testing/programs.js";
import { compileWasmAsync } from "../tiers/wasm/index.js";
import { LifPopulation } from "./brain.js";
import { compare, fmtMs, median } from "./harness.js";
import { gelu } from "./workloads.js";

/** Milliseconds the calling thread spends on one background tier-2 compile of `program`. */
function callerCost(program: Program): number {
  const t0 = performance.now();
  const pending = compileWasmAsync(program);
  const lower = performance.now() - t0;
  let ready = pending.poll();
  while (!ready) {
    pending.wait(1000);
    const t1 = performance.now();
    ready = pending.poll();
    if (ready) return lower + (performance.now() - t1);
  }
  return lower;
}

export function benchTierUp2(): void {
  console.log("tier-2 promotion cost/benefit: caller cost of a background compile (lowering + instantiation), tier1/call, tier2/call, break-even calls, tier-1 ms to break even");
  const cases: [string, Program, () => void, () => void][] = [];
  for (const n of [256, 4_096, 65_536]) {
    const x = np.random.normal([n]);
    const t1 = jit(gelu, { tier: "js" });
    const t2 = jit(gelu, { tier: "wasm" });
    cases.push([`gelu, n = ${n}`, traceProgram(gelu, [x]).program, () => t1(x), () => t2(x)]);
  }
  {
    const m1 = new LifPopulation({ n: 4000, seed: 1 });
    const m2 = new LifPopulation({ n: 4000, seed: 1 });
    const s1 = jit(() => { m1.step(); }, { tier: "js" });
    const s2 = jit(() => { m2.step(); }, { tier: "wasm" });
    cases.push(["LIF step, 4000 neurons", traceProgram(() => { m1.step(); }, []).program, s1, s2]);
  }
  for (let i = 0; i < 10; i++) callerCost(cases[0]![1]); // warm the lowering code and binaryen
  for (const [name, program, run1, run2] of cases) {
    const cost = median(Array.from({ length: 9 }, () => callerCost(program)));
    const [a, b] = compare([{ name: "tier1", run: run1 }, { name: "tier2", run: run2 }], { rounds: 5, budgetMs: 20 }).map((t) => t.ms) as [number, number];
    const be = a > b ? cost / (a - b) : Infinity;
    const calls = Number.isFinite(be) ? `${be.toFixed(1)} calls` : "never";
    console.log(`  ${name.padEnd(24)} ${fmtMs(cost).padStart(9)} ${fmtMs(a).padStart(9)} ${fmtMs(b).padStart(9)} ${calls.padStart(12)} ${Number.isFinite(be) ? fmtMs(be * a).padStart(9) : ""}`);
  }
  console.log("");
}

