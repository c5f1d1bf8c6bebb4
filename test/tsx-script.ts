// Run by test/tsx.test.ts as `tsx test/tsx-script.ts`: tierjit imported from source
// under tsx's transform. Reaches tier 2 in a plain loop and prints one JSON line with
// the tier, the time to get there and binaryen's load time in its worker (which runs
// outside the transform: 9-12 s if tsx re-transformed binaryen, ~0.5 s as plain JS).
import { jit, np, type NDArray } from "../index.js";
import { binaryenLoadMs } from "../tiers/wasm/service.js";

const t0 = performance.now();
const f = jit((x: NDArray) => x.mul(0.5).mul(np.tanh(x.mul(0.7978846)).add(1)), { name: "gelu" });
const x = np.linspace(-3, 3, 4096);
const end = t0 + 60_000;
while (f.inspect().tier !== "wasm" && performance.now() < end) f(x);
const y = f(x);
console.log(JSON.stringify({ tier: f.inspect().tier, reachedMs: Math.round(performance.now() - t0), binaryenLoadMs: Math.round(binaryenLoadMs() ?? -1), y0: y.toArray()[0] }));
