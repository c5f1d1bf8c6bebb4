// Section "exact": `exact: false` must never be slower than exact (issue 13). Every
// float32 transcendental alone, and the seed's gelu, at n = 1e5 in tiers 1 and 2,
// each op's exact and relaxed signatures measured side by side in interleaved rounds;
// a ratio below 1 (relaxed slower) beyond the noise is an inversion.

import { jit, np, type NDArray } from "../index.js";
import { UNARY_OPS, ELEMENTWISE, type UnaryOp } from "../ir/ops.js";
import { elementwiseFns } from "../vm/ops.js";
import { compare } from "./harness.js";
import { geluSeed } from "./workloads.js";

/** Float unary ops that call an ir/math algorithm (the ones whose relaxed form may differ in cost). */
const TRANSCENDENTAL: readonly UnaryOp[] = UNARY_OPS.filter((op) => ELEMENTWISE[op].scalar.float32 !== undefined && !["neg", "abs", "sign", "floor", "ceil", "round", "trunc", "isnan", "isinf", "isfinite", "signbit", "logicalNot", "bitwiseNot", "sqrt", "reciprocal"].includes(op));

export function benchExactness(n = 100_000, only?: readonly string[]): void {
  np.random.seed(5);
  const x = np.random.normal([n]).mul(2);
  const xp = np.abs(x).add(1.5); // in every op's domain (acosh needs >= 1; asin/acos/atanh map below)
  const unit = np.tanh(x).mul(0.9);
  const arg = (op: string) => (op === "asin" || op === "acos" || op === "atanh" ? unit : op === "acosh" || op === "log" || op === "log2" || op === "log10" || op === "log1p" ? xp : x);
  const fns: [string, (a: NDArray) => NDArray][] = [...TRANSCENDENTAL.map((op): [string, (a: NDArray) => NDArray] => [op, (a) => elementwiseFns[op](a)]), ["pow(x, 2.5)", (a) => np.pow(np.abs(a), 2.5)], ["seed gelu", geluSeed]];
  console.log(`exact vs exact: false, float32, n = ${n.toLocaleString()} (ratio = exact time / relaxed time; < 1 means exact: false is slower)`);
  console.log(`  ${"op".padEnd(12)} ${"tier1 exact".padStart(12)} ${"relaxed".padStart(10)} ${"ratio".padStart(6)}   ${"tier2 exact".padStart(12)} ${"relaxed".padStart(10)} ${"ratio".padStart(6)}`);
  const fmt = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  for (const [name, f] of fns) {
    if (only && only.length && !only.includes(name)) continue;
    const a = arg(name);
    const cells: string[] = [];
    for (const tier of ["js", "wasm"] as const) {
      const e = jit(f, { tier });
      const r = jit(f, { tier, exact: false });
      const ts = compare([{ name: "exact", run: () => e(a) }, { name: "relaxed", run: () => r(a) }], { rounds: 5, budgetMs: 30 });
      cells.push(`${fmt(ts[0]!.ms).padStart(12)} ${fmt(ts[1]!.ms).padStart(10)} ${(ts[0]!.ms / ts[1]!.ms).toFixed(2).padStart(6)}`);
    }
    console.log(`  ${name.padEnd(12)} ${cells.join("   ")}`);
  }
  console.log("");
}
