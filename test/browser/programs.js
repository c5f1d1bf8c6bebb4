// Programs the browser suite runs in a page and in Node, in each tier, with digests of
// their output bits: the same program and seed must give the same bits in every tier
// and on both platforms. Plain JS, parameterised by the tierjit API it is handed, so
// one file serves the page (native ES modules or a bundle) and the Node side.

/** FNV-1a over the bytes of every output, in order: equal digests mean equal bits. */
export function digest(arrays) {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** Each program: `make(tj)` builds { fn, args, reset } afresh (fresh state, same seed). */
export const PROGRAMS = {
  // The seed's gelu, with np.pow(x, 3) and tanh: the exact float32 transcendentals.
  gelu: (tj) => {
    const { np } = tj;
    np.random.seed(11);
    const x = np.random.normal([1000]);
    return {
      fn: (x) => x.mul(0.5).mul(np.tanh(x.add(np.pow(x, 3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1)),
      args: [x],
      reset: () => {},
    };
  },
  // A compiled loop with random draws in its body (the counter-based generator in every tier) and a reduction.
  noisyLoop: (tj) => {
    const { np } = tj;
    np.random.seed(5);
    const v0 = np.random.uniform([257], -1, 1);
    return {
      fn: (v) => {
        const out = np.forLoop(0, 40, (_i, v) => v.mul(0.9).add(np.random.normal([257], 0, 0.1)).sub(np.sigmoid(v).mul(0.05)), v);
        return [out, np.exp(out).sum(), out.max()];
      },
      args: [v0],
      reset: () => np.random.seed(21),
    };
  },
  // A Module with a Variable updated in place: a logistic-regression step (dot, sigmoid, matvec).
  logreg: (tj) => {
    const { np, Module, Variable } = tj;
    np.random.seed(3);
    const X = np.random.normal([300, 8]);
    const Y = np.where(np.random.uniform([300]).greater(0.5), 1, -1);
    class LogReg extends Module {
      w = new Variable(np.zeros([8]));
      call() {
        const u = np.dot(np.sigmoid(Y.mul(np.dot(X, this.w))).sub(1).mul(Y), X);
        this.w.value = this.w.sub(u.mul(0.01));
        return this.w.value.sum();
      }
    }
    const m = new LogReg();
    return { fn: m, args: [], reset: () => { m.w.value = np.zeros([8]); }, state: () => [m.w.value] };
  },
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one program in one tier: pinned for "interpreter", "js" and "wasm-pinned"; for
 * "wasm" promoted by the ordinary policy (low thresholds). Both wasm modes yield
 * between calls until tier 2 runs, so a page's worker reply can land (a page cannot
 * wait for it: a signature pinned to wasm runs in the interpreter until it arrives). Then resets state and seed and digests five calls' outputs.
 */
export async function runIn(tj, name, tier, { timeoutMs = 60_000 } = {}) {
  const p = PROGRAMS[name](tj);
  const f = tier === "wasm"
    ? tj.jit(p.fn, { name, hot: { js: { calls: 2 }, wasm: { calls: 3 } } })
    : tj.jit(p.fn, { name, tier: tier === "wasm-pinned" ? "wasm" : tier });
  const t0 = performance.now();
  let calls = 0;
  if (tier.startsWith("wasm")) {
    do {
      f(...p.args);
      calls++;
      await sleep(calls < 10 ? 0 : 10);
    } while (f.inspect().tier !== "wasm" && performance.now() - t0 < timeoutMs);
  }
  const reachedMs = performance.now() - t0;
  p.reset();
  const outs = [];
  for (let k = 0; k < 5; k++) {
    const r = f(...p.args);
    for (const a of [r].flat()) outs.push(a.toTypedArray());
    for (const a of p.state?.() ?? []) outs.push(a.toTypedArray());
  }
  const report = f.inspect();
  return {
    name, tier, ran: report.tier, calls, reachedMs: Math.round(reachedMs), digest: digest(outs),
    sample: Array.from(outs[0].slice(0, 3)),
    events: report.signatures.flatMap((s) => s.events.map((e) => `${e.from}->${e.to}: ${e.reason}`)),
    hasListings: { ir: !!report.signatures[0].ir, bytecode: !!report.signatures[0].bytecode, js: !!report.signatures[0].js, wat: !!report.signatures[0].wat },
  };
}

/**
 * Under a content-security policy: a function under the default policy (low
 * thresholds), called with yields until it reaches tier 2 or `ms` pass.
 */
export async function runUnderPolicy(tj, { ms = 15_000 } = {}) {
  const p = PROGRAMS.gelu(tj);
  const f = tj.jit(p.fn, { name: "gelu", hot: { js: { calls: 2 }, wasm: { calls: 3 } } });
  let last;
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < ms; i++) {
    last = f(...p.args);
    const r = f.inspect();
    if (r.tier === "wasm" || r.signatures[0].events.some((e) => e.reason.startsWith("wasm unavailable"))) break;
    await sleep(i < 10 ? 0 : 20);
  }
  last = f(...p.args);
  const report = f.inspect();
  let evalAllowed = true;
  try {
    new Function("return 1");
  } catch {
    evalAllowed = false;
  }
  return {
    ran: report.tier, digest: digest([last.toTypedArray()]), evalAllowed,
    events: report.signatures[0].events.map((e) => `${e.from}->${e.to}: ${e.reason}`),
  };
}
