// The command line of `npm run properties:deep` (deep.ts), apart so a test can check it
// without starting the run.

/** `--runs N` and `--seed N` (also `--runs=N`), over the RUNS and SEED environment variables; anything else is refused. */
export function parseFlags(argv: readonly string[]): { runs?: number; seed?: number } {
  const out: { runs?: number; seed?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(runs|seed)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new Error(`unknown argument ${JSON.stringify(argv[i])}; usage: npm run properties:deep -- [--runs N] [--seed N]`);
    const raw = m[2] ?? argv[++i];
    const n = Number(raw);
    if (raw === undefined || raw === "" || !Number.isInteger(n) || (m[1] === "runs" && n < 1)) throw new Error(`--${m[1]} needs ${m[1] === "runs" ? "a positive" : "an"} integer, got ${JSON.stringify(raw ?? null)}`);
    out[m[1] as "runs" | "seed"] = n;
  }
  return out;
}

