// The compile worker in Node (a worker thread started by host-node.ts with no
// execArgv, so no TypeScript loader re-transforms binaryen). Replies go to a
// MessagePort the main thread drains with receiveMessageOnPort, and every reply bumps
// a shared counter the main thread can Atomics.wait on: no event-loop turn needed.

import { workerData } from "node:worker_threads";
import { reply, warmUp } from "./build-module.js";

const { port, flag } = workerData;
const t0 = performance.now();

function post(msg) {
  port.postMessage(msg);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}

const loading = import("binaryen").then((m) => {
  const B = warmUp(m.default);
  post({ loaded: performance.now() - t0 });
  return B;
});
loading.catch((e) => post({ failed: String((e && e.stack) || e) }));

port.on("message", async ({ id, recipe }) => {
  let B;
  try {
    B = await loading;
  } catch (e) {
    post({ id, error: "binaryen failed to load: " + String(e) });
    return;
  }
  post(reply(B, id, recipe));
});
