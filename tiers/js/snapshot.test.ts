// Snapshots of the JS tier 1 generates for the seed workloads (gelu and the
// logistic-regression step), so that a change to fusion or codegen shows its diff.
// Compile times are masked: they are the only part that varies between runs.

import { expect, it } from "vitest";
import { np } from "../../index.js";
import { LogisticRegression, gelu, regressionData } from "../../perf/workloads.js";
import { compileJs, resetKernelCache } from "./index.js";
import { traceProgram } from "../../testing/programs.js";

const stable = (s: string) => s.replace(/compiled in [\d.]+ ms/g, "compiled in <t> ms");

it("gelu", () => {
  resetKernelCache();
  const { program } = traceProgram(gelu, [np.ones([100_000])]);
  expect(stable(compileJs(program).describe())).toMatchSnapshot();
});

it("logistic-regression step", () => {
  resetKernelCache();
  const { X, Y } = regressionData(200, 10, 1);
  const model = new LogisticRegression(X, Y);
  const { program } = traceProgram(() => model.call(), []);
  expect(stable(compileJs(program).describe())).toMatchSnapshot();
});
