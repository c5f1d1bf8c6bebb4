// Tier 2 against tier 0, bit for bit: every elementwise op, cast, reduction and matmul
// in every dtype, at lengths around the lane count (0..33) and with broadcasting.

import { describe, expect, it } from "vitest";
import { DTYPES, resultType, type DType, type TypedArray } from "../../ir/dtype.js";
import { BINARY_OPS, ELEMENTWISE, REDUCE, REDUCE_OPS, UNARY_OPS, operandDType } from "../../ir/ops.js";
import { jit, np, NDArray } from "../../index.js";

const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 9, 17, 33];
/** The table's ops that have semantics for operands of these dtypes (bitwise ops have none for floats). */
function opsFor<T extends (typeof UNARY_OPS)[number] | (typeof BINARY_OPS)[number]>(ops: readonly T[], ...dts: DType[]): T[] {
  return ops.filter((op) => ELEMENTWISE[op].scalar[operandDType(ELEMENTWISE[op].operands, resultType(dts, []))] !== undefined);
}
const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-45, -3e-39, 3.4e38, -1, 1, 0.5, -2.5, 88.8, -104.5, 1e6];

let seed = 1;
function rnd(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
}

function data(dt: DType, shape: number[]): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, (_, i) => {
    if (dt === "bool") return rnd() < 0.5 ? 1 : 0;
    if (dt === "int32") return i % 5 === 0 ? [0, -1, 2147483647, -2147483648, 7][i % 25 / 5]! : Math.floor((rnd() - 0.5) * 2000);
    return rnd() < 0.3 ? SPECIAL[Math.floor(rnd() * SPECIAL.length)]! : (rnd() - 0.5) * [2, 20, 200][i % 3]!;
  });
  const typed: TypedArray = dt === "float32" ? Float32Array.from(vals) : dt === "float64" ? Float64Array.from(vals) : dt === "int32" ? Int32Array.from(vals) : Uint8Array.from(vals);
  return np.array(typed, { dtype: dt }).reshape(shape);
}

function leaves(r: unknown): NDArray[] {
  return Array.isArray(r) ? r.flatMap(leaves) : r instanceof NDArray ? [r] : [];
}

function agree<A extends unknown[]>(what: string, fn: (...a: A) => unknown, ...args: A): void {
  const want = leaves(jit(fn, { tier: "interpreter" })(...args));
  const t2 = jit(fn, { tier: "wasm" });
  const got = leaves(t2(...args));
  const sig = t2.inspect().signatures[0]!;
  expect(sig.tier).toBe("wasm");
  expect(sig.wat).toContain("(module");
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    const g = got[k]!;
    expect(`${g.dtype}${g.shape}`).toBe(`${w.dtype}${w.shape}`);
    const a = g.toTypedArray();
    const b = w.toTypedArray();
    for (let i = 0; i < b.length; i++) {
      if (!Object.is(a[i], b[i])) expect(`${what} output ${k} [${i}] = ${a[i]}`).toBe(`${what} output ${k} [${i}] = ${b[i]}`);
    }
  });
}

describe("tier 2 agrees bit for bit with tier 0", () => {
  it("on every unary op and cast, every dtype and length", () => {
    for (const dt of DTYPES) {
      for (const n of LENGTHS) {
        const f = (x: NDArray) => [...opsFor(UNARY_OPS, dt).map((op) => (np[op] as (a: NDArray) => NDArray)(x)), ...DTYPES.map((d) => x.astype(d))];
        agree(`unary ${dt}[${n}]`, f, data(dt, [n]));
      }
    }
  });

  it("on every binary op and where, with broadcasting and mixed dtypes", { timeout: 400_000 }, () => {
    const pairs: [DType, DType][] = [...DTYPES.map((d) => [d, d] as [DType, DType]), ["float32", "float64"], ["int32", "float32"], ["bool", "int32"], ["float64", "int32"]];
    for (const [da, db] of pairs) {
      for (const n of LENGTHS) {
        const shapes: [number[], number[]][] = [[[n], [n]], [[n], []], [[3, n], [n]], [[n, 1], [5]]];
        for (const [sa, sb] of shapes) {
          const f = (x: NDArray, y: NDArray) => [...opsFor(BINARY_OPS, da, db).map((op) => (np[op] as (a: NDArray, b: NDArray) => NDArray)(x, y)), np.where(x.greater(y), x, y), x.mul(2.5).add(y)];
          agree(`binary ${da}${sa} ${db}${sb}`, f, data(da, sa), data(db, sb));
        }
      }
    }
  });

  it("on every reduction over any axes", () => {
    for (const dt of DTYPES) {
      for (const n of [1, 3, 4, 5, 9, 17]) {
        for (const shape of [[n], [3, n], [n, 5], [2, 3, n]]) {
          const f = (x: NDArray) => {
            const axes: (number | number[] | undefined)[] = [undefined, 0, -1, shape.length === 3 ? [0, 2] : 0];
            return axes.flatMap((ax) => [...REDUCE_OPS.map((op) => x[op](ax)), x.mul(x).sum(ax, true).add(1), x.prod(ax, true).mul(2)]);
          };
          agree(`reduce ${dt}${shape}`, f, data(dt, shape));
        }
      }
      const withEmpty = REDUCE_OPS.filter((op) => REDUCE[op].empty(dt) !== undefined);
      const empty = (x: NDArray) => withEmpty.flatMap((op) => [x[op](), x[op](0)]);
      agree(`empty reductions ${dt}`, empty, data(dt, [0, 3]));
    }
  });

  it("on matmul and dot with prologue and epilogue", () => {
    for (const dt of ["float32", "float64", "int32"] as DType[]) {
      for (const M of [1, 3, 5]) {
        for (const K of [0, 1, 3, 4, 5, 9]) {
          for (const N of [1, 2, 4, 5, 9]) {
            const f = (a: NDArray, b: NDArray) => [np.matmul(a, b), np.matmul(a.mul(a), b).add(1), np.matmul(a, b.abs()).neg()];
            agree(`matmul ${dt} ${M}x${K}x${N}`, f, data(dt, [M, K]), data(dt, [K, N]));
          }
        }
        agree(`dot ${dt}`, (a: NDArray, b: NDArray) => np.dot(a, b), data(dt, [M, 7]), data(dt, [7]));
      }
    }
  });

  it("on transposes, broadcasts and reshapes between kernels", () => {
    const f = (x: NDArray, y: NDArray) => {
      const t = x.transpose().mul(y.broadcastTo([5, 3]));
      return [t, t.reshape([15]).exp(), t.sum(1).reshape([5, 1]).mul(t)];
    };
    agree("movement", f, data("float32", [3, 5]), data("float32", [3]));
  });

  it("on broadcast reads in place (row nests), every shape pattern and dtype", () => {
    const cases: [number[], number[]][] = [
      [[5, 7], [7]], [[5, 7], [5, 1]], [[3, 4, 5], [4, 1]], [[2, 3, 9], [3, 9]], [[6, 1], [1, 5]],
      [[4, 8], [1, 8]], [[3, 2, 2], [2, 1]], [[9, 3], [3]], [[2, 13], [2, 1]],
    ];
    for (const dt of DTYPES) {
      for (const [a, b] of cases) {
        const f = (x: NDArray, y: NDArray) => [x.add(y), np.where(x.greater(y), x, y).mul(y), y.sub(x).abs().add(x.mul(y))];
        agree(`broadcast ${dt} ${a} ${b}`, f, data(dt, a), data(dt, b));
        agree(`broadcast ${dt} ${b} ${a}`, f, data(dt, b), data(dt, a));
      }
    }
  });
});

