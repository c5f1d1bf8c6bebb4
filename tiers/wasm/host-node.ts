// The compile worker in Node: a worker thread running node-worker.js, a plain JS file,
// so binaryen is imported outside any TypeScript loader the main thread runs under
// (measured on a loaded machine: 33 s for binaryen's import on a tsx main thread, 2 s
// plain; in the worker under tsx 4.23 it loads as fast as plain even with tsx's
// execArgv inherited, and the worker starts with none anyway). Replies
// are drained with `receiveMessageOnPort`, which needs no event-loop turn, and a
// shared counter that the worker bumps on every reply lets `block` Atomics.wait.

import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { setCompileHost, type CompileHost, type Reply } from "./service.js";

function nodeHost(): CompileHost {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL("./node-worker.js", import.meta.url), {
    workerData: { port: port2, flag }, transferList: [port2], execArgv: [],
  });
  worker.unref(); // a pending compile must never keep the user's process alive
  let failure: string | undefined;
  worker.on("error", (e) => {
    failure = String(e);
  });
  /** The worker's reply counter as of the last drain: polling reads one shared int unless something arrived. */
  let seen = 0;
  return {
    post: (id, recipe) => port1.postMessage({ id, recipe }),
    take() {
      const now = Atomics.load(flag, 0);
      if (now === seen) return [];
      seen = now;
      const out: Reply[] = [];
      for (let m; (m = receiveMessageOnPort(port1) as { message: Reply } | undefined); ) out.push(m.message);
      return out;
    },
    block(ms) {
      Atomics.wait(flag, 0, seen, ms);
      return true;
    },
    failure: () => failure,
    canBlock: true,
  };
}

setCompileHost(nodeHost);
