// The package as a user installs it (test/pack.mjs: npm pack, install into a temp
// project, then Node ESM, a strict TypeScript consumer without @types/node, and an
// esbuild browser bundle without warnings).

import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";

it("installs from its tarball and works from Node ESM, strict TypeScript and an esbuild browser bundle", () => {
  const out = execFileSync("node", ["test/pack.mjs"], { encoding: "utf8", timeout: 240_000 });
  const checks = out.trim().split("\n").map((l) => JSON.parse(l) as { check: string; tier?: string; warnings?: number });
  expect(checks.map((c) => c.check)).toEqual(["tarball", "node-esm", "typescript", "typescript", "esbuild"]);
  expect(checks[1]!.tier).toBe("wasm");
  expect(checks[4]!.warnings).toBe(0);
}, 300_000);
