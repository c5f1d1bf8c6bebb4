// The compile worker in a browser (a module Web Worker started by host-browser.ts).
// A worker does not see the page's import map, so binaryen is found, in order: at the
// URL the page sends (host-browser.ts resolves "binaryen" through the import map),
// by the bare specifier (a bundler resolved it when it bundled this worker), or next to
// this package in node_modules (node_modules/tierjit/dist/tiers/wasm/ -> node_modules/binaryen/).
// Modules are compiled here with the asynchronous WebAssembly.compile and posted as
// WebAssembly.Module objects: Chromium refuses a synchronous compile of a large module
// on the page's main thread.

import { reply, warmUp } from "./build-module.js";

async function loadBinaryen(url) {
  if (url) return (await import(/* @vite-ignore */ url)).default;
  try {
    return (await import("binaryen")).default;
  } catch (bare) {
    const near = new URL("../../../../binaryen/index.js", import.meta.url).href;
    try {
      return (await import(/* @vite-ignore */ near)).default;
    } catch (e) {
      throw new Error(`binaryen not found (bare specifier: ${bare}; ${near}: ${e})`);
    }
  }
}

let loading;
self.onmessage = async ({ data }) => {
  if (data.init) {
    const t0 = performance.now();
    loading = loadBinaryen(data.binaryenUrl).then(warmUp);
    loading.then(
      () => self.postMessage({ loaded: performance.now() - t0 }),
      (e) => self.postMessage({ failed: String((e && e.stack) || e) }),
    );
    return;
  }
  const { id, recipe } = data;
  let B;
  try {
    B = await loading;
  } catch (e) {
    self.postMessage({ id, error: "binaryen failed to load: " + String(e) });
    return;
  }
  const msg = reply(B, id, recipe);
  if (msg.bytes) {
    try {
      msg.module = await WebAssembly.compile(msg.bytes);
    } catch (e) {
      self.postMessage({ id, error: "WebAssembly.compile refused the module (a content-security policy without 'wasm-unsafe-eval'?): " + String(e) });
      return;
    }
  }
  self.postMessage(msg);
};
