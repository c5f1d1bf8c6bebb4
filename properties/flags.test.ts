// issue 14: `npm run properties:deep -- --runs 10000` silently ignored the flag and ran 100,000.
import { expect, it } from "vitest";
import { parseFlags } from "./flags.js";

it("properties:deep takes --runs and --seed and refuses anything else", () => {
  expect(parseFlags(["--runs", "10000"])).toEqual({ runs: 10000 });
  expect(parseFlags(["--seed=7", "--runs=3"])).toEqual({ seed: 7, runs: 3 });
  expect(parseFlags([])).toEqual({});
  expect(() => parseFlags(["--run", "5"])).toThrow('unknown argument "--run"; usage: npm run properties:deep -- [--runs N] [--seed N]');
  expect(() => parseFlags(["10000"])).toThrow(/unknown argument "10000"/);
  expect(() => parseFlags(["--runs"])).toThrow("--runs needs a positive integer, got null");
  expect(() => parseFlags(["--runs", "0"])).toThrow(/positive integer/);
  expect(() => parseFlags(["--seed", "x"])).toThrow('--seed needs an integer, got "x"');
});
