// Launching Debian's system Chromium through playwright-core (no browser download:
// only the npm and Debian registries are reachable). TIERJIT_CHROMIUM overrides the
// path; when no Chromium is found the browser suites skip and say so.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = [process.env.TIERJIT_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));

if (!CHROMIUM) {
  console.warn("\n[tierjit] browser tests SKIPPED: no Chromium found at /usr/bin/chromium (apt-get install -y chromium, or set TIERJIT_CHROMIUM)\n");
}

/** A headless Chromium with a fresh profile (its --user-data-dir); `close()` removes the profile too. */
export async function launch(): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "tierjit-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM!,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
