// View forwarding (views.ts): what it removes, and that every tier still gives eager's bits.

import { describe, expect, it } from "vitest";
import { np, type NDArray } from "../../index.js";
import { traceProgram } from "../../testing/programs.js";
import { everywhere } from "../../testing/tiers.js";

const ops = (f: (...a: NDArray[]) => NDArray, ...args: NDArray[]) => traceProgram(f, args).program.body.map((i) => i.op);

describe("views pass", () => {
  const x = np.arange(40, "float32");
  const rows = (v: NDArray) => np.stack([v.slice([0, 10]), v.slice([5, 15]), v.slice([30, 40])]);

  it("rows of a stack read their windows where they live: the stacked copy is gone", () => {
    const f = (v: NDArray) => rows(v).slice(0).add(rows(v).slice(2).mul(2)).add(rows(v).slice(-2));
    expect(ops(f, x)).not.toContain("concat");
    expect(everywhere(f, x).values).toEqual(Array.from({ length: 10 }, (_, i) => i + 2 * (30 + i) + (5 + i)));
  });

  it("a slice straddling two operands keeps the concat; slices of slices compose, negative steps too", () => {
    const cat = (v: NDArray) => np.concatenate([v.slice([0, 4]), v.slice([20, 26])]);
    // cat = [0, 1, 2, 3, 20, ..., 25]: [2:5] straddles both operands; v[::-2] = [39, 37, ...], then [1:6:2] = [37, 33, 29]
    const f = (v: NDArray) => cat(v).slice([2, 5]).add(v.slice([null, null, -2]).slice([1, 6, 2]));
    expect(ops(f, x).filter((o) => o === "slice").length).toBe(4); // the concat's two operands, the straddling slice, one composed slice (v[37::-4])
    expect(ops(f, x)).toContain("concat");
    expect(everywhere(f, x).values).toEqual([2 + 37, 3 + 33, 20 + 29]);
  });

  it("an identity slice or reshape that is an output stays an instruction", () => {
    const f = (v: NDArray) => v.slice([]);
    expect(everywhere(f, x).values).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const g = (v: NDArray) => v.reshape(4, 10).reshape(40);
    expect(ops(g, x)).toEqual(["reshape"]);
    expect(everywhere(g, x).values).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
