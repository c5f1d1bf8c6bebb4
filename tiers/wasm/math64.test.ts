// The wasm transcriptions of the float64 transcendentals and of pow (float64 and
// float32) agree bit for bit with ir/math, in SIMD (f64x2) and scalar form, on random
// bit patterns, ranges and special values (pow: pairs incl. integers, halves, ±0,
// ±Inf, NaN, |x| near 1 with huge y).

import { describe, expect, it } from "vitest";
import { cos64, exp64, log64, pow64, sigmoid64, sin64, tanh64 } from "../../ir/math/f64.js";
import { pow32 } from "../../ir/math/f32.js";
import { Fn } from "./fn.js";
import { F, demote, promote } from "./lanes.js";
import * as W from "./math64.js";
import { x, type Expr } from "./recipe.js";
import { requestModule } from "./service.js";

const N = 1 << 15;
const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 2.2250738585072014e-308, 709.7, 710, -745.1, -746, 0.625, -0.625, 1.7e308, -1.7e308, 1e300, 0.5, 1, -1, 2, -2, 3, -3, 0.5, -0.5, 1e-300, 1 + 2 ** -30, 1 - 2 ** -30, 2 ** 31 + 2 ** 12, -(2 ** 40), 823550, 1e15, -4e15, 1e22, Math.PI / 2];

function inputs(seed: number, f32: boolean): Float64Array {
  const a = new Float64Array(N);
  const u32 = new Uint32Array(a.buffer);
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < N; i++) {
    rnd();
    if (i % 7 === 0) a[i] = SPECIAL[rnd() % SPECIAL.length]!;
    else if (i % 4 === 0) {
      u32[2 * i] = s;
      u32[2 * i + 1] = rnd(); // any bit pattern: subnormals, huge, NaNs
    } else a[i] = ((s / 2 ** 32) * 2 - 1) * [1, 10, 1000, 1e6][i % 4]!;
    if (i % 11 === 3) a[i] = Math.round(a[i]! * 4) / 4; // integers and halves (pow's exponent rules)
    if (f32) a[i] = Math.fround(a[i]!);
  }
  return a;
}

type Unary = (f: F, v: Expr) => Expr;
const UNARY: [string, Unary, (v: number) => number][] = [
  ["exp", W.exp64, exp64], ["log", W.log64, log64], ["tanh", W.tanh64, tanh64],
  ["sigmoid", W.sigmoid64, sigmoid64], ["sin", W.sin64, sin64], ["cos", W.cos64, cos64],
];

/** A loop over N elements applying `emit` to f64 lanes read at 0 (and N*8), writing at 2N*8. */
function kernel(name: string, vec: boolean, emit: (f: F, a: Expr, b: Expr) => Expr): ReturnType<Fn["finish"]> {
  const fn = new Fn(name);
  const f = new F(fn, "f64", vec);
  fn.loop(0, N, vec ? 2 : 1, (i) => {
    const ptr = fn.let("i32", x("i32.shl", i, x("i32.const", 3)));
    const load = (off: number) => fn.let(f.t, vec ? x("v128.load", off, 8, ptr) : x("f64.load", off, 8, ptr));
    const r = emit(f, load(0), load(N * 8));
    fn.emit(vec ? x("v128.store", 2 * N * 8, 8, ptr, r) : x("f64.store", 2 * N * 8, 8, ptr, r));
  });
  return fn.finish();
}

/** pow32 as tier 2 lowers it: the f64 core on (promoted) f32 operands, one demote; stored back as f64 here. */
function pow32Lanes(f: F, a: Expr, b: Expr): Expr {
  const r = W.pow32in64(f, a, b);
  return promote(f.fn, f.vec, demote(f.fn, f.vec, f.vec ? [r, r] : [r]))[0]!;
}

describe("wasm float64 transcendentals and pow", () => {
  it("agree bit for bit with ir/math (SIMD and scalar)", () => {
    const cases: [string, (f: F, a: Expr, b: Expr) => Expr, (a: number, b: number) => number, boolean][] = [
      ...UNARY.map(([n, g, ref]) => [n, (f: F, a: Expr) => g(f, a), (a: number) => ref(a), false] as [string, (f: F, a: Expr, b: Expr) => Expr, (a: number, b: number) => number, boolean]),
      ["pow", W.pow64, pow64, false],
      ["pow32", pow32Lanes, pow32, true],
    ];
    const funcs = cases.flatMap(([name, emit]) => [true, false].map((vec) => kernel(`${name}_${vec ? "v" : "s"}`, vec, emit)));
    const pages = Math.ceil((N * 24 + 64) / 65536);
    const mod = requestModule({ pages, imports: [], funcs }).wait(60_000);
    expect(mod).toBeDefined();
    const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mod!.bytes), { env: { mem } });
    const a = new Float64Array(mem.buffer, 0, N);
    const b = new Float64Array(mem.buffer, N * 8, N);
    const out = new Float64Array(mem.buffer, 2 * N * 8, N);
    for (const [name, , ref, f32] of cases) {
      a.set(inputs(7, f32));
      b.set(inputs(99, f32));
      if (name.startsWith("pow")) for (let i = 0; i < N; i += 3) b[i] = Math.round(b[i]! % 9); // small integer exponents
      if (name.startsWith("pow")) for (let i = 1; i < N; i += 5) a[i] = 1 + (a[i]! % 1) * 2 ** -22; // |x| near 1
      const want = Float64Array.from(a, (v, i) => ref(v, b[i]!));
      for (const mode of ["v", "s"]) {
        out.fill(0);
        (inst.exports[`${name}_${mode}`] as () => void)();
        let bad = -1;
        for (let i = 0; i < N && bad < 0; i++) if (!Object.is(out[i], want[i])) bad = i;
        expect(bad < 0 ? "ok" : `${name}_${mode}(${a[bad]}, ${b[bad]}) = ${out[bad]}, ir/math ${want[bad]}`).toBe("ok");
      }
    }
  });
});
