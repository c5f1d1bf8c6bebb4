// Tier-1 benchmarks (imported by bench.ts; sections "tier1" and "tierup"):
// - gelu at 1e3, 1e5, 1e6 and the logistic-regression step (N = 200,000, D = 10):
//   eager, tier 0, tier 1, naive op-at-a-time JS (a new Float32Array per op) and a
//   hand-written fused Float32Array loop. Both JS baselines use the same float32
//   algorithms as tierjit (ir/math tanh32/exp32, fround after every op), so all
//   candidates compute the same bits and only the execution strategy differs; gelu
//   also runs the naive version as a JS programmer would write it, with Math.tanh
//   (the baseline reads either way, so both ratios are reported).
// - per-kernel compile time of tier 1, and the cost/benefit numbers behind the
//   promotion defaults in vm/tiers.ts (compile time against per-call savings).
// - section "tier1-fusion": tier 1's fusion policy (tiers/js/split.ts) against the
//   same tier compiled without it, on the regression step and matmuls with prologues.

import { jit, np, type NDArray } from "../index.js";
import { exp32, tanh32 } from "../ir/math/f32.js";
import { JS_POLICY, compileJs, resetKernelCache, type JsPolicy } from "../tiers/js/index.js";
import { traceProgram } from "../testing/programs.js";
import { compare, fmtMs, median, table } from "./harness.js";
import { LogisticRegression, gelu, regressionData } from "./workloads.js";

const F = Math.fround;
const C0 = F(0.044715);
const C1 = F(Math.sqrt(2 / Math.PI));

/** gelu one op at a time: a loop and a fresh Float32Array per op (each store rounds to float32). */
export function naiveGelu(x: Float32Array, tanh: (v: number) => number = tanh32): Float32Array {
  const n = x.length;
  const x2 = new Float32Array(n);
  for (let i = 0; i < n; i++) x2[i] = x[i]! * x[i]!;
  const x3 = new Float32Array(n);
  for (let i = 0; i < n; i++) x3[i] = x2[i]! * x[i]!;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = x3[i]! * C0;
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) b[i] = x[i]! + a[i]!;
  const c = new Float32Array(n);
  for (let i = 0; i < n; i++) c[i] = b[i]! * C1;
  const h = new Float32Array(n);
  for (let i = 0; i < n; i++) h[i] = x[i]! * 0.5;
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = tanh(c[i]!);
  const t1 = new Float32Array(n);
  for (let i = 0; i < n; i++) t1[i] = t[i]! + 1;
  const o = new Float32Array(n);
  for (let i = 0; i < n; i++) o[i] = h[i]! * t1[i]!;
  return o;
}

/** gelu as one hand-written loop, fround after every op, tanh32. */
export function fusedGelu(x: Float32Array): Float32Array {
  const n = x.length;
  const o = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const c = F(F(v + F(F(F(v * v) * v) * C0)) * C1);
    o[i] = F(F(v * 0.5) * F(tanh32(c) + 1));
  }
  return o;
}

/** g · X[:, j] over the n rows of X ([n, d]) in the canonical 4-partial order (p[i % 4]). */
function columnDot(g: Float32Array, X: Float32Array, n: number, d: number, j: number): number {
  let p0 = -0, p1 = -0, p2 = -0, p3 = -0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    p0 = F(p0 + F(g[i]! * X[i * d + j]!));
    p1 = F(p1 + F(g[i + 1]! * X[(i + 1) * d + j]!));
    p2 = F(p2 + F(g[i + 2]! * X[(i + 2) * d + j]!));
    p3 = F(p3 + F(g[i + 3]! * X[(i + 3) * d + j]!));
  }
  if (i < n) p0 = F(p0 + F(g[i]! * X[i * d + j]!)), i++;
  if (i < n) p1 = F(p1 + F(g[i]! * X[i * d + j]!)), i++;
  if (i < n) p2 = F(p2 + F(g[i]! * X[i * d + j]!)), i++;
  return F(F(p0 + p1) + F(p2 + p3));
}

