import { describe, expect, it } from "vitest";
import { jit } from "../index.js";
import { availableTiers } from "../vm/tiers.js";
import { LifPopulation, textRaster } from "./brain.js";

describe.each([false, true])("LIF population (recurrent: %s)", (recurrent) => {
  const n = recurrent ? 120 : 300;
  const steps = 150;
  const eager = new LifPopulation({ n, recurrent, seed: 5 });
  for (let i = 0; i < steps; i++) eager.step();
  const counts = Array.from(eager.spikeCount.toTypedArray());

  it("spikes", () => expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(n / 10));

  it.each(availableTiers())("the whole simulation as one jitted loop in tier %s gives identical spikes and state", (tier) => {
    const m = new LifPopulation({ n, recurrent, seed: 5 });
    const run = jit((k: number) => m.run(k), { tier, staticArgnums: [0] });
    run(steps);
    if (tier === "wasm") {
      // Really in wasm, loop and all (no fallback to the interpreter for the control flow).
      const sig = run.inspect().signatures[0]!;
      expect(sig.tier).toBe("wasm");
      expect(sig.wat).toContain("(loop");
    }
    expect(Array.from(m.spikeCount.toTypedArray())).toEqual(counts);
    expect(Array.from(m.V.toTypedArray())).toEqual(Array.from(eager.V.toTypedArray()));
  });

  it("a jitted step in a JS loop (promoting through the tiers) gives identical spikes", () => {
    const m = new LifPopulation({ n, recurrent, seed: 5 });
    const step = jit(() => {
      m.step();
    });
    for (let i = 0; i < steps; i++) step();
    expect(Array.from(m.spikeCount.toTypedArray())).toEqual(counts);
  });
});

it("the raster shows who spiked when", () => {
  const m = new LifPopulation({ n: 8, seed: 1 });
  const spikes = jit((k: number) => m.raster(k), { tier: "interpreter", staticArgnums: [0] })(200);
  expect(spikes.shape).toEqual([200, 8]);
  expect(spikes.dtype).toBe("bool");
  const text = textRaster(spikes, 8, 10);
  expect(text.split("\n")).toHaveLength(8);
  expect(text).toMatch(/[·•]/);
});
