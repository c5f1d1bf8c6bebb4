// tierjit in a real browser (headless Chromium): every tier in a page, through native
// ES modules with an import map and through an esbuild bundle, with the same bits as
// Node for the same program and seed; and under a Content-Security-Policy without
// 'unsafe-eval', tier 1 refused with an inspect() event while programs still run (in
// the interpreter, and in wasm where 'wasm-unsafe-eval' is allowed). Needs dist/
// built (npm test builds it; `npm run test:browser` too).

import { rmSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tj from "../../index.js";
import { serve } from "../../scripts/serve.mjs";
import { runIn, runUnderPolicy } from "./programs.js";
import { CHROMIUM, launch } from "./chromium.js";

type Result = Awaited<ReturnType<typeof runIn>>;
type PolicyResult = Awaited<ReturnType<typeof runUnderPolicy>>;
const PROGRAMS = ["gelu", "noisyLoop", "logreg"] as const;
const TIERS = ["interpreter", "js", "wasm", "wasm-pinned"] as const;

async function bundle(): Promise<void> {
  const esbuild = await import("esbuild");
  const dir = new URL("./.bundle/", import.meta.url).pathname;
  rmSync(dir, { recursive: true, force: true });
  const r = await esbuild.build({
    entryPoints: { suite: new URL("./suite.js", import.meta.url).pathname, "browser-worker": new URL("../../dist/tiers/wasm/browser-worker.js", import.meta.url).pathname },
    bundle: true, platform: "browser", format: "esm", outdir: dir, logLevel: "silent",
    alias: { tierjit: new URL("../../dist/browser.js", import.meta.url).pathname },
    // binaryen's own `import("node:module")`, behind its Node check, is never reached in a browser.
    external: ["node:module"],
  });
  if (r.warnings.length) throw new Error(`esbuild warnings: ${JSON.stringify(r.warnings)}`);
}

describe.skipIf(!CHROMIUM)("in headless Chromium", () => {
  let browser: BrowserContext;
  let close: () => Promise<void>;
  const servers: { url: string; close: () => Promise<void> }[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    await bundle();
    ({ browser, close } = await launch());
  }, 120_000);
  afterAll(async () => {
    await close?.();
    for (const s of servers) await s.close();
  });

  /** Opens a page on a server of its own (each CSP gets its own server: the header is on every response, workers' too). */
  async function open(path: string, csp?: string): Promise<Page> {
    const server = await serve(csp ? { csp } : {});
    servers.push(server);
    const page = await browser.newPage();
    page.on("console", (m) => {
      // binaryen's own report of the refused wasm compile is the expected outcome under a policy without 'wasm-unsafe-eval'.
      const expected = csp && !csp.includes("wasm-unsafe-eval") && /Content Security policy/i.test(m.text());
      if (m.type() === "error" && !expected) errors.push(`${path}${csp ? ` (CSP ${csp})` : ""}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(`${server.url}${path}`);
    await page.waitForFunction(() => (globalThis as unknown as { suiteReady?: boolean }).suiteReady === true, null, { timeout: 60_000 });
    return page;
  }

  describe.each([
    ["native ES modules with an import map", "/test/browser/index.html"],
    ["an esbuild bundle", "/test/browser/bundled.html"],
  ])("through %s", (_how, path) => {
    let page: Page;
    beforeAll(async () => {
      page = await open(path);
    }, 120_000);

    it.each(PROGRAMS)("%s: every tier gives Node's bits", async (name) => {
      const inPage: Result[] = [];
      for (const tier of TIERS) {
        inPage.push(await page.evaluate(([n, t]) => (globalThis as any).tierjitSuite.runIn(n, t), [name, tier] as const));
      }
      const inNode = [];
      for (const tier of TIERS) inNode.push(await runIn(tj, name, tier));
      for (const [k, tier] of TIERS.entries()) {
        const want = tier === "wasm-pinned" ? "wasm" : tier;
        expect(inPage[k]!.ran, `${name} in the page reached ${inPage[k]!.ran}: ${inPage[k]!.events.join("; ")}`).toBe(want);
        expect(inNode[k]!.ran).toBe(want);
      }
      // One digest for all eight runs: three tiers (tier 2 promoted and pinned), two platforms.
      const digests = [...inPage, ...inNode].map((r) => r.digest);
      expect(new Set(digests).size, JSON.stringify(digests)).toBe(1);
      const wasm = inPage[2]!;
      expect(wasm.hasListings).toEqual({ ir: true, bytecode: true, js: true, wat: true });
      expect(wasm.events.some((e: string) => /^js->wasm: .*compiled in the background/.test(e)), wasm.events.join("\n")).toBe(true);
      // Pinned to wasm in a page: the interpreter until the module arrives, with both steps as events.
      expect(inPage[3]!.events.some((e: string) => /^wasm->interpreter: wasm unavailable: .*cannot wait/.test(e)), inPage[3]!.events.join("\n")).toBe(true);
      expect(inPage[3]!.events.some((e: string) => /^interpreter->wasm: pinned to wasm; compiled in the background/.test(e)), inPage[3]!.events.join("\n")).toBe(true);
    }, 180_000);
  });

  it("under a CSP without 'unsafe-eval' or 'wasm-unsafe-eval': tier 1 and tier 2 refused with events, the interpreter runs", async () => {
    const page = await open("/test/browser/index.html", "default-src 'self'; script-src 'self' 'nonce-tierjit-test'");
    const r: PolicyResult = await page.evaluate(() => (globalThis as any).tierjitSuite.runUnderPolicy());
    expect(r.evalAllowed).toBe(false);
    expect(r.ran).toBe("interpreter");
    expect(r.events.join("\n")).toMatch(/interpreter->interpreter: js unavailable: tier js: new Function is refused in this environment \(a content-security policy\?\)/);
    expect(r.events.join("\n")).toMatch(/interpreter->interpreter: wasm unavailable: /);
    expect(r.digest).toBe((await runUnderPolicy(tj)).digest);
  }, 120_000);

  it("under a CSP with 'wasm-unsafe-eval' but not 'unsafe-eval': tier 1 refused, the program climbs to tier 2", async () => {
    const page = await open("/test/browser/index.html", "default-src 'self'; script-src 'self' 'nonce-tierjit-test' 'wasm-unsafe-eval'");
    const r: PolicyResult = await page.evaluate(() => (globalThis as any).tierjitSuite.runUnderPolicy());
    expect(r.evalAllowed).toBe(false);
    expect(r.ran, r.events.join("\n")).toBe("wasm");
    expect(r.events.join("\n")).toMatch(/js unavailable: tier js: new Function is refused/);
    expect(r.events.some((e: string) => e.startsWith("interpreter->wasm"))).toBe(true);
    expect(r.digest).toBe((await runUnderPolicy(tj)).digest);
  }, 120_000);

  it("logs no console errors", () => {
    expect(errors).toEqual([]);
  });
});
