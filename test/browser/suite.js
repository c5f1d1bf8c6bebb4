// The page side of the browser suite: exposes the programs to the test driver
// (test/browser/browser.test.ts), which calls window.tierjitSuite through Playwright.
// Each entry first yields to a task of the page's own: code running synchronously
// inside a DevTools evaluation may eval strings even under a CSP that forbids it (the
// protocol's allowUnsafeEvalBlockedByCSP defaults to true), which let tier 1 compile
// in a CSP page until the first await.
import * as tj from "tierjit";
import { runIn, runUnderPolicy } from "./programs.js";

const ownTask = () => new Promise((r) => setTimeout(r, 0));
window.tierjitSuite = {
  runIn: async (name, tier) => (await ownTask(), runIn(tj, name, tier)),
  runUnderPolicy: async () => (await ownTask(), runUnderPolicy(tj)),
};
window.suiteReady = true;
