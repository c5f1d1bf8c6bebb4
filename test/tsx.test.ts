// `npx tsx some-script.ts` importing tierjit runs and reaches tier 2 without paying
// binaryen's slow import under tsx's transform (the compile worker is a plain JS file
// started with no execArgv, so it loads binaryen as plain JS: host-node.ts). The control is the same loop in plain
// Node from dist/, run right after: binaryen's import under the transform took 9-12 s
// against 0.4-0.6 s plain (ARCHITECTURE.md; 33 s against 2 s on a loaded machine), so
// a ratio says which happened even under load.

import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";

interface Run { tier: string; reachedMs: number; binaryenLoadMs: number; y0?: number }
const last = (out: string): Run => JSON.parse(out.trim().split("\n").pop()!) as Run;

it("a script run with tsx reaches tier 2, binaryen loaded outside the transform", () => {
  const tsx = last(execFileSync("node_modules/.bin/tsx", ["test/tsx-script.ts"], { encoding: "utf8", timeout: 120_000 }));
  const plain = last(execFileSync("node", ["test/plain-script.mjs"], { encoding: "utf8", timeout: 120_000 }));
  console.log(`binaryen load in the compile worker: ${tsx.binaryenLoadMs} ms under tsx, ${plain.binaryenLoadMs} ms in plain Node`);
  expect(tsx.tier).toBe("wasm");
  expect(plain.tier).toBe("wasm");
  expect(tsx.binaryenLoadMs).toBeGreaterThan(0);
  expect(tsx.binaryenLoadMs).toBeLessThan(3 * plain.binaryenLoadMs + 1000);
  expect(tsx.y0).toBeCloseTo(-1.5 * (1 + Math.tanh(-3 * 0.7978846)), 6);
}, 250_000);
