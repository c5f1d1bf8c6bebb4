// Brain-dynamics benchmark: the LIF population run five ways (eager step loop, a
// jitted step called from a JS loop, the whole simulation as one jitted forLoop,
// unpinned and pinned to tier 2, and the forLoop called again once compiled),
// measured side by side, with the spike counts compared across modes.

import { jit, type Variable } from "../index.js";
import { rngState } from "../vm/random.js";
import { fmtMs, median } from "./harness.js";
import { LifPopulation } from "./brain.js";

interface Mode {
  name: string;
  /**
   * Prepares a fresh population (built outside the timed region: the recurrent weights
   * alone take ~40 ms eagerly) and returns the timed run of `steps` steps.
   */
  prepare: (m: LifPopulation, steps: number) => () => void;
}

/** Runs `f` untimed, then puts the population's state and the random stream back. */
function warmedUp(m: LifPopulation, f: () => void): void {
  const vars: Variable[] = [m.V, m.tLast, m.spikeCount, m.g, m.t, rngState()];
  const saved = vars.map((v) => v.value);
  f();
  vars.forEach((v, k) => (v.value = saved[k]!));
}

function modes(): Mode[] {
  return [
    { name: "eager step loop", prepare: (m, steps) => () => { for (let i = 0; i < steps; i++) m.step(); } },
    { name: "jit(step) in a JS loop", prepare: (m, steps) => () => { const step = jit(() => { m.step(); }); for (let i = 0; i < steps; i++) step(); } },
    { name: "jit(forLoop over steps)", prepare: (m, steps) => () => { jit((k: number) => m.run(k), { staticArgnums: [0] })(steps); } },
    { name: "jit(forLoop), tier wasm", prepare: (m, steps) => () => { jit((k: number) => m.run(k), { tier: "wasm", staticArgnums: [0] })(steps); } },
    {
      name: "jit(forLoop), called again",
      prepare: (m, steps) => {
        const sim = jit((k: number) => m.run(k), { staticArgnums: [0] });
        warmedUp(m, () => sim(steps));
        return () => sim(steps);
      },
    },
  ];
}

/**
 * Fresh runs per mode. Five, not three: in a fresh process the first round can
 * overlap binaryen's one-time load (started by the jitted step at its 30th call), so
 * with three rounds one slow warm round decided the median.
 */
const ROUNDS = 5;

export function brainBench(): void {
  for (const [n, recurrent, steps] of [[4000, false, 1000], [1000, true, 1000]] as const) {
    const ms = modes();
    const times = ms.map(() => [] as number[]);
    const counts = ms.map(() => "");
    for (let round = 0; round < ROUNDS; round++) {
      ms.forEach((m, k) => {
        const pop = new LifPopulation({ n, recurrent, seed: 1 });
        const run = m.prepare(pop, steps);
        const t0 = performance.now();
        run();
        times[k]!.push(performance.now() - t0);
        counts[k] = pop.spikeCount.toTypedArray().join(",");
      });
    }
    const base = median(times[0]!);
    console.log(`LIF population, ${n} neurons${recurrent ? `, recurrent ${n}x${n} weights` : ""}, ${steps} steps (median of ${ROUNDS} fresh runs, compile included except in "called again", building the population not)`);
    ms.forEach((m, k) => console.log(`  ${m.name.padEnd(26)} ${fmtMs(median(times[k]!)).padStart(10)}  ${(base / median(times[k]!)).toFixed(2).padStart(7)}x vs eager`));
    const same = counts.every((c) => c === counts[0]);
    const total = counts[0]!.split(",").reduce((a, b) => a + Number(b), 0);
    console.log(`  spike counts identical across modes: ${same ? "yes" : "NO"} (${total} spikes)\n`);
  }
}
