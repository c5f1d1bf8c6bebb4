// Hostile calls (issue 14): a generator of calls to every public function with bad
// shapes, dtypes, NaN/Infinity/huge numbers, wrong argument counts and types, traced
// values where static ones are needed (the call made inside a jitted function whose
// arguments are traced), and re-entrant and recursive jit. The property: each call
// returns or throws a named tierjit Error (a TierjitError, never an InternalError, a
// TypeError or a RangeError), within a second.

import fc from "fast-check";
import { grad, jit, jvp, nn, np, NDArray, TierjitError, valueAndGrad, Variable, vjp } from "../index.js";

/** Every public function, by name, as a plain function of its arguments. */
function targets(): Record<string, (...a: unknown[]) => unknown> {
  const out: Record<string, (...a: unknown[]) => unknown> = {};
  for (const [k, v] of Object.entries(np)) if (typeof v === "function") out[`np.${k}`] = v as never;
  for (const [k, v] of Object.entries(np.random)) out[`np.random.${k}`] = v as never;
  for (const [k, v] of Object.entries(nn)) out[`nn.${k}`] = v as never;
  out["np.sparse.csr"] = np.sparse.csr as never;
  const A = np.sparse.csr({ indptr: [0, 2, 3], indices: [0, 2, 1], data: [1, -2, 0.5], shape: [2, 3] });
  out["CsrMatrix.matvec"] = (x: unknown) => A.matvec(x as never);
  out["CsrMatrix.rmatvec"] = (x: unknown) => A.rmatvec(x as never);
  const proto = NDArray.prototype as unknown as Record<string, unknown>;
  for (const k of Object.getOwnPropertyNames(NDArray.prototype)) {
    const d = Object.getOwnPropertyDescriptor(NDArray.prototype, k)!;
    if (k === "constructor" || typeof d.value !== "function" || k.startsWith("_")) continue;
    // Called on the first argument when it is an array, else on a fixed 2x3 array with every argument.
    out[`NDArray.${k}`] = (...a: unknown[]) => {
      const self = a[0] instanceof NDArray ? a.shift() : np.arange(6).reshape(2, 3);
      return (proto[k] as (...x: unknown[]) => unknown).apply(self, a);
    };
  }
  out["new Variable"] = (a: unknown, o: unknown) => new Variable(a as never, o as never);
  out["Variable.value="] = (...a: unknown[]) => {
    const v = a[0] instanceof Variable ? (a.shift() as Variable) : new Variable(np.zeros([2, 3]));
    v.value = a[0] as never;
  };
  out["jit"] = (f: unknown, o: unknown) => jit(f as never, o as never);
  // Autodiff: the options and the arguments of the differentiated function are the hostile part.
  out["grad"] = (f: unknown, o: unknown) => grad(f as never, o as never);
  out["grad(sin.sum)"] = (...a: unknown[]) => grad((x: unknown) => np.sin(x as never).sum())(...(a as [never]));
  out["valueAndGrad(mul.sum, argnums)"] = (n: unknown, ...a: unknown[]) => valueAndGrad((x: unknown, y: unknown) => np.mul(x as never, y as never).sum(), { argnums: n as never })(...(a as [never, never]));
  out["vjp(tanh)"] = (...a: unknown[]) => vjp((x: unknown) => np.tanh(x as never), ...(a as [never]))[1](a[1]);
  out["jvp(exp)"] = (p: unknown, t: unknown) => jvp((x: unknown) => np.exp(x as never), p as never, t as never);
  return out;
}

export const TARGETS = targets();
const NAMES = Object.keys(TARGETS);

/** A hostile argument: a recipe, so that a failing case prints and replays. */
export type Arg =
  | { a: "array"; shape: number[]; dtype: "float32" | "float64" | "int32" | "bool"; fill: number }
  | { a: "num"; v: number }
  | { a: "var"; shape: number[] }
  | { a: "other"; v: "null" | "undefined" | "string" | "object" | "function" | "bigint" | "symbol" | "ragged" | "bigint64" | "uint16" | "shape" | "axes" | "options" | "opts-bad" | "jitfn" | "recursive" | "reentrant" | "nested" | "empty-list" };

export interface HostileCall {
  target: string;
  args: Arg[];
  /** Made inside a jitted function, with every array and number argument traced. */
  traced: boolean;
}

const NUMS = [0, -0, 1, -1, 2, 3, 0.5, NaN, Infinity, -Infinity, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 1e12, 100];

