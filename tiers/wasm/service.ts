// The compile service: the only way to binaryen. A compile worker loads binaryen once
// (lazily: the worker starts on the first compile request, so a program that never
// gets hot never pays the ~0.5 s load) and replays ModuleRecipes into wasm bytes (and
// WAT text only when asked: inspect). The worker itself is platform code, a
// `CompileHost` the entry point installs: host-node.ts (worker_threads; the main
// thread polls with `receiveMessageOnPort`, which works inside a tight synchronous
// loop, and can block on a shared counter) or host-browser.ts (a Web Worker; replies
// arrive between tasks, and the page's main thread can never block). This file
// imports no platform built-in, so the browser entry can ship it.

import { TierUnavailableError } from "../../ir/errors.js";
import type { CompiledModule, ModuleRecipe } from "./recipe.js";

/** What the compile worker sends back. */
export interface Reply {
  id?: number;
  /** binaryen finished loading after this many milliseconds. */
  loaded?: number;
  /** binaryen failed to load: every pending and future compile fails with this. */
  failed?: string;
  bytes?: Uint8Array;
  /** Compiled already (browser: the worker compiles asynchronously). */
  module?: WebAssembly.Module;
  wat?: string;
  buildMs?: number;
  error?: string;
}

/** A platform's compile worker, started on the first request. */
export interface CompileHost {
  post(id: number, recipe: ModuleRecipe): void;
  /** Replies that have arrived, without waiting for anything. */
  take(): Reply[];
  /**
   * Blocks up to `ms` milliseconds or until a reply arrives; returns false at once
   * where the platform cannot block (a page's main thread).
   */
  block(ms: number): boolean;
  /** Why the worker died, if it did. */
  failure(): string | undefined;
  /** Whether `block` can wait here (false on a page's main thread). */
  readonly canBlock: boolean;
}

let makeHost: (() => CompileHost) | undefined;
let host: CompileHost | undefined;
let nextId = 0;
const done = new Map<number, Reply>();
/** Builds whose result is no longer wanted (their signature was evicted): dropped on arrival, so `done` stays bounded. */
const abandoned = new Set<number>();
/** Milliseconds from starting the worker until binaryen was loaded in it. */
let loadMs: number | undefined;
let failed: string | undefined;

/** Installs the platform's compile worker (the entry points do: index.ts for Node, browser.ts for browsers). */
export function setCompileHost(make: () => CompileHost): void {
  makeHost = make;
}

function start(): CompileHost {
  if (host) return host;
  if (!makeHost) throw new TierUnavailableError("wasm tier: no compile worker for this platform (import tierjit from its package entry)");
  host = makeHost();
  return host;
}

function drain(h: CompileHost): void {
  for (const r of h.take()) {
    if (r.loaded !== undefined) loadMs = r.loaded;
    else if (r.failed !== undefined) failed = r.failed;
    else if (r.id !== undefined && !abandoned.delete(r.id)) done.set(r.id, r);
  }
}

/** A compile in flight. `poll()` never blocks; `wait(ms)` blocks at most `ms` where the platform can. Both throw if binaryen failed. */
export class PendingModule {
  private result: CompiledModule | undefined;
  constructor(private readonly id: number) {}

  poll(): CompiledModule | undefined {
    if (this.result) return this.result;
    const h = host!;
    drain(h);
    const r = done.get(this.id);
    if (!r) {
      const why = failed ?? h.failure();
      if (why !== undefined) throw new TierUnavailableError(`wasm tier: the binaryen worker failed: ${why}`);
      return undefined;
    }
    done.delete(this.id);
    if (r.error !== undefined) throw new TierUnavailableError(`wasm tier: module build failed: ${r.error}`);
    this.result = {
      bytes: r.bytes!, buildMs: r.buildMs!,
      ...(r.wat !== undefined ? { wat: r.wat } : {}),
      ...(r.module !== undefined ? { module: r.module } : {}),
    };
    return this.result;
  }

  /** The result is no longer wanted: forget it now or when it arrives. */
  cancel(): void {
    if (this.result || done.delete(this.id)) return;
    abandoned.add(this.id);
  }

  wait(ms: number): CompiledModule | undefined {
    const end = performance.now() + ms;
    const h = host!;
    for (;;) {
      const r = this.poll();
      if (r) return r;
      const left = end - performance.now();
      if (left <= 0) return undefined;
      if (!h.block(Math.min(left, 100))) return undefined; // re-check now and then: a dead worker never notifies
    }
  }
}

/** Queues a module build on the worker (starting it, and loading binaryen, on first use). */
export function requestModule(recipe: ModuleRecipe): PendingModule {
  const h = start();
  const id = nextId++;
  h.post(id, recipe);
  return new PendingModule(id);
}

/** Whether this thread can wait for a module (a page's main thread cannot: see host-browser.ts). Starts the worker. */
export function canWaitForModules(): boolean {
  return start().canBlock;
}

/** Starts the compile worker (and so the binaryen load) without queuing a build. */
export function startService(): void {
  start();
}

/** Whether the compile worker (and so binaryen) has been started in this process. */
export function serviceStarted(): boolean {
  return host !== undefined;
}

/** binaryen's load time in the worker, once known. */
export function binaryenLoadMs(): number | undefined {
  if (host) drain(host);
  return loadMs;
}

/** Whether binaryen failed to load (then tier 2 is unavailable for good). */
export function binaryenFailed(): string | undefined {
  if (host) drain(host);
  return failed;
}
