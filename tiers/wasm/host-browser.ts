// The compile worker in a browser: a module Web Worker running browser-worker.js,
// found by a URL relative to this module (bundlers such as Vite recognise the
// `new Worker(new URL(..., import.meta.url))` form and bundle the worker). Replies
// arrive as messages between tasks: a page's main thread can neither block
// (Atomics.wait is refused there) nor drain a port synchronously, so `block` returns
// at once and a compile lands at the first call after the page yields (a simulation
// driven by requestAnimationFrame or timers yields every step). The worker compiles
// each module with the asynchronous WebAssembly.compile and posts the compiled
// module, which `new WebAssembly.Instance` accepts on the main thread at any size.
// Nothing here names a Node built-in. The browser has no lib.dom types in this
// project, so the little of the Worker API used is declared below.

import { setCompileHost, type CompileHost, type Reply } from "./service.js";
import type { ModuleRecipe } from "./recipe.js";

interface WebWorker {
  postMessage(message: unknown): void;
  onmessage: ((e: { data: Reply }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}
type WorkerCtor = new (url: UrlLike, options: { type: "module" }) => WebWorker;

/** A URL as a string or a `URL` object (typed by its href: the published typings need no DOM lib). */
export type UrlLike = string | { readonly href: string };
const href = (u: UrlLike): string => (typeof u === "string" ? u : u.href);

let workerUrl: string | undefined;
let binaryenUrl: string | undefined;

/**
 * Where the compile worker and binaryen are, for pages where the defaults cannot find
 * them: `worker` (default: browser-worker.js next to this module) and `binaryen`
 * (default: "binaryen" resolved through the page's import map, else the worker's own
 * bare import, else node_modules/binaryen next to this package).
 */
export function configureWasmWorker(where: { worker?: UrlLike; binaryen?: UrlLike }): void {
  if (where.worker !== undefined) workerUrl = href(where.worker);
  if (where.binaryen !== undefined) binaryenUrl = href(where.binaryen);
}

/** "binaryen" through the page's import map, if it has one that maps it. */
function resolveBinaryen(): string | undefined {
  try {
    const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
    return typeof resolve === "function" ? resolve("binaryen") : undefined;
  } catch {
    return undefined; // no import map entry (a bundled page): the worker finds it itself
  }
}

function browserHost(): CompileHost {
  const W = (globalThis as { Worker?: WorkerCtor }).Worker;
  if (!W) throw new Error("wasm tier: this environment has no Web Worker");
  const worker = workerUrl !== undefined ? new W(workerUrl, { type: "module" }) : new W(new URL("./browser-worker.js", import.meta.url), { type: "module" });
  const inbox: Reply[] = [];
  let failure: string | undefined;
  worker.onmessage = (e) => {
    inbox.push(e.data);
  };
  worker.onerror = (e) => {
    failure = `the compile worker failed to start: ${e.message ?? "no message (blocked by a content-security policy, or its URL is wrong?)"}`;
  };
  worker.postMessage({ init: true, binaryenUrl: binaryenUrl ?? resolveBinaryen() });
  return {
    // WAT is printed with every module: a page cannot wait for a second build when inspect() asks.
    post: (id: number, recipe: ModuleRecipe) => worker.postMessage({ id, recipe: { ...recipe, text: true } }),
    take: () => inbox.splice(0),
    block: () => false,
    failure: () => failure,
    canBlock: false,
  };
}

setCompileHost(browserHost);
