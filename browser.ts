// tierjit's entry point for browsers and bundlers (package.json "exports", conditions
// "browser" and "default"): the public API (api.ts) with tier 2's compile worker in a
// Web Worker. Nothing reachable from here imports a Node built-in.

import "./tiers/wasm/host-browser.js";

export * from "./api.js";
export { configureWasmWorker } from "./tiers/wasm/host-browser.js";