describe("tier 2 reduction prologues that broadcast", () => {
  it("softmax and centred sums agree with tier 0", () => {
    for (const dt of ["float32", "float64"] as DType[]) {
      for (const shape of [[3, 5], [4, 8], [2, 3, 7]]) {
        const f = (x: NDArray) => {
          const m = x.max(-1, true);
          const e = x.sub(m).exp();
          return [e.div(e.sum(-1, true)), x.sub(x.mean(0)).mul(2).sum(0)];
        };
        agree(`softmax ${dt}${shape}`, f, data(dt, shape));
      }
    }
  });
});

describe("tier 2 memory", () => {
  it("reuses the regions of dead intermediates", () => {
    const chain = (x: NDArray) => {
      for (let i = 0; i < 16; i++) x = x.transpose().mul(1.5).sin();
      return x;
    };
    agree("chain", chain, data("float32", [128, 128]));
    const f = jit(chain, { tier: "wasm" });
    f(data("float32", [128, 128]));
    // 32 kernels writing 64 KiB each: one page apiece without reuse.
    const pages = Number(/\(memory \$\w+ (\d+)/.exec(f.inspect().signatures[0]!.wat!)![1]);
    expect(pages).toBeLessThanOrEqual(8);
  });
});

describe("exact: false in tier 2", () => {
  it("gives exact mode's bits: the float32 algorithms already run four lanes per instruction", () => {
    const x = data("float32", [257]);
    const bitsOf = (a: NDArray) => Array.from(a.toTypedArray(), (v) => (Object.is(v, -0) ? "-0" : String(v)));
    const g = (a: NDArray) => [a.exp(), a.tanh(), a.sigmoid(), a.log().add(a.sin()).mul(a.cos()), a.astype("float64").tanh()];
    const want = jit(g, { tier: "interpreter" })(x).map(bitsOf);
    expect(jit(g, { tier: "wasm", exact: false })(x).map(bitsOf)).toEqual(want);
  });
  it("reaches loop continuations compiled by on-stack replacement", () => {
    // tanh only from iteration 20 on, where wasm runs the loop (interpreter 0-9, js 10-19);
    // before that, c * 0.5 + a rounds the same in every mode (no subnormals: there the
    // halving is inexact and tier 1's relaxed mode rounds once where float32 rounds twice).
    const sim = (a: NDArray) => np.forLoop(0, 50, (i, c: NDArray) => np.where(i.greaterEqual(20), c.mul(0.5).add(a.tanh()), c.mul(0.5).add(a)), a);
    np.random.seed(11);
    const x = np.random.normal([64]).mul(2);
    const want = Array.from(jit(sim, { tier: "wasm", exact: false })(x).toTypedArray());
    const f = jit(sim, { exact: false, osr: { iterations: 10, ms: 1e9 } });
    const got = Array.from(f(x).toTypedArray());
    const osr = f.inspect().signatures[0]!.events.filter((e) => e.reason.startsWith("on-stack replacement of a loop"));
    expect(osr.map((e) => `${e.from}->${e.to} ${e.reason.slice(-12)}`)).toEqual(["interpreter->js iteration 10", "js->wasm iteration 20"]);
    expect(got).toEqual(want);
  });
});
