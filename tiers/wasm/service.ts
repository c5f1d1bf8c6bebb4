// The compile service: the only place that touches binaryen. A worker thread loads
// binaryen once (lazily: the worker starts on the first compile request, so a program
// that never gets hot never pays the ~0.5 s load) and replays ModuleRecipes into wasm
// bytes (and WAT text only when asked: inspect). The main thread never waits for the
// event loop: it polls with `receiveMessageOnPort` at call time, which works inside a
// tight synchronous loop, and can block on a SharedArrayBuffer flag (`Atomics.wait`)
// when a caller decides a function is hot enough to wait for its module.
//
// The worker's source is embedded as a string (plain JS, no TypeScript) so it runs the
// same from dist/ and under vitest; binaryen is imported inside it by a file URL the
// main thread resolves.

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { TierUnavailableError } from "../../ir/errors.js";
import type { CompiledModule, ModuleRecipe } from "./recipe.js";

const WORKER_SOURCE = String.raw`
const { workerData } = require("node:worker_threads");
const { port, flag, binaryenUrl } = workerData;
const t0 = performance.now();
const loading = import(binaryenUrl).then((m) => {
  // The first module built in a process costs another 0.1-0.2 s while V8 compiles
  // binaryen itself: pay it here, before saying "loaded", so that no synchronous
  // compile (on-stack replacement) waits for it.
  try { warmUp(m.default); } catch {}
  port.postMessage({ loaded: performance.now() - t0 });
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
  return m.default;
});
function warmUp(B) {
  // One small SIMD function through the builders, validation and emission a real build uses.
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
}
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
function build(B, r) {
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
port.on("message", async ({ id, recipe }) => {
  let msg;
  try {
    const B = await loading;
    const t = performance.now();
    const out = build(B, recipe);
    msg = { id, bytes: out.bytes, wat: out.wat, buildMs: performance.now() - t };
  } catch (e) {
    msg = { id, error: String(e && e.stack || e) };
  }
  port.postMessage(msg);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

interface Reply {
  id?: number;
  loaded?: number;
  bytes?: Uint8Array;
  wat?: string;
  buildMs?: number;
  error?: string;
}

interface Service {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
  readonly startedAt: number;
}

let service: Service | undefined;
let nextId = 0;
const done = new Map<number, Reply>();
/** Builds whose result is no longer wanted (their signature was evicted): dropped on arrival, so `done` stays bounded. */
const abandoned = new Set<number>();
/** Milliseconds from starting the worker until binaryen was loaded in it. */
let loadMs: number | undefined;
/** Why the worker died, if it did (binaryen failed to load): every pending compile then fails. */
let failure: string | undefined;
/** The worker's reply counter as of the last drain: polling reads one shared int unless something arrived. */
let seen = 0;

function start(): Service {
  if (service) return service;
  const binaryenUrl = pathToFileURL(createRequire(import.meta.url).resolve("binaryen")).href;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag, binaryenUrl }, transferList: [port2] });
  worker.unref(); // a pending compile must never keep the user's process alive
  worker.on("error", (e) => {
    failure = String(e);
  });
  service = { worker, port: port1, flag, startedAt: performance.now() };
  return service;
}

function drain(s: Service): void {
  const now = Atomics.load(s.flag, 0);
  if (now === seen) return;
  seen = now;
  for (;;) {
    const m = receiveMessageOnPort(s.port) as { message: Reply } | undefined;
    if (!m) return;
    const r = m.message;
    if (r.loaded !== undefined) loadMs = r.loaded;
    else if (r.id !== undefined && !abandoned.delete(r.id)) done.set(r.id, r);
  }
}

/** A compile in flight. `poll()` never blocks; `wait(ms)` blocks at most `ms`. Both throw if binaryen failed. */
export class PendingModule {
  private result: CompiledModule | undefined;
  constructor(private readonly id: number) {}

  poll(): CompiledModule | undefined {
    if (this.result) return this.result;
    const s = service!;
    drain(s);
    const r = done.get(this.id);
    if (!r) {
      if (failure !== undefined) throw new TierUnavailableError(`wasm tier: the binaryen worker failed: ${failure}`);
      return undefined;
    }
    done.delete(this.id);
    if (r.error !== undefined) throw new TierUnavailableError(`wasm tier: module build failed: ${r.error}`);
    this.result = { bytes: r.bytes!, buildMs: r.buildMs!, ...(r.wat !== undefined ? { wat: r.wat } : {}) };
    return this.result;
  }

  /** The result is no longer wanted: forget it now or when it arrives. */
  cancel(): void {
    if (this.result || done.delete(this.id)) return;
    abandoned.add(this.id);
  }

  wait(ms: number): CompiledModule | undefined {
    const end = performance.now() + ms;
    const s = service!;
    for (;;) {
      const before = Atomics.load(s.flag, 0);
      const r = this.poll();
      if (r) return r;
      const left = end - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(s.flag, 0, before, Math.min(left, 100)); // re-check now and then: a dead worker never notifies
    }
  }
}

/** Queues a module build on the worker (starting it, and loading binaryen, on first use). */
export function requestModule(recipe: ModuleRecipe): PendingModule {
  const s = start();
  const id = nextId++;
  s.port.postMessage({ id, recipe });
  return new PendingModule(id);
}

/** Starts the compile worker (and so the binaryen load) without queuing a build. */
export function startService(): void {
  start();
}

/** Whether the compile worker (and so binaryen) has been started in this process. */
export function serviceStarted(): boolean {
  return service !== undefined;
}

/** binaryen's load time in the worker, once known. */
export function binaryenLoadMs(): number | undefined {
  if (service) drain(service);
  return loadMs;
}