/** One regression step op at a time (a loop and a fresh array per op), canonical 4-lane sums. */
export function naiveLogReg(X: Float32Array, Y: Float32Array, w: Float32Array, n: number, d: number): void {
  const z = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let p0 = -0, p1 = -0, p2 = -0, p3 = -0;
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      p0 = F(p0 + F(X[i * d + j]! * w[j]!));
      p1 = F(p1 + F(X[i * d + j + 1]! * w[j + 1]!));
      p2 = F(p2 + F(X[i * d + j + 2]! * w[j + 2]!));
      p3 = F(p3 + F(X[i * d + j + 3]! * w[j + 3]!));
    }
    if (j < d) p0 = F(p0 + F(X[i * d + j]! * w[j]!)), j++;
    if (j < d) p1 = F(p1 + F(X[i * d + j]! * w[j]!)), j++;
    if (j < d) p2 = F(p2 + F(X[i * d + j]! * w[j]!)), j++;
    z[i] = F(F(p0 + p1) + F(p2 + p3));
  }
  const yz = new Float32Array(n);
  for (let i = 0; i < n; i++) yz[i] = Y[i]! * z[i]!;
  const nz = new Float32Array(n);
  for (let i = 0; i < n; i++) nz[i] = -yz[i]!;
  const e = new Float32Array(n);
  for (let i = 0; i < n; i++) e[i] = exp32(nz[i]!);
  const e1 = new Float32Array(n);
  for (let i = 0; i < n; i++) e1[i] = 1 + e[i]!;
  const s = new Float32Array(n);
  for (let i = 0; i < n; i++) s[i] = 1 / e1[i]!;
  const s1 = new Float32Array(n);
  for (let i = 0; i < n; i++) s1[i] = s[i]! - 1;
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = s1[i]! * Y[i]!;
  const u = new Float32Array(d);
  for (let j = 0; j < d; j++) u[j] = columnDot(g, X, n, d, j);
  const w2 = new Float32Array(d);
  for (let j = 0; j < d; j++) w2[j] = w[j]! - u[j]!;
  w.set(w2);
}

/**
 * The step hand-fused: one pass over the rows computes z and the gradient weight g
 * (no intermediate arrays but g), then u = g.X column by column in registers. (A
 * single pass accumulating u row by row into 4 x D partials in memory was slower.)
 */
export function fusedLogReg(X: Float32Array, Y: Float32Array, w: Float32Array, n: number, d: number, g: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const r = i * d;
    let p0 = -0, p1 = -0, p2 = -0, p3 = -0;
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      p0 = F(p0 + F(X[r + j]! * w[j]!));
      p1 = F(p1 + F(X[r + j + 1]! * w[j + 1]!));
      p2 = F(p2 + F(X[r + j + 2]! * w[j + 2]!));
      p3 = F(p3 + F(X[r + j + 3]! * w[j + 3]!));
    }
    if (j < d) p0 = F(p0 + F(X[r + j]! * w[j]!)), j++;
    if (j < d) p1 = F(p1 + F(X[r + j]! * w[j]!)), j++;
    if (j < d) p2 = F(p2 + F(X[r + j]! * w[j]!)), j++;
    const y = Y[i]!;
    const z = F(y * F(F(p0 + p1) + F(p2 + p3)));
    g[i] = F(F(F(1 / F(1 + exp32(-z))) - 1) * y);
  }
  for (let j = 0; j < d; j++) {
    w[j] = F(w[j]! - columnDot(g, X, n, d, j));
  }
}

function ratio(ts: { name: string; ms: number }[], a: string, b: string): number {
  return ts.find((t) => t.name === b)!.ms / ts.find((t) => t.name === a)!.ms;
}

