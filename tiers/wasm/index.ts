// Tier 2: WebAssembly SIMD. `compileAsync` lowers the program on the calling thread
// (about a millisecond), sends the recipe to the binaryen worker (service.ts) and
// returns a handle the runtime polls at call time; `compile` is the same and waits
// (used when a signature is pinned to tier 2, and for on-stack replacement: a loop's
// continuation program compiled mid-call; tier 2 is the last tier, so it offers no
// OSR itself and ignores the hooks). The module is instantiated on the
// calling thread with the synchronous WebAssembly API once its bytes arrive.

import { TierUnavailableError } from "../../ir/errors.js";
import type { Program } from "../../ir/program.js";
import type { Executable, PendingCompile, ProfileView, Tier } from "../tier.js";
import { WasmExecutable } from "./executable.js";
import { lowerProgram } from "./lower.js";
import { matchOnePass } from "./onepass.js";
import { fuse, printFused } from "../../ir/fusion.js";
import { binaryenLoadMs, canWaitForModules, requestModule, startService } from "./service.js";

/** How long a blocking compile may take before the tier reports itself unavailable (binaryen load included). */
const WAIT_LIMIT_MS = 60_000;

export function compileWasmAsync(program: Program, options: { optimize?: boolean; exact?: boolean } = {}): PendingCompile {
  const t0 = performance.now();
  const plan = lowerProgram(program, options);
  const lowerMs = performance.now() - t0;
  const pending = requestModule(plan.recipe);
  let exec: WasmExecutable | undefined;
  const finish = (m: ReturnType<typeof pending.poll>): WasmExecutable | undefined => {
    if (!m) return undefined;
    const t1 = performance.now();
    const e = new WasmExecutable(plan, m);
    exec = e;
    handle.compileMs = lowerMs + m.buildMs + (performance.now() - t1);
    return e;
  };
  const handle = {
    compileMs: NaN,
    poll: (): Executable | undefined => exec ?? finish(pending.poll()),
    wait: (ms: number): Executable | undefined => exec ?? finish(pending.wait(ms)),
    cancel: (): void => pending.cancel(),
  };
  return handle;
}

export const wasmTier: Tier = {
  name: "wasm",
  compile(program: Program, profile: ProfileView): Executable {
    if (!canWaitForModules()) throw new TierUnavailableError("wasm tier: this thread cannot wait for a module to be built (a page's main thread); it arrives in the background");
    const e = compileWasmAsync(program, { exact: profile.exact }).wait(WAIT_LIMIT_MS);
    if (!e) throw new TierUnavailableError(`wasm tier: the module was not ready after ${WAIT_LIMIT_MS} ms (binaryen did not load?)`);
    return e;
  },
  compileAsync(program: Program, profile: ProfileView): PendingCompile {
    return compileWasmAsync(program, { exact: profile.exact });
  },
  kernels(program: Program): string {
    const fp = fuse(program);
    const merged = fp.kernels.flatMap((_, i) => (matchOnePass(program, fp.kernels, i) ? [`one pass: kernels ${i} and ${i + 1} run as one loop over their shared matrix (onepass.ts)`] : []));
    return [printFused(fp), ...merged].join("\n");
  },
  warm(): boolean {
    startService();
    return binaryenLoadMs() !== undefined;
  },
};

export { serviceStarted, binaryenLoadMs } from "./service.js";
