// Runs a property with fast-check and, on failure, throws one error that carries
// everything needed to understand and replay it: the property's own report for the
// shrunk case (program, IR, outputs of every tier), the counterexample, and the seed
// and path to replay exactly that case (`SEED=... PROPERTIES_PATH=... npx vitest run
// <test file>`). fast-check 4 keeps the property's error only as `cause`, which test
// runners may not print, hence this wrapper.
//
// Environment: SEED (fast-check seed; CI_SEED when unset, so `npm test` checks the
// same programs on every run and never turns red by chance: new programs are the job
// of `npm run properties:deep`, which picks a random seed), PROPERTIES_PATH (replay
// one shrunk case), PROPERTIES_RUNS (override every property's run count).

import fc from "fast-check";

export interface Budget {
  numRuns: number;
  seed?: number;
  path?: string;
}

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`properties: ${name}=${JSON.stringify(v)} is not an integer`);
  return n;
}

/** The seed of every property in `npm test` unless SEED is set. */
export const CI_SEED = 20_250_617;

/** SEED if set, else CI_SEED. */
export function ciSeed(): number {
  return envInt("SEED") ?? CI_SEED;
}

/** The run count, seed and replay path for a property whose CI budget is `numRuns`. */
export function budget(numRuns: number): Budget {
  const b: Budget = { numRuns: envInt("PROPERTIES_RUNS") ?? numRuns, seed: ciSeed() };
  const path = process.env.PROPERTIES_PATH;
  if (path) b.path = path;
  return b;
}

export class PropertyFailure extends Error {
  override name = "PropertyFailure";
  constructor(
    message: string,
    readonly seed: number,
    readonly path: string,
    readonly counterexample: unknown,
    readonly report: string,
  ) {
    super(message);
  }
}

export interface Passed {
  numRuns: number;
  seed: number;
}

/**
 * Checks `check` on `numRuns` values of `arb`; throws a PropertyFailure with a full
 * report on failure. `minimize`, if given, shrinks fast-check's counterexample further
 * (it receives a predicate telling whether a candidate still fails).
 */
export function assertProperty<T>(name: string, arb: fc.Arbitrary<T>, check: (value: T) => void, b: Budget, minimize?: (value: T, fails: (v: T) => boolean) => T): Passed {
  const params: fc.Parameters<[T]> = { numRuns: b.numRuns };
  if (b.seed !== undefined) params.seed = b.seed;
  if (b.path !== undefined) params.path = b.path;
  const d = fc.check(fc.property(arb, check), params);
  if (!d.failed) {
    if (d.interrupted) throw new Error(`properties: ${name} was interrupted after ${d.numRuns} runs`);
    return { numRuns: d.numRuns, seed: d.seed };
  }
  let value = d.counterexample![0];
  let error: unknown = d.errorInstance;
  let note = "";
  if (minimize) {
    const errorOf = (v: T): unknown => {
      try {
        check(v);
        return undefined;
      } catch (e) {
        return e ?? new Error("threw a nullish value");
      }
    };
    const smaller = minimize(value, (v) => errorOf(v) !== undefined);
    if (smaller !== value) {
      value = smaller;
      error = errorOf(smaller);
      note = " (the replayed case may be longer than this further-minimized one)";
    }
  }
  const report = error instanceof Error ? error.message : String(error);
  const path = d.counterexamplePath ?? "";
  const message =
    `property "${name}" failed after ${d.numRuns} run(s), shrunk ${d.numShrinks} time(s).\n` +
    `Replay${note}: SEED=${d.seed} PROPERTIES_PATH="${path}" npx vitest run <this test file>\n` +
    `Counterexample: ${fc.stringify([value])}\n\n${report}`;
  throw new PropertyFailure(message, d.seed, path, value, report);
}
