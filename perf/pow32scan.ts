// Sampled accuracy scan of the float32 pow (ir/math/pow32.ts), computed by its tier-2
// f32x4 form (bit-identical to tiers 0 and 1: tiers/wasm/pow32.test.ts) against float64
// Math.pow, on testing/pow.ts's pair distributions (every binade of x with y keeping the
// result finite, x near 1 with huge y, negative bases with integer exponents, small
// integer bases, random bit patterns). Prints the max error in float32 ulps and where,
// split into normal and subnormal results:
//   npx tsx perf/pow32scan.ts [millions of pairs, default 100]
// The measured figures are recorded in CONTRIBUTING.md "Float32 pow".

import "../tiers/wasm/host-node.js";
import { POW32 } from "../ir/math/pow32.js";
import { err32 } from "../ir/math/ulps.js";
import { powPairs } from "../testing/pow.js";
import { Fn } from "../tiers/wasm/fn.js";
import { F } from "../tiers/wasm/lanes.js";
import { x } from "../tiers/wasm/recipe.js";
import { requestModule } from "../tiers/wasm/service.js";

const CHUNK = 1 << 20;
const millions = Number(process.argv[2] ?? 100);
const fn = new Fn("pow");
const f = new F(fn, "f32", true);
fn.loop(0, CHUNK, 4, (i) => {
  const ptr = fn.let("i32", x("i32.shl", i, x("i32.const", 2)));
  const a = fn.let("v128", x("v128.load", 0, 4, ptr));
  const b = fn.let("v128", x("v128.load", CHUNK * 4, 4, ptr));
  fn.emit(x("v128.store", CHUNK * 8, 4, ptr, POW32.define(f, a, b)));
});
const pages = (CHUNK * 12) / 65536 + 1;
const mod = requestModule({ pages, imports: [], funcs: [fn.finish()] }).wait(300_000)!;
const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
const run = new WebAssembly.Instance(new WebAssembly.Module(mod.bytes), { env: { mem } }).exports.pow as () => void;
const xs = new Float32Array(mem.buffer, 0, CHUNK);
const ys = new Float32Array(mem.buffer, CHUNK * 4, CHUNK);
const out = new Float32Array(mem.buffer, CHUNK * 8, CHUNK);
const worst = { normal: { e: 0, at: [NaN, NaN] }, subnormal: { e: 0, at: [NaN, NaN] } };
let over1 = 0;
let n = 0;
const t0 = performance.now();
for (let c = 0; n < millions * 1e6; c++) {
  const pairs = powPairs(Math.floor(CHUNK / 5), 1 + c);
  pairs.forEach(([p, q], i) => ((xs[i] = p), (ys[i] = q)));
  run();
  for (let i = 0; i < pairs.length; i++) {
    const ref = Math.pow(xs[i]!, ys[i]!);
    const e = err32(out[i]!, ref);
    if (e > 1 && over1++ < 10) console.log(`  ${e.toFixed(3)} ulp: pow(${xs[i]}, ${ys[i]}) = ${out[i]}, Math.pow ${ref}`);
    const w = Math.abs(ref) < 2 ** -126 && ref !== 0 ? worst.subnormal : worst.normal;
    if (!(e <= w.e)) [w.e, w.at] = [e, [xs[i]!, ys[i]!]];
  }
  n += pairs.length;
}
const s = ((performance.now() - t0) / 1000).toFixed(0);
console.log(`pow float32: ${n} pairs in ${s} s; max ${worst.normal.e.toFixed(4)} ulp at (${worst.normal.at.join(", ")}) for normal results, ${worst.subnormal.e.toFixed(4)} at (${worst.subnormal.at.join(", ")}) for subnormal ones; > 1 ulp: ${over1}`);
process.exit(0);