const arbArg: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ a: fc.constant("array" as const), shape: fc.array(fc.constantFrom(0, 1, 2, 3, 4), { maxLength: 3 }), dtype: fc.constantFrom("float32", "float64", "int32", "bool"), fill: fc.constantFrom(...NUMS) }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant("num" as const), v: fc.constantFrom(...NUMS) }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("var" as const), shape: fc.array(fc.constantFrom(1, 2, 3), { maxLength: 2 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      a: fc.constant("other" as const),
      v: fc.constantFrom("null", "undefined", "string", "object", "function", "bigint", "symbol", "ragged", "bigint64", "uint16", "shape", "axes", "options", "opts-bad", "jitfn", "recursive", "reentrant", "nested", "empty-list"),
    }),
  },
);

export const arbHostile: fc.Arbitrary<HostileCall> = fc.record({
  target: fc.constantFrom(...NAMES),
  args: fc.array(arbArg, { maxLength: 5 }),
  traced: fc.boolean(),
});

function recursiveJit(): unknown {
  const f: (x: NDArray) => NDArray = jit((x: NDArray) => np.add(f(x), 1));
  return f;
}

function reentrantJit(): unknown {
  // Calls another jitted function concretely from inside its own body's eager part, and itself through a Variable update.
  const inner = jit((x: NDArray) => np.mul(x, 2));
  const v = new Variable(np.zeros([2]));
  return jit((x: NDArray) => {
    v.value = v.add(np.sum(inner(x)));
    return inner(inner(x));
  });
}

/** Builds the concrete argument. */
export function makeArg(g: Arg): unknown {
  switch (g.a) {
    case "array": return np.full(g.shape, g.fill, g.dtype);
    case "num": return g.v;
    case "var": return new Variable(np.ones(g.shape));
    case "other":
      switch (g.v) {
        case "null": return null;
        case "undefined": return undefined;
        case "string": return "float32";
        case "object": return { foo: 1 };
        case "function": return (x: unknown) => x; // callbacks use np functions, not methods, so that a bad argument is tierjit's error, not the callback's TypeError
        case "bigint": return 3n;
        case "symbol": return Symbol("s");
        case "ragged": return [[1, 2], [3]];
        case "bigint64": return new BigInt64Array(2);
        case "uint16": return new Uint16Array([1, 2, 3]);
        case "shape": return [2, -1];
        case "axes": return [0, 0];
        case "options": return { axis: 0, keepdims: true, dtype: "int32", tier: "js" };
        case "opts-bad": return { axis: {}, keepdims: "yes", dtype: 7, tier: "gpu", maxSignatures: -1, staticArgnums: "0" };
        case "jitfn": return jit((x: NDArray) => np.add(x, 1));
        case "recursive": return recursiveJit();
        case "reentrant": return reentrantJit();
        case "nested": return [np.ones([2]), { k: 2, arr: [1, 2] }];
        case "empty-list": return [];
      }
  }
}

/** Makes the call; throws unless it returned or threw a TierjitError. */
export function runHostile(c: HostileCall): { threw?: string } {
  const f = TARGETS[c.target]!;
  const args = c.args.map(makeArg);
  const invoke = (xs: unknown[]) => {
    const r = f(...xs);
    // A jitted function or a result that is itself callable: call it too, with the same arguments.
    if (typeof r === "function" && c.target === "jit") return (r as (...a: unknown[]) => unknown)(...xs.slice(2));
    return r;
  };
  try {
    if (!c.traced) invoke(args);
    else {
      // Arrays and numbers become traced arguments of a jitted wrapper; the rest are closed over.
      const pos = args.flatMap((a, i) => ((a instanceof NDArray && !(a as NDArray)._isVar) || typeof a === "number" ? [i] : []));
      const w = jit((...traced: unknown[]) => {
        const xs = [...args];
        pos.forEach((p, k) => (xs[p] = traced[k]));
        const r = invoke(xs);
        return r instanceof NDArray ? r : undefined;
      });
      w(...pos.map((p) => args[p]));
    }
    return {};
  } catch (e) {
    if (e instanceof TierjitError) return { threw: e.name };
    throw new Error(`${c.target}(${c.args.map((a) => JSON.stringify(a)).join(", ")})${c.traced ? " inside jit" : ""} threw ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}\n${(e as Error)?.stack?.split("\n").slice(1, 6).join("\n") ?? ""}`);
  }
}

/** Within a second, or a second try within a second (a loaded machine may stall one call). */
export const HOSTILE_MS = 1000;

export function checkHostile(c: HostileCall): void {
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    runHostile(c);
    const ms = performance.now() - t0;
    if (ms <= HOSTILE_MS) return;
    if (attempt === 1) throw new Error(`${c.target}(${c.args.map((a) => JSON.stringify(a)).join(", ")})${c.traced ? " inside jit" : ""} took ${ms.toFixed(0)} ms (limit ${HOSTILE_MS} ms)`);
  }
}
