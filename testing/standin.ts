// A stand-in tier for tests of the tier machinery: the interpreter registered under
// another tier's name, offering on-stack replacement as that tier. It lets a test
// exercise promotion and OSR mechanics apart from any real compiled tier.

import type { Tier, TierName } from "../tiers/tier.js";
import { interpreterTier } from "../tiers/interpreter/index.js";

export function standInTier(name: TierName): Tier {
  return {
    name,
    compile(program, profile, hooks = {}) {
      const osr = hooks.osr;
      const inner = interpreterTier.compile(program, profile, osr ? { osr: { ...osr, compile: (c, it, _from, predicted) => osr.compile(c, it, name, predicted) } } : {});
      return { tier: name, run: (i, d, n) => inner.run(i, d, n), describe: () => inner.describe() };
    },
  };
}
