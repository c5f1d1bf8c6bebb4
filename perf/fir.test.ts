// The FIR filter forms (perf/fir.ts): slices and pad + stack give the same bits eagerly
// and in every tier (the same taps in the same order), within float32 rounding of the
// JS double loop; pad + stack keeps no stacked copy (views pass).

import { describe, expect, it } from "vitest";
import { np } from "../index.js";
import { traceProgram } from "../testing/programs.js";
import { everywhere } from "../testing/tiers.js";
import { firJs, firSlices, firStack, firTaps } from "./fir.js";

describe("FIR filter", () => {
  const h = firTaps(31);
  np.random.seed(4);
  const x = np.random.normal([200]);
  it("slices and pad + stack agree bit for bit everywhere, and with the JS loop to float32 rounding", () => {
    const a = everywhere((v) => firSlices(v, h), x);
    const b = everywhere((v) => firStack(v, h), x);
    expect(b.values).toEqual(a.values);
    const y = new Float32Array(200);
    firJs(x.toTypedArray() as Float32Array, h, y);
    a.values.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThan(1e-5));
  });
  it("pad + stack reads each window in place: no concat but the pad's", () => {
    const ops = traceProgram((v) => firStack(v, h), [x]).program.body.map((i) => i.op);
    expect(ops.filter((o) => o === "concat")).toHaveLength(1);
  });
});
