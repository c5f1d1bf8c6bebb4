// The wasm forms of the float32 transcendentals agree bit for bit with their JS forms,
// in SIMD (f32x4) and scalar form, on random and special inputs: the float64-core
// transcriptions (math32.ts, precision "highest") with ir/math/f32.ts, and the default
// float32 algorithms (ir/math/float32.ts) emitted from their one definition with the
// JS generated from it.

import { describe, expect, it } from "vitest";
import { cos32, exp32, log32, sigmoid32, sin32, tanh32 } from "../../ir/math/f32.js";
import { Fn } from "./fn.js";
import { F } from "./lanes.js";
import * as W from "./math32.js";
import { FLOAT32_ALGORITHMS } from "../../ir/math/float32.js";
import { COS32, SIN32, TAN32 } from "../../ir/math/trig32.js";
import { jsFunction } from "../../ir/math/arith.js";
import { x, type Expr } from "./recipe.js";
import { requestModule } from "./service.js";

const N = 1 << 17;
const CASES: [string, (f: F, v: Expr) => Expr, (v: number) => number][] = [
  ["exp", W.exp32, exp32],
  ["log", W.log32, log32],
  ["tanh", W.tanh32, tanh32],
  ["sigmoid", W.sigmoid32, sigmoid32],
  ["sin", W.sin32, sin32],
  ["cos", W.cos32, cos32],
  // The default float32 algorithms: wasm emitted from the one definition, against the JS generated from it.
  ...[...FLOAT32_ALGORITHMS, SIN32, COS32, TAN32].map((a): [string, (f: F, v: Expr) => Expr, (v: number) => number] => [a.name, (f, v) => a.define(f, v, v), ((g) => (v: number) => g(v, 0))(jsFunction(a))]),
];

/**
 * Inputs next to every switch of the algorithms: log's mantissa threshold 0x3504f3
 * in every binade and among subnormals (wasm reduces the double's bits, ir/math the
 * float32's), the k = rne(y/ln2) steps of exp/tanh/sigmoid, and the clamps.
 */
function switchPoints(): number[] {
  const b = new Uint32Array(1);
  const f = new Float32Array(b.buffer);
  const out: number[] = [];
  for (let e = 0; e < 255; e++) {
    for (let m = 0x3504ee; m <= 0x3504f6; m++) {
      b[0] = (e << 23) | m;
      out.push(f[0]!);
    }
  }
  for (let s = 0; s < 23; s++) for (let d = -2; d <= 2; d++) out.push(Math.fround((0x3504f3 >> s) * 2 ** -149) + d * 2 ** -149);
  for (let k = -151; k <= 129; k++) for (const d of [-1e-6, 0, 1e-6]) out.push(Math.fround((k + 0.5) * Math.LN2 * (1 + d)), Math.fround(((k + 0.5) * Math.LN2 * (1 + d)) / 2));
  out.push(20, -20, Math.fround(20.000002), 9.010913, -9.010913, -103.97208, -103.97207, 88.72283, 88.72284);
  // sin/cos: around the large-argument switch (8192), one lane large among small ones, and huge values
  for (let d = -8; d <= 8; d++) out.push(8192 + d * 2 ** -10, -(8192 + d * 2 ** -10), 0.5, 3e38 * (1 + d / 64));
  for (let e = 13; e < 128; e++) out.push(2 ** e * 1.2345, -(2 ** e) * 1.9, 0.25, 1.5707963705062866);
  return out;
}

function inputs(): Float32Array {
  const a = new Float32Array(N);
  const bits = new Uint32Array(a.buffer);
  const specials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1.1754943508222875e-38, 88.72, 89, -103.9, -104, 0.55, -0.55, 3.4e38, -3.4e38, 1e30, 0.5, 1, -1, ...switchPoints()];
  let s = 12345;
  for (let i = 0; i < N; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    if (i < specials.length) a[i] = specials[i]!;
    else if (i % 4 === 0) bits[i] = s; // any bit pattern: subnormals, huge, NaNs
    else a[i] = ((s / 2 ** 32) * 2 - 1) * [1, 10, 100, 1e4][i % 4]!;
  }
  return a;
}

function same(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe("wasm float32 transcendentals", () => {
  it("agree bit for bit with ir/math (SIMD and scalar)", () => {
    const funcs = CASES.flatMap(([name, emit]) =>
      [true, false].map((vec) => {
        const fn = new Fn(`${name}_${vec ? "v" : "s"}`);
        const f = new F(fn, "f32", vec);
        const step = vec ? 4 : 1;
        fn.loop(0, N, step, (i) => {
          const ptr = fn.let("i32", x("i32.shl", i, x("i32.const", 2)));
          const v = fn.let(f.t, vec ? x("v128.load", 0, 4, ptr) : x("f32.load", 0, 4, ptr));
          const r = emit(f, v);
          fn.emit(vec ? x("v128.store", N * 4, 4, ptr, r) : x("f32.store", N * 4, 4, ptr, r));
        });
        return fn.finish();
      }),
    );
    const pages = Math.ceil((N * 8) / 65536);
    const mod = requestModule({ pages, imports: [], funcs }).wait(60_000);
    expect(mod).toBeDefined();
    const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mod!.bytes), { env: { mem } });
    const inp = inputs();
    new Float32Array(mem.buffer, 0, N).set(inp);
    const out = new Float32Array(mem.buffer, N * 4, N);
    for (const [name, , ref] of CASES) {
      const want = inp.map((v) => ref(v));
      for (const mode of ["v", "s"]) {
        out.fill(0);
        (inst.exports[`${name}_${mode}`] as () => void)();
        const bad = same(out, want);
        expect(bad < 0 ? "ok" : `${name}_${mode}(${inp[bad]}) = ${out[bad]}, ir/math ${want[bad]}`).toBe("ok");
      }
    }
  });
});
