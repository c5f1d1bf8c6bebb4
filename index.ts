// tierjit's entry point for Node (package.json "exports", condition "node"): the
// public API (api.ts) with tier 2's compile worker on a worker thread.

import "./tiers/wasm/host-node.js";

export * from "./api.js";
