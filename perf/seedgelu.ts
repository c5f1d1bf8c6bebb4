// Section "seed-gelu": gelu written as the seed writes it (np.pow(x, 3), workloads.ts
// geluSeed) beside the x.mul(x).mul(x) form, in tiers 1 and 2, and np.pow(x, 3) alone.
// "general pow" is np.pow(x, np.full([], 3)): a 0-d constant exponent, the very IR that
// np.pow(x, 3) traced to before static integer exponents became multiplications
// (vm/ops.ts integerPow), so before/after are measured side by side in one run.
// The hand-written f32x4 kernel (handwritten.ts) is measured resident and with the copy
// of x in and y out that a caller holding JS arrays pays.

import { jit, np, type NDArray } from "../index.js";
import type { Jitted } from "../vm/jit.js";
import { compare, table } from "./harness.js";
import { handGelu } from "./handwritten.js";
import { gelu, geluSeed } from "./workloads.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const three = np.full([], 3);
const powGeneral = (x: NDArray) => np.pow(x, three);
const powSeed = (x: NDArray) => np.pow(x, 3);
/** geluSeed with the general pow: what the seed's formula ran before integer powers. */
function geluGeneralPow(x: NDArray): NDArray {
  return np.mul(np.mul(0.5, x), np.add(1, np.tanh(np.mul(SQRT_2_OVER_PI, np.add(x, np.mul(0.044715, np.pow(x, three)))))));
}

/** A jitted function under the default policy, called until it reaches tier 2 (or `limit` calls). */
function warmDefault(fn: (x: NDArray) => NDArray, x: NDArray, limit = 5000): Jitted<(x: NDArray) => NDArray> {
  const g = jit(fn);
  for (let i = 0; i < limit && g.inspect().signatures[0]?.tier !== "wasm"; i++) {
    g(x);
    if (i % 50 === 49) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // let the compile worker answer
  }
  return g;
}

export function benchSeedGelu(sizes: readonly number[] = [100_000, 1_000_000]): void {
  for (const n of sizes) {
    np.random.seed(n);
    const x = np.random.normal([n]).mul(3);
    const xs = x.toTypedArray() as Float32Array;
    const rounds = n >= 1e6 ? 5 : 7;

    const pow = compare([
      { name: "tier1 np.pow(x, 3)", run: () => p1(x) },
      { name: "tier1 general pow", run: () => g1(x) },
      { name: "tier1 x*x*x", run: () => m1(x) },
      { name: "tier2 np.pow(x, 3)", run: () => p2(x) },
      { name: "tier2 general pow", run: () => g2(x) },
      { name: "tier2 x*x*x", run: () => m2(x) },
    ], { rounds });
    console.log(table(`np.pow(x, 3) alone, n = ${n.toLocaleString()} ("general pow" = the exponent as an array, what np.pow(x, 3) ran before)`, pow, "tier1 general pow") + "\n");

    const hand = handGelu(n);
    const seedDefault = warmDefault(geluSeed, x);
    const ts = compare([
      { name: "tier1 seed gelu", run: () => s1(x) },
      { name: "tier1 seed gelu, general pow", run: () => sg1(x) },
      { name: "tier1 x.mul(x).mul(x) gelu", run: () => mg1(x) },
      { name: "tier2 seed gelu", run: () => s2(x) },
      { name: "tier2 seed gelu, general pow", run: () => sg2(x) },
      { name: "tier2 x.mul(x).mul(x) gelu", run: () => mg2(x) },
      { name: "default policy seed gelu", run: () => seedDefault(x) },
      { name: "hand SIMD (resident)", run: () => hand.run() },
      {
        name: "hand SIMD + copy in/out",
        run: () => {
          hand.x.set(xs);
          hand.run();
          return hand.out.slice();
        },
      },
    ], { rounds });
    console.log(table(`seed gelu (np.pow(x, 3)), n = ${n.toLocaleString()}; default policy reached ${seedDefault.inspect().signatures[0]?.tier}`, ts, "tier1 seed gelu, general pow"));
    const at = (name: string) => ts.find((t) => t.name === name)!.ms;
    console.log(`  default policy / hand SIMD with copies = ${(at("default policy seed gelu") / at("hand SIMD + copy in/out")).toFixed(2)}x (target <= 1.5x); / resident hand = ${(at("default policy seed gelu") / at("hand SIMD (resident)")).toFixed(2)}x\n`);
  }
}

const p1 = jit(powSeed, { tier: "js" });
const g1 = jit(powGeneral, { tier: "js" });
const m1 = jit((x: NDArray) => x.mul(x).mul(x), { tier: "js" });
const p2 = jit(powSeed, { tier: "wasm" });
const g2 = jit(powGeneral, { tier: "wasm" });
const m2 = jit((x: NDArray) => x.mul(x).mul(x), { tier: "wasm" });
const s1 = jit(geluSeed, { tier: "js" });
const sg1 = jit(geluGeneralPow, { tier: "js" });
const mg1 = jit(gelu, { tier: "js" });
const s2 = jit(geluSeed, { tier: "wasm" });
const sg2 = jit(geluGeneralPow, { tier: "wasm" });
const mg2 = jit(gelu, { tier: "wasm" });