export function benchTier1(): void {
  for (const n of [1_000, 100_000, 1_000_000]) {
    np.random.seed(n);
    const x = np.random.normal([n]).mul(3);
    const xa = x.toTypedArray() as Float32Array;
    const t0 = jit(gelu, { tier: "interpreter" });
    const t1 = jit(gelu, { tier: "js" });
    const t1r = jit(gelu, { tier: "js", exact: false });
    const y1 = t1(x).toTypedArray();
    const same = fusedGelu(xa).every((v, i) => Object.is(v, y1[i]));
    const ts = compare([
      { name: "eager", run: () => gelu(x) },
      { name: "tier0", run: () => t0(x) },
      { name: "tier1", run: () => t1(x) },
      { name: "tier1 exact:false", run: () => t1r(x) },
      { name: "naive JS", run: () => naiveGelu(xa) },
      { name: "naive JS, Math.tanh", run: () => naiveGelu(xa, Math.tanh) },
      { name: "fused JS", run: () => fusedGelu(xa) },
    ], { rounds: n >= 1e6 ? 5 : 7 });
    console.log(table(`tier 1: gelu, n = ${n.toLocaleString()} (hand-fused loop bit-identical to tier 1: ${same})`, ts, "eager"));
    console.log(`  tier1 vs naive JS ${ratio(ts, "tier1", "naive JS").toFixed(2)}x faster (tanh32), ${ratio(ts, "tier1", "naive JS, Math.tanh").toFixed(2)}x (Math.tanh) (target >= 1.5x at 1e5); fused JS vs tier1 ${(1 / ratio(ts, "tier1", "fused JS")).toFixed(2)}x (target <= 1.3x)\n`);
  }
  const N = 200_000;
  const D = 10;
  const { X, Y } = regressionData(N, D, 3);
  const eager = new LogisticRegression(X, Y);
  const m0 = new LogisticRegression(X, Y);
  const m1 = new LogisticRegression(X, Y);
  const s0 = jit(m0, { tier: "interpreter" });
  const s1 = jit(m1, { tier: "js" });
  const Xa = X.toTypedArray() as Float32Array;
  const Ya = Y.toTypedArray() as Float32Array;
  const wn = new Float32Array(D);
  const wf = new Float32Array(D);
  const G = new Float32Array(N);
  const ts = compare([
    { name: "eager", run: () => eager.call() },
    { name: "tier0", run: () => s0() },
    { name: "tier1", run: () => s1() },
    { name: "naive JS", run: () => naiveLogReg(Xa, Ya, wn, N, D) },
    { name: "fused JS", run: () => fusedLogReg(Xa, Ya, wf, N, D, G) },
  ], { rounds: 5 });
  console.log(table(`tier 1: logistic-regression step, N = ${N.toLocaleString()}, D = ${D}`, ts, "eager"));
  console.log(`  tier1 vs naive JS ${ratio(ts, "tier1", "naive JS").toFixed(2)}x faster; fused JS vs tier1 ${(1 / ratio(ts, "tier1", "fused JS")).toFixed(2)}x\n`);
  compileTimes();
}

/** Median compile time of tier 1 from a cold kernel cache: whole compile, and `new Function` per kernel. */
function compileTimes(): void {
  const { X, Y } = regressionData(200, 10, 1);
  const model = new LogisticRegression(X, Y);
  const cases: [string, ReturnType<typeof traceProgram>["program"]][] = [
    ["gelu", traceProgram(gelu, [np.ones([100_000])]).program],
    ["logistic-regression step", traceProgram(() => model.call(), []).program],
  ];
  for (const [name, program] of cases) {
    const total: number[] = [];
    const perKernel: number[][] = [];
    for (let r = 0; r < 25; r++) {
      resetKernelCache();
      const t = performance.now();
      const e = compileJs(program);
      total.push(performance.now() - t);
      e.kernels.filter((k) => k.kind !== "single").forEach((k, i) => (perKernel[i] ??= []).push(k.compileMs));
    }
    const ks = perKernel.map((xs, i) => `kernel ${i} ${fmtMs(median(xs))}`).join(", ");
    console.log(`tier-1 compile of ${name}: ${fmtMs(median(total))} in all (fuse + plan + codegen + new Function); new Function per kernel: ${ks} (target < 1 ms for gelu)`);
  }
  console.log("");
}

/**
 * What promotion to tier 1 costs and saves: for gelu at several sizes, the median
 * compile time (from a cold cache: the first signature of a family) and the per-call
 * times in tier 0 and tier 1. Break-even = compile / (tier0 - tier1) calls; the
 * tier-0 time spent before break-even = break-even x tier0.
 */
