// Exhaustive float32 accuracy scan: every one of the 2^32 float32 inputs of each
// transcendental of ir/math/transcendentals.ts, computed by its tier-2 f32x4 form
// (bit-identical to tiers 0 and 1: tiers/wasm/kit.test.ts), against the float64 Math.*
// reference. Prints the max error in float32 ulps and where, and how many inputs
// exceed 0.5 and 1 ulp. Long-running (minutes per op on a loaded machine):
//   npx tsx perf/exhaustive32.ts [op,op,...] [--step N] [--below A] [--above B]
//   (--step samples every N-th pattern; --below / --above scan only the inputs with
//   B <= |x| < A, both signs)
// The measured figures are recorded in CONTRIBUTING.md "Transcendentals".

import "../tiers/wasm/host-node.js";
import { TRANSCENDENTALS } from "../ir/math/transcendentals.js";
import { err32 } from "../ir/math/ulps.js";
import { Fn } from "../tiers/wasm/fn.js";
import { F } from "../tiers/wasm/lanes.js";
import { x } from "../tiers/wasm/recipe.js";
import { requestModule } from "../tiers/wasm/service.js";
import { emit32 } from "../tiers/wasm/lanes64.js";
import { COS32, SIN32 } from "../ir/math/trig32.js";
import type { Algorithm } from "../ir/math/arith.js";
import type { Expr } from "../tiers/wasm/recipe.js";

const CHUNK = 1 << 20;
const args = process.argv.slice(2);
const stepAt = args.indexOf("--step");
const step = stepAt >= 0 ? Number(args[stepAt + 1]) : 1;
const belowAt = args.indexOf("--below");
const below = belowAt >= 0 ? Number(args[belowAt + 1]) : Infinity;
// (a flag's value is not an op list; without this check a missing --step took the first argument)
const aboveAt = args.indexOf("--above");
const above = aboveAt >= 0 ? Number(args[aboveAt + 1]) : 0;
const valueAt = (i: number) => [stepAt, belowAt, aboveAt].some((f) => f >= 0 && i === f + 1);
const names = args.find((a, i) => !a.startsWith("--") && !valueAt(i))?.split(",");
const bitsOf = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0]!;
/** The bit-pattern ranges scanned: all of them, or above <= |x| < below of both signs. */
const RANGES: [number, number][] = below === Infinity && above === 0 ? [[0, 2 ** 32]] : ((lo, hi) => [[lo, hi], [2 ** 31 + lo, 2 ** 31 + hi]])(bitsOf(above), below === Infinity ? 0x7f800000 : bitsOf(below));
/** The kit transcendentals, and the float32 algorithms written over arith.ts alone (sin, cos). */
const ALL: { name: string; emit: (f: F, v: Expr) => Expr; ref: (x: number, y: number) => number }[] = [
  ...TRANSCENDENTALS.map((t) => ({ name: t.name, emit: (f: F, v: Expr) => emit32(t.op, f, v), ref: t.ref })),
  ...([["sin", SIN32, Math.sin], ["cos", COS32, Math.cos]] as [string, Algorithm, (x: number) => number][]).map(([name, a, ref]) => ({ name, emit: (f: F, v: Expr) => a.define(f, v, v), ref })),
];
const ops = ALL.filter((t) => !names || names.includes(t.name));

const funcs = ops.map((t) => {
  const fn = new Fn(t.name);
  const f = new F(fn, "f32", true);
  fn.loop(0, CHUNK, 4, (i) => {
    const ptr = fn.let("i32", x("i32.shl", i, x("i32.const", 2)));
    const v = fn.let("v128", x("v128.load", 0, 4, ptr));
    fn.emit(x("v128.store", CHUNK * 4, 4, ptr, t.emit(f, v)));
  });
  return fn.finish();
});
const pages = (CHUNK * 8) / 65536 + 1;
const mod = requestModule({ pages, imports: [], funcs }).wait(300_000)!;
const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
const inst = new WebAssembly.Instance(new WebAssembly.Module(mod.bytes), { env: { mem } });
const inBits = new Uint32Array(mem.buffer, 0, CHUNK);
const inp = new Float32Array(mem.buffer, 0, CHUNK);
const out = new Float32Array(mem.buffer, CHUNK * 4, CHUNK);

for (const t of ops) {
  const run = inst.exports[t.name] as () => void;
  const ref = t.ref;
  let worst = 0;
  let at = NaN;
  let over05 = 0;
  let over1 = 0;
  const t0 = performance.now();
  for (const [from, to] of RANGES) for (let base = from; base < to; base += CHUNK * step) {
    const n = Math.min(CHUNK, Math.ceil((to - base) / step));
    for (let i = 0; i < CHUNK; i++) inBits[i] = base + Math.min(i, n - 1) * step;
    run();
    for (let i = 0; i < n; i++) {
      const xv = inp[i]!;
      const y = out[i]!;
      const r = ref(xv, xv);
      const e = err32(y, r);
      if (e > 0.5) over05++;
      if (e > 1) over1++;
      if (!(e <= worst)) [worst, at] = [e, xv];
    }
  }
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(`${t.name} float32: max ${worst.toFixed(4)} ulp at x = ${at} (${Math.fround(at) === at ? "float32" : "?"}); > 0.5 ulp: ${over05}, > 1 ulp: ${over1}; ${step === 1 ? "" : `every ${step}th of `}${RANGES.length === 1 ? "all 2^32 inputs" : `the inputs with ${above} <= |x| < ${below}`}, ${s} s`);
}
