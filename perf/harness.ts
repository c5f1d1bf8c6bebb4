// Side-by-side timing: candidates are measured in interleaved rounds within one
// process, and each reports the median per-call time, so machine noise hits every
// candidate alike and only ratios are reported.

export interface Candidate {
  name: string;
  run: () => unknown;
}

export interface Timing {
  name: string;
  /** Median milliseconds per call. */
  ms: number;
}

function timeOnce(run: () => unknown, budgetMs: number): number {
  let iters = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    run();
    iters++;
    t = performance.now();
  } while (t - t0 < budgetMs);
  return (t - t0) / iters;
}

export function compare(cands: readonly Candidate[], { rounds = 7, budgetMs = 40, warmup = 3 } = {}): Timing[] {
  for (const c of cands) for (let i = 0; i < warmup; i++) c.run();
  const samples = cands.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) cands.forEach((c, i) => samples[i]!.push(timeOnce(c.run, budgetMs)));
  return cands.map((c, i) => ({ name: c.name, ms: median(samples[i]!) }));
}

/** The middle sample (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

export function fmtMs(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

/** A table of timings with each one's speed relative to `base` (>1 = faster than base). */
export function table(title: string, ts: readonly Timing[], base: string): string {
  const b = ts.find((t) => t.name === base)!.ms;
  const w = Math.max(...ts.map((t) => t.name.length));
  const rows = ts.map((t) => `  ${t.name.padEnd(w)}  ${fmtMs(t.ms).padStart(10)}  ${(b / t.ms).toFixed(2).padStart(6)}x vs ${base}`);
  return [title, ...rows].join("\n");
}
