// The CUBA network (perf/cuba.ts) on a small scale: the jitted forLoop gives identical
// spikes and state eagerly and in every tier; the take + segmentSum formulation adds
// the same terms in the same order as np.sparse.csr's rmatvec, so it matches bit for
// bit too; and the plain-JS anchor fires at about the same mean rate.

import { describe, expect, it } from "vitest";
import { jit } from "../index.js";
import { availableTiers } from "../vm/tiers.js";
import { CubaNetwork, cubaConnectivity, cubaJs } from "./cuba.js";

const c = cubaConnectivity(500, 0.05, 3);
const steps = 300;
const eager = new CubaNetwork(c, "csr");
for (let i = 0; i < steps; i++) eager.step();
const counts = Array.from(eager.spikeCount.toTypedArray());
const v = Array.from(eager.v.toTypedArray());

describe("CUBA network", () => {
  it("spikes", () => expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(c.n / 4));

  it.each(availableTiers())("as one jitted forLoop in tier %s: identical spikes and state", (tier) => {
    const net = new CubaNetwork(c, "csr");
    const run = jit((k: number) => net.run(k), { tier, staticArgnums: [0] });
    run(steps);
    expect(run.inspect().signatures[0]!.tier).toBe(tier);
    expect(Array.from(net.spikeCount.toTypedArray())).toEqual(counts);
    expect(Array.from(net.v.toTypedArray())).toEqual(v);
  });

  it("take + segmentSum sums the same terms in the same order (tier 2)", () => {
    const net = new CubaNetwork(c, "segment");
    jit((k: number) => net.run(k), { tier: "wasm", staticArgnums: [0] })(steps);
    expect(Array.from(net.spikeCount.toTypedArray())).toEqual(counts);
  });

  it("the plain-JS loop fires at about the same mean rate", () => {
    const js = cubaJs(c, steps).reduce((a, b) => a + b, 0);
    const tj = counts.reduce((a, b) => a + b, 0);
    expect(Math.abs(js - tj) / tj).toBeLessThan(0.1);
  });
});
