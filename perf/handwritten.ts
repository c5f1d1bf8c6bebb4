// Hand-written binaryen SIMD kernels, the reference tier 2 is measured against: what
// a person would write for gelu and for the logistic-regression step with the data
// already resident in wasm memory (no copies per call). They use the same float32
// algorithms and summation order as tierjit (tiers/wasm/math32.ts), so their results
// are bit-identical to every tier's, and are built through the same compile worker
// (binaryen is never imported on the main thread).

import { Fn } from "../tiers/wasm/fn.js";
import { F } from "../tiers/wasm/lanes.js";
import { exp32, tanh32 } from "../tiers/wasm/math32.js";
import { i32x4Bytes, x, type Expr } from "../tiers/wasm/recipe.js";
import { requestModule } from "../tiers/wasm/service.js";

const SQRT_2_OVER_PI = Math.fround(Math.sqrt(2 / Math.PI));

function instantiate(pages: number, funcs: ReturnType<Fn["finish"]>[]): { mem: WebAssembly.Memory; exports: Record<string, unknown> } {
  const m = requestModule({ pages, imports: [], funcs }).wait(60_000);
  if (!m) throw new Error("binaryen worker did not answer");
  const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
  return { mem, exports: new WebAssembly.Instance(new WebAssembly.Module(m.bytes), { env: { mem } }).exports };
}

function geluFn(n: number, outOff: number): Fn {
  const fn = new Fn("gelu");
  const f = new F(fn, "f32", true);
  fn.loop(0, n, 4, (i) => {
    const ptr = fn.let("i32", x("i32.shl", i, x("i32.const", 2)));
    const v = fn.let("v128", x("v128.load", 0, 16, ptr));
    const inner = f.mul(f.add(v, f.mul(f.mul(f.mul(v, v), v), Math.fround(0.044715))), SQRT_2_OVER_PI);
    const r = f.mul(f.mul(v, 0.5), f.add(tanh32(f, inner), 1));
    fn.emit(x("v128.store", outOff, 16, ptr, r));
  });
  return fn;
}

/** binaryen's build time of the gelu kernel, with or without its optimizer. */
export function handGeluRecipeBuildMs(optimize: boolean): number {
  const m = requestModule({ pages: 1, imports: [], funcs: [geluFn(1024, 4096).finish()], optimize }).wait(60_000);
  return m!.buildMs;
}

/** gelu of n float32 at offset 0 into offset 4n; n % 4 == 0. */
export function handGelu(n: number): { x: Float32Array; out: Float32Array; run: () => void } {
  const outOff = n * 4;
  const fn = geluFn(n, outOff);
  const pages = Math.ceil((n * 8 + 64) / 65536);
  const { mem, exports } = instantiate(pages, [fn.finish()]);
  return { x: new Float32Array(mem.buffer, 0, n), out: new Float32Array(mem.buffer, outOff, n), run: exports.gelu as () => void };
}

/**
 * One logistic-regression step for D = 10, reading X once: four rows per iteration;
 * each row's z = X[r]·w sums its 10 products in partials by column % 4 (the lanes of
 * one accumulator), g = (sigmoid-style middle) runs on the 4 rows as one f32x4, and
 * u's partial r % 4 accumulates g[r] * X[r] in 3 vectors per partial. N % 4 == 0.
 */
export function handLogReg(N: number): { X: Float32Array; Y: Float32Array; w: Float32Array; run: () => void } {
  const D = 10;
  const offX = 0;
  const offY = offX + N * D * 4 + 16;
  const offW = offY + N * 4 + 16;
  const fn = new Fn("step");
  const f = new F(fn, "f32", true);
  const zero = x("v128.const", i32x4Bytes([-0x80000000, -0x80000000, -0x80000000, -0x80000000])); // four -0.0f
  const keep2 = x("v128.const", i32x4Bytes([-1, -1, 0, 0]));
  const w = [0, 4, 8].map((c) => fn.let("v128", c === 8 ? x("v128.bitselect", x("v128.load64_zero", offW + c * 4, 4, x("i32.const", 0)), zero, keep2) : x("v128.load", offW + c * 4, 4, x("i32.const", 0))));
  const U = [0, 1, 2, 3].map(() => [0, 1, 2].map(() => fn.local("v128")));
  for (const r of U) for (const l of r) fn.emit(x("local.set", l, zero));
  const get = (l: number) => fn.get(l, "v128");
  fn.loop(0, N, 4, (i) => {
    const row = (r: number) => fn.let("i32", x("i32.mul", x("i32.add", i, x("i32.const", r)), x("i32.const", D * 4)));
    const rows = [0, 1, 2, 3].map(row);
    const xs = rows.map((p) => [0, 4].map((c) => fn.let("v128", x("v128.load", offX + c * 4, 4, p))).concat(fn.let("v128", x("v128.load64_zero", offX + 32, 4, p))));
    let z: Expr = zero;
    rows.forEach((_, r) => {
      // The tail product's upper lanes are +0 * -0 = -0: adding them changes nothing.
      const acc = f.add(f.add(f.add(zero, f.mul(xs[r]![0]!, w[0]!)), f.mul(xs[r]![1]!, w[1]!)), f.mul(xs[r]![2]!, w[2]!));
      const lane = (l: number) => fn.let("f32", x("f32x4.extract_lane", acc, l));
      const zr = fn.let("f32", x("f32.add", x("f32.add", lane(0), lane(1)), x("f32.add", lane(2), lane(3))));
      z = fn.let("v128", x("f32x4.replace_lane", z, r, zr));
    });
    const y = fn.let("v128", x("v128.load", offY, 4, x("i32.shl", i, x("i32.const", 2))));
    const e = exp32(f, f.neg(f.mul(y, z)));
    const g = f.mul(f.sub(f.div(1, f.add(1, e)), 1), y);
    rows.forEach((_, r) => {
      const gr = fn.let("v128", x("f32x4.splat", x("f32x4.extract_lane", g, r)));
      for (let c = 0; c < 3; c++) fn.emit(x("local.set", U[r]![c]!, f.add(get(U[r]![c]!), f.mul(gr, xs[r]![c]!))));
    });
  });
  for (let c = 0; c < 3; c++) {
    const u = f.add(f.add(get(U[0]![c]!), get(U[1]![c]!)), f.add(get(U[2]![c]!), get(U[3]![c]!)));
    const nw = f.sub(w[c]!, u);
    fn.emit(c === 2 ? x("v128.store64_lane", offW + 32, 4, 0, x("i32.const", 0), nw) : x("v128.store", offW + c * 16, 4, x("i32.const", 0), nw));
  }
  const pages = Math.ceil((offW + 64) / 65536);
  const { mem, exports } = instantiate(pages, [fn.finish()]);
  return {
    X: new Float32Array(mem.buffer, offX, N * D),
    Y: new Float32Array(mem.buffer, offY, N),
    w: new Float32Array(mem.buffer, offW, D),
    run: exports.step as () => void,
  };
}
