// Replays a ModuleRecipe (recipe.ts) into wasm bytes with binaryen. Plain JS, not
// TypeScript: the compile worker runs this file as it is, in a Node worker thread
// (node-worker.js) and in a browser Web Worker (browser-worker.js), from dist/ or from
// the source tree, never through a TypeScript loader (tsx re-transforming binaryen's
// 15 MB took 9-12 s).

function type(B, t) {
  return Array.isArray(t) ? B.createType(t.map((u) => B[u])) : B[t];
}

// ops caches each builder by name for one module (its builders are bound to it).
function replay(B, m, ops, a) {
  if (a === null || typeof a !== "object") return a;
  if (Array.isArray(a)) return a.map((y) => replay(B, m, ops, y));
  if (a.t !== undefined) return type(B, a.t);
  let f = ops.get(a.o);
  if (f === undefined) {
    f = m;
    for (const p of a.o.split(".")) f = f[p];
    if (typeof f !== "function") throw new Error("no binaryen builder " + a.o);
    ops.set(a.o, f);
  }
  return f(...a.a.map((y) => replay(B, m, ops, y)));
}

/** The module's bytes, and its WAT when the recipe asks for it. */
export function buildModule(B, r) {
  const m = new B.Module();
  try {
    m.setFeatures(B.Features.SIMD128 | B.Features.NontrappingFPToInt | B.Features.SignExt);
    m.setMemory(r.pages, r.pages, null, [], false, false, "mem");
    m.addMemoryImport("mem", "env", "mem");
    for (const i of r.imports) m.addFunctionImport(i.name, "env", i.name, type(B, i.params), B[i.result]);
    const ops = new Map();
    for (const f of r.funcs) {
      m.addFunction(f.name, type(B, f.params), B[f.result], f.vars.map((v) => B[v]), replay(B, m, ops, f.body));
      m.addFunctionExport(f.name, f.name);
    }
    if (!m.validate()) throw new Error("binaryen rejected the generated module:\n" + m.emitText().slice(0, 4000));
    if (r.optimize) { B.setOptimizeLevel(3); m.optimize(); }
    return { bytes: m.emitBinary(), wat: r.text ? m.emitText() : undefined };
  } finally {
    m.dispose();
  }
}

/** Builds one request into its reply message (errors included: a reply always goes back). */
export function reply(B, id, recipe) {
  try {
    const t = performance.now();
    const out = buildModule(B, recipe);
    return { id, bytes: out.bytes, wat: out.wat, buildMs: performance.now() - t };
  } catch (e) {
    return { id, error: String((e && e.stack) || e) };
  }
}

/**
 * The first module built in a process costs another 0.1-0.2 s while V8 compiles
 * binaryen itself: the workers pay it right after loading, before saying "loaded", so
 * that no synchronous compile (on-stack replacement) waits for it. One small SIMD
 * function through the builders, validation and emission a real build uses.
 */
export function warmUp(B) {
  try {
    const m = new B.Module();
    try {
      m.setFeatures(B.Features.SIMD128 | B.Features.NontrappingFPToInt | B.Features.SignExt);
      m.setMemory(1, 1, null, [], false, false, "mem");
      const p = () => m.i32.const(0);
      const v = m.f32x4.mul(m.f32x4.add(m.v128.load(0, 16, p()), m.local.get(0, B.v128)), m.f32x4.splat(m.f32.const(0.5)));
      m.addFunction("w", B.none, B.none, [B.v128, B.f64], m.block(null, [
        m.local.set(0, v), m.v128.store(0, 16, p(), m.local.get(0, B.v128)),
        m.local.set(1, m.f64.mul(m.f64.load(0, 8, p()), m.f64.const(2))), m.f64.store(0, 8, p(), m.local.get(1, B.f64)),
      ]));
      m.addFunctionExport("w", "w");
      m.validate();
      m.emitBinary();
    } finally {
      m.dispose();
    }
  } catch {}
  return B;
}
