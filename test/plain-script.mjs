// The control for test/tsx.test.ts: the same loop as tsx-script.ts from the built
// dist/ in plain Node, for binaryen's load time on this machine at this moment.
import { jit, np } from "../dist/index.js";
import { binaryenLoadMs } from "../dist/tiers/wasm/service.js";

const t0 = performance.now();
const f = jit((x) => x.mul(0.5).mul(np.tanh(x.mul(0.7978846)).add(1)), { name: "gelu" });
const x = np.linspace(-3, 3, 4096);
while (f.inspect().tier !== "wasm" && performance.now() < t0 + 60_000) f(x);
console.log(JSON.stringify({ tier: f.inspect().tier, reachedMs: Math.round(performance.now() - t0), binaryenLoadMs: Math.round(binaryenLoadMs() ?? -1) }));
