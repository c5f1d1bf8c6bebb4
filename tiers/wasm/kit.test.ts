// The transcendentals written once over ir/math/kit.ts agree bit for bit between
// their wasm forms (f32x4 and scalar f32; f64x2 and scalar f64), emitted from the
// definition, and the JS generated from the same definition (what tiers 0 and 1 run),
// on random bit patterns, many scales, integers, halves and special values.

import { describe, expect, it } from "vitest";
import { TRANSCENDENTALS } from "../../ir/math/transcendentals.js";
import { Fn } from "./fn.js";
import { F } from "./lanes.js";
import { alg64, emit32 } from "./lanes64.js";
import { x, type Expr } from "./recipe.js";
import { requestModule } from "./service.js";

const N = 1 << 14;
const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2, -2, 0.5, -0.5, 1e-45, -1e-45, 5e-324, 1.1754943508222875e-38, 2.2250738585072014e-308, 3.4028234663852886e38, 1.7976931348623157e308, 88.72, 89, -104, 709.7, 710, -745, 0.34657, -0.34657, 0.625, 1 + 2 ** -20, 1 - 2 ** -20, -1 + 2 ** -20, 2 ** -12, 2 ** 28, 1e19, 1e300, 127.5, -149.5, 1023.5, -1074.5];

function inputs(seed: number, f32: boolean): Float64Array {
  const a = new Float64Array(N);
  const u32 = new Uint32Array(a.buffer);
  const b32 = new Uint32Array(1);
  const f = new Float32Array(b32.buffer);
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < N; i++) {
    rnd();
    if (i < SPECIAL.length) a[i] = SPECIAL[i]!;
    else if (i % 4 === 0) {
      if (f32) {
        b32[0] = s;
        a[i] = f[0]!;
      } else {
        u32[2 * i] = s;
        u32[2 * i + 1] = rnd();
      }
    } else a[i] = ((s / 2 ** 32) * 2 - 1) * [1, 10, 1000, 1e-6, 1.5, 0.4, 100][i % 7]!;
    if (i % 11 === 3) a[i] = Math.round(a[i]! * 4) / 4;
    if (f32) a[i] = Math.fround(a[i]!);
  }
  return a;
}

function kernel(name: string, elem: "f32" | "f64", vec: boolean, emit: (f: F, a: Expr, b: Expr) => Expr): ReturnType<Fn["finish"]> {
  const fn = new Fn(name);
  const f = new F(fn, elem, vec);
  const sz = elem === "f32" ? 4 : 8;
  fn.loop(0, N, vec ? 16 / sz : 1, (i) => {
    const ptr = fn.let("i32", x("i32.shl", i, x("i32.const", sz === 4 ? 2 : 3)));
    const load = (off: number) => fn.let(f.t, vec ? x("v128.load", off, sz, ptr) : x(`${elem}.load`, off, sz, ptr));
    const r = emit(f, load(0), load(N * 8));
    fn.emit(vec ? x("v128.store", 2 * N * 8, sz, ptr, r) : x(`${elem}.store`, 2 * N * 8, sz, ptr, r));
  });
  return fn.finish();
}

describe("kit transcendentals in wasm", () => {
  it("agree bit for bit with the generated JS (f32x4, f32, f64x2, f64)", () => {
    const funcs = TRANSCENDENTALS.flatMap((t) =>
      [true, false].flatMap((vec) => [
        kernel(`${t.name}_32${vec ? "v" : "s"}`, "f32", vec, (f, a, b) => emit32(t.op, f, a, b)),
        kernel(`${t.name}_64${vec ? "v" : "s"}`, "f64", vec, (f, a, b) => alg64(t.op.f64)(f, a, b)),
      ]),
    );
    const pages = Math.ceil((N * 24 + 64) / 65536);
    const mod = requestModule({ pages, imports: [], funcs }).wait(120_000);
    expect(mod).toBeDefined();
    const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mod!.bytes), { env: { mem } });
    for (const t of TRANSCENDENTALS) {
      for (const p of [32, 64] as const) {
        const Arr = p === 32 ? Float32Array : Float64Array;
        const a = new Arr(mem.buffer, 0, N);
        const b = new Arr(mem.buffer, N * 8, N);
        const out = new Arr(mem.buffer, 2 * N * 8, N);
        a.set(inputs(7, p === 32));
        b.set(inputs(99, p === 32));
        const js = p === 32 ? t.op.js32 : t.op.js64;
        const want = Array.from(a, (v, i) => js(v, b[i]!));
        for (const mode of ["v", "s"]) {
          out.fill(0);
          (inst.exports[`${t.name}_${p}${mode}`] as () => void)();
          let bad = -1;
          for (let i = 0; i < N && bad < 0; i++) if (!Object.is(out[i], want[i])) bad = i;
          expect(bad < 0 ? "ok" : `${t.name}${p}_${mode}(${a[bad]}, ${b[bad]}) = ${out[bad]}, JS ${want[bad]}`).toBe("ok");
        }
      }
    }
  });
});