export function benchTierUp(): void {
  console.log("tier-up cost/benefit (gelu): size, tier0/call, tier1/call, tier1 compile, break-even calls, tier-0 ms to break even");
  const warm = traceProgram(gelu, [np.ones([8])]).program;
  for (let i = 0; i < 30; i++) {
    resetKernelCache();
    compileJs(warm); // warm up the compiler's own code first
  }
  for (const n of [16, 256, 4_096, 65_536]) {
    const x = np.random.normal([n]);
    const { program } = traceProgram(gelu, [x]);
    const comp: number[] = [];
    for (let r = 0; r < 15; r++) {
      resetKernelCache();
      const t = performance.now();
      compileJs(program);
      comp.push(performance.now() - t);
    }
    const c = median(comp);
    const t0 = jit(gelu, { tier: "interpreter" });
    const t1 = jit(gelu, { tier: "js" });
    const ts = compare([
      { name: "tier0", run: () => t0(x) },
      { name: "tier1", run: () => t1(x) },
    ], { rounds: 5, budgetMs: 20 });
    const a = ts[0]!.ms;
    const b = ts[1]!.ms;
    const be = a > b ? c / (a - b) : Infinity;
    const calls = Number.isFinite(be) ? `${be.toFixed(1)} calls` : "never (tier 1 not faster in this run)";
    console.log(`  n = ${String(n).padStart(6)}: ${fmtMs(a).padStart(9)} ${fmtMs(b).padStart(9)} ${fmtMs(c).padStart(9)}  ${calls.padStart(11)}  ${Number.isFinite(be) ? fmtMs(be * a).padStart(9) : ""}`);
  }
  console.log("");
}


/**
 * Tier 1's fusion policy against the same tier with one switch flipped, side by side:
 * every pair computes the same bits (checked) and differs only in loop boundaries.
 */
export function benchTier1Fusion(): void {
  const N = 200_000;
  const D = 10;
  const { X, Y } = regressionData(N, D, 3);
  const model = new LogisticRegression(X, Y);
  np.random.seed(5);
  const x = np.random.normal([N, D]);
  const mu = np.random.normal([D]);
  const s = np.random.random([D]).add(0.5);
  const w = np.random.normal([D, 1]);
  const noSplit: JsPolicy = { ...JS_POLICY, splitLongLatency: false };
  const noBcast: JsPolicy = { ...JS_POLICY, matmulPrologueBroadcast: false };
  const cases: [string, () => ReturnType<typeof traceProgram>, JsPolicy, string][] = [
    ["regression step (sigmoid epilogue)", () => traceProgram(() => model.call(), []), noSplit, "epilogue fused"],
    ["tanh(x) @ w", () => traceProgram((a: NDArray, b: NDArray) => np.tanh(a).matmul(b), [x, w]), noSplit, "prologue fused"],
    ["exp(x) * s @ w", () => traceProgram((a: NDArray, c: NDArray, b: NDArray) => np.exp(a).mul(c).matmul(b), [x, s, w]), noSplit, "prologue fused"],
    ["(x - mu) * s @ w", () => traceProgram((a: NDArray, m: NDArray, c: NDArray, b: NDArray) => a.sub(m).mul(c).matmul(b), [x, mu, s, w]), noBcast, "broadcast kernel apart"],
    ["(x - mu) / s @ w", () => traceProgram((a: NDArray, m: NDArray, c: NDArray, b: NDArray) => a.sub(m).div(c).matmul(b), [x, mu, s, w]), noBcast, "broadcast kernel apart"],
  ];
  for (const [name, trace, other, otherName] of cases) {
    const { program, inputs } = trace();
    const chosen = compileJs(program, undefined, {}, JS_POLICY);
    const alt = compileJs(program, undefined, {}, other);
    const want = alt.run(inputs);
    const same = chosen.run(inputs).every((o, k) => o.every((v, i) => Object.is(v, want[k]![i])));
    const ts = compare([
      { name: "tier1 policy", run: () => chosen.run(inputs) },
      { name: otherName, run: () => alt.run(inputs) },
    ], { rounds: 9 });
    console.log(table(`tier-1 fusion policy: ${name}, N = ${N.toLocaleString()}, D = ${D} (${chosen.kernels.length} vs ${alt.kernels.length} steps, bit-identical: ${same})`, ts, otherName));
  }
  console.log("");
}
