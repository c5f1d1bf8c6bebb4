// `node dist/perf/bench.js fresh`: what a user's first program costs in a fresh
// process, compiles included (issue 13's "no stall" targets). Each sample is its own
// process (perf/fresh-child.ts), the modes interleaved round by round:
//   - LIF, 4,000 neurons, `jit(step)` from a JS loop for 1,000 steps, against the
//     reference eager loop: total wall time (target >= 10x), the largest single call
//     (target <= 50 ms), the first call, and each tier's compile time;
//   - gelu on 1e5 elements until it has run 50 calls in tier 2: the first call, the
//     per-tier compile times and the largest call during warm-up;
//   - eager seed gelu on 1e5 for 3 s, compiled and on the reference kernels: first
//     call, largest call, when every op reached tier 2, the steady call.

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TierEvent } from "../index.js";
import { fmtMs, median } from "./harness.js";

interface Sample {
  mode: string;
  totalMs: number;
  lat: number[];
  events: TierEvent[];
  spikes?: number;
  binaryenLoadMs: number | null;
  /** Eager modes: the call from which every op of gelu ran in tier 2 (-1: never). */
  wasmAt?: number;
}

const child = fileURLToPath(new URL("./fresh-child.js", import.meta.url));

function sample(mode: string): Sample {
  return JSON.parse(execFileSync(process.execPath, [child, mode], { encoding: "utf8" }).trim().split("\n").at(-1)!) as Sample;
}

function describeRun(s: Sample): string {
  const max = Math.max(...s.lat);
  const at = s.lat.indexOf(max);
  const evs = s.events.map((e) => `${e.from ?? "trace"}->${e.to} at call ${e.call} (${e.compileMs.toFixed(1)} ms${e.reason.startsWith("on-stack") ? ", OSR" : ""})`).join(", ");
  const load = s.binaryenLoadMs === null ? "binaryen not loaded by the end" : `binaryen loaded ${fmtMs(s.binaryenLoadMs)} after its worker started`;
  return `first call ${fmtMs(s.lat[0]!)}, largest call ${fmtMs(max)} (call ${at}); ${evs}; ${load}`;
}

export function benchFresh(rounds = 3): void {
  const modes = ["lif-jit", "lif-eager", "gelu-jit", "gelu-eager", "gelu-eager-reference"];
  const runs = new Map<string, Sample[]>(modes.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) for (const m of modes) runs.get(m)!.push(sample(m));
  const mid = (m: string) => {
    const xs = runs.get(m)!;
    const t = median(xs.map((s) => s.totalMs));
    return xs.find((s) => s.totalMs === t)!;
  };
  const jitRun = mid("lif-jit");
  const eager = mid("lif-eager");
  const worst = Math.max(...runs.get("lif-jit")!.map((s) => Math.max(...s.lat)));
  console.log(`fresh process, LIF 4,000 neurons, 1,000 steps from a JS loop (median of ${rounds} processes each; every compile included)`);
  console.log(`  jit(step):            ${fmtMs(jitRun.totalMs).padStart(10)}   ${(eager.totalMs / jitRun.totalMs).toFixed(1)}x vs reference eager (target >= 10x)`);
  console.log(`  reference eager loop: ${fmtMs(eager.totalMs).padStart(10)}`);
  console.log(`  largest single jit call over all ${rounds} processes: ${fmtMs(worst)} (target <= 50 ms)`);
  console.log(`  median process: ${describeRun(jitRun)}`);
  console.log(`  spike counts equal: ${jitRun.spikes === eager.spikes ? "yes" : "NO"} (${jitRun.spikes})`);
  const g = mid("gelu-jit");
  console.log(`fresh process, jit(gelu) on 1e5 until 50 calls in tier 2 (${g.lat.length} calls, ${fmtMs(g.totalMs)})`);
  console.log(`  ${describeRun(g)}`);
  const ge = mid("gelu-eager");
  const gr = mid("gelu-eager-reference");
  const steady = (s: Sample) => median(s.lat.slice(-20));
  console.log(`fresh process, eager seed gelu on 1e5 for 3 s: first call ${fmtMs(ge.lat[0]!)} compiled (${fmtMs(gr.lat[0]!)} on the reference kernels), ` +
    `largest call ${fmtMs(Math.max(...ge.lat))}; every op in tier 2 from call ${ge.wasmAt !== undefined && ge.wasmAt >= 0 ? ge.wasmAt : "never"}; last 20 calls ${fmtMs(steady(ge))} (reference ${fmtMs(steady(gr))}); binaryen loaded ${ge.binaryenLoadMs === null ? "never" : fmtMs(ge.binaryenLoadMs)} after its worker started\n`);
}
