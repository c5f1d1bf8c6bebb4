// Autodiff properties on random programs (properties/autodiff.ts, which states the
// checks and their tolerances): in float64, reverse mode against forward mode
// (<J v, u> = <v, Jᵀ u>) and both against central differences; in float32,
// jit(grad(f)) pinned to each tier gives eager grad(f)'s bits. `npm run
// properties:deep` runs both at depth.

import { describe, expect, it } from "vitest";
import { arbAdCase, checkAdModes, checkAdTiers } from "./autodiff.js";
import { assertProperty, budget } from "./runner.js";

describe("autodiff on random programs", () => {
  it("float64: reverse = forward mode, and both match central differences", { timeout: 300_000 }, () => {
    const seen = { checked: 0, fd: 0 };
    assertProperty("reverse vs forward vs finite differences", arbAdCase, (c) => checkAdModes(c, seen), budget(300));
    expect(seen.fd).toBeGreaterThan(200);
  });

  it("float32: jit(grad(f)) in every tier gives eager grad(f)'s bits", { timeout: 300_000 }, () => {
    assertProperty("jit(grad) bits in every tier", arbAdCase, checkAdTiers, budget(40));
  });
});
