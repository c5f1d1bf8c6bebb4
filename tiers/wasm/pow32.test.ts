// The float32 pow (ir/math/pow32.ts) in wasm, f32x4 and scalar f32, emitted from its one
// definition, agrees bit for bit with the JS generated from it (what tiers 0 and 1 run)
// on the sampled pairs of the accuracy test and on every pair of special values.

import { describe, expect, it } from "vitest";
import { POW32, pow32 } from "../../ir/math/pow32.js";
import { POW_SPECIAL, powPairs } from "../../testing/pow.js";
import { Fn } from "./fn.js";
import { F } from "./lanes.js";
import { x } from "./recipe.js";
import { requestModule } from "./service.js";

describe("float32 pow in wasm", () => {
  it("agrees bit for bit with the generated JS (f32x4 and f32)", () => {
    const pairs = [...POW_SPECIAL.flatMap((a) => POW_SPECIAL.map((b): [number, number] => [a, b])), ...powPairs(8_000, 11)];
    const N = pairs.length + (4 - (pairs.length % 4)) % 4;
    const funcs = [true, false].map((vec) => {
      const fn = new Fn(vec ? "v" : "s");
      const f = new F(fn, "f32", vec);
      fn.loop(0, N, vec ? 4 : 1, (i) => {
        const ptr = fn.let("i32", x("i32.shl", i, x("i32.const", 2)));
        const load = (off: number) => fn.let(f.t, vec ? x("v128.load", off, 4, ptr) : x("f32.load", off, 4, ptr));
        const r = POW32.define(f, load(0), load(N * 4));
        fn.emit(vec ? x("v128.store", N * 8, 4, ptr, r) : x("f32.store", N * 8, 4, ptr, r));
      });
      return fn.finish();
    });
    const pages = Math.ceil((N * 12 + 64) / 65536);
    const mod = requestModule({ pages, imports: [], funcs }).wait(120_000);
    expect(mod).toBeDefined();
    const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mod!.bytes), { env: { mem } });
    const a = new Float32Array(mem.buffer, 0, N);
    const b = new Float32Array(mem.buffer, N * 4, N);
    const out = new Float32Array(mem.buffer, N * 8, N);
    pairs.forEach(([p, q], i) => ((a[i] = p), (b[i] = q)));
    const want = Array.from(a, (v, i) => pow32(v, b[i]!));
    for (const mode of ["v", "s"]) {
      out.fill(0);
      (inst.exports[mode] as () => void)();
      let bad = -1;
      for (let i = 0; i < N && bad < 0; i++) if (!Object.is(out[i], want[i])) bad = i;
      expect(bad < 0 ? "ok" : `pow32_${mode}(${a[bad]}, ${b[bad]}) = ${out[bad]}, JS ${want[bad]}`).toBe("ok");
    }
  });
});
