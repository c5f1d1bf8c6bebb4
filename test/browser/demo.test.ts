// The demo page (npm run demo:web) in headless Chromium: it loads without console
// errors, the simulation reaches tier 2, the inspect() panels fill in, and a
// screenshot is saved (test/browser/screenshots/demo.png; its path is printed).

import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../scripts/serve.mjs";
import { CHROMIUM, launch } from "./chromium.js";

describe.skipIf(!CHROMIUM)("the demo page", () => {
  let close: (() => Promise<void>) | undefined;
  let server: { url: string; close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    server = await serve();
  });
  afterAll(async () => {
    await close?.();
    await server?.close();
  });

  it("runs the network up to tier 2 with its inspect() panels, without console errors", async () => {
    const chromium = await launch();
    close = chromium.close;
    const page = await chromium.browser.newPage();
    await page.setViewportSize({ width: 1360, height: 1000 });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server!.url}/demo/`);
    await page.waitForFunction(() => (globalThis as any).demoState?.tier === "wasm", null, { timeout: 90_000 });
    await page.waitForTimeout(1500); // a second and a half of tier-2 steps on the plots
    const state = await page.evaluate(() => (globalThis as any).demoState);
    const panels = await page.evaluate(() =>
      Object.fromEntries(["events", "ir", "bytecode", "js", "wat"].map((id) => [id, (globalThis as any).document.getElementById(id).textContent ?? ""])));
    mkdirSync(new URL("./screenshots/", import.meta.url), { recursive: true });
    const shot = new URL("./screenshots/demo.png", import.meta.url).pathname;
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`demo page screenshot: ${shot} (tier 2 from call ${state.firstCallIn.wasm}, ${state.calls} calls)`);
    expect(errors).toEqual([]);
    expect(state.firstCallIn.interpreter).toBe(1);
    expect(state.firstCallIn.js).toBeLessThan(state.firstCallIn.wasm);
    expect(panels.events).toMatch(/js -> wasm/);
    expect(panels.ir).toMatch(/^program\(/);
    expect(panels.bytecode.length).toBeGreaterThan(0);
    expect(panels.js).toMatch(/"use strict";/);
    expect(panels.wat).toMatch(/^\(module/);
  }, 150_000);
});
