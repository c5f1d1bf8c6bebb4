// The default stream (its own file: no draw may come before the first one here) is
// seed(0)'s, and seed 0 does not start at the hash's fixed point: with key 0, counter
// 0 hashes to 0, which made the first uniform exactly 0 and the first normal pair (0, 0).

import { expect, it } from "vitest";
import { np } from "../index.js";

it("the unseeded stream is seed(0)'s, and neither starts with zeros", () => {
  const first = [...np.random.normal([4]).toArray(), ...np.random.random([2]).toArray()];
  np.random.seed(0);
  expect([...np.random.normal([4]).toArray(), ...np.random.random([2]).toArray()]).toEqual(first);
  expect(first.every((v: number) => v !== 0)).toBe(true);
});

it("seeds differing only in their high 32 bits give different streams", () => {
  const draws = (s: number) => (np.random.seed(s), np.random.random([4]).toArray());
  expect(draws(1)).not.toEqual(draws(2 ** 32));
  expect(draws(-1)).not.toEqual(draws(2 ** 32 - 1));
  expect(() => np.random.seed(2 ** 60)).toThrow("np.random.seed: seed must be a safe integer, got 1152921504606847000");
});
