// Installs tierjit the way a user does and uses it three ways: `npm pack` of the built
// dist/ (`--ignore-scripts`: `npm test` builds once before every suite, and a second
// build here would rewrite dist/ under the browser suite), `npm install` of the tarball into a fresh temporary project,
// then (1) `import` from plain Node ESM, reaching tier 2; (2) a TypeScript consumer
// typechecked under `strict` with no @types/node and no DOM lib; (3) an esbuild bundle
// for the browser, which must raise no warning (none about Node built-ins above all)
// and name no `node:` module. Also checks what the tarball holds. Prints one JSON line
// per check; exits non-zero on the first failure. Run: `npm run build && node test/pack.mjs`.

import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const report = (check, data) => console.log(JSON.stringify({ check, ...data }));

const work = mkdtempSync(join(tmpdir(), "tierjit-pack-"));
try {
  // The tarball: what it holds.
  const [packed] = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], root));
  const files = packed.files.map((f) => f.path);
  const unwanted = files.filter((f) => /(^|\/)(perf|properties|testing|test)\/|\.test\.|\.map$|^(ir|vm|tiers)\/|\.ts$(?<!\.d\.ts)/.test(f));
  for (const need of ["dist/index.js", "dist/index.d.ts", "dist/browser.js", "dist/tiers/wasm/browser-worker.js", "dist/tiers/wasm/node-worker.js", "README.md", "LICENSE", "package.json"]) {
    if (!files.includes(need)) throw new Error(`the tarball lacks ${need}`);
  }
  if (unwanted.length) throw new Error(`the tarball ships files users do not need: ${unwanted.slice(0, 10).join(", ")}`);
  report("tarball", { file: packed.filename, files: files.length, bytes: packed.size });

  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, packed.filename)], app);

  // (1) Plain Node ESM, up to tier 2.
  writeFileSync(join(app, "main.mjs"), `
import { jit, np } from "tierjit";
const f = jit((x) => x.mul(x).add(1), { name: "sq" });
const x = np.arange(1000);
let r;
// No call waits for binaryen: a loop reaches tier 2 once the worker's module lands.
const end = performance.now() + 30000;
while (f.inspect().tier !== "wasm" && performance.now() < end) r = f(x);
r = f(x);
console.log(JSON.stringify({ tier: f.inspect().tier, last: r.toArray()[999] }));
`);
  const node = JSON.parse(run("node", ["main.mjs"], app).trim().split("\n").pop());
  if (node.tier !== "wasm" || node.last !== 999 * 999 + 1) throw new Error(`node ESM: ${JSON.stringify(node)}`);
  report("node-esm", node);

  // (2) TypeScript consumer: strict, no @types/node (none installed; types: []), no DOM lib, lib checks on.
  writeFileSync(join(app, "use.ts"), `
import { jit, np, Module, Variable, type NDArray, type InspectReport, TierjitError } from "tierjit";
class Counter extends Module {
  n = new Variable(np.zeros([3]));
  call(): void { this.n.value = this.n.add(1); }
}
const step = jit(new Counter());
step();
const gelu = jit((x: NDArray): NDArray => x.mul(0.5).mul(np.tanh(x.mul(0.79788456)).add(1)));
const y: NDArray = gelu(np.linspace(-3, 3, 7));
const report: InspectReport = gelu.inspect();
const tier: string = report.tier;
const e: Error = new TierjitError("x");
export { y, tier, e };
`);
  for (const [name, options] of [
    ["nodenext", { module: "nodenext", moduleResolution: "nodenext" }],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }],
  ]) {
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
      compilerOptions: { ...options, target: "es2022", lib: ["es2022"], types: [], strict: true, noEmit: true, skipLibCheck: false },
      files: ["use.ts"],
    }));
    try {
      run(bin("tsc"), ["-p", "tsconfig.json"], app);
    } catch (e) {
      throw new Error(`TypeScript consumer (${name}) failed to typecheck:\n${e.stdout}${e.stderr}`);
    }
    report("typescript", { resolution: name, strict: true, typesNode: false });
  }

  // (3) esbuild bundle for the browser: the page's code, and the compile worker as a second entry.
  const esbuild = await import(join(root, "node_modules", "esbuild", "lib", "main.js"));
  writeFileSync(join(app, "page.js"), `import { jit, np } from "tierjit";\nconsole.log(jit((x) => x.add(1))(np.ones([4])).toArray());\n`);
  const page = await esbuild.build({
    absWorkingDir: app, entryPoints: ["page.js"], bundle: true, platform: "browser", format: "esm",
    outdir: "out", write: true, logLevel: "silent", metafile: true,
  });
  const warnings = page.warnings.map((w) => w.text);
  if (page.errors.length || warnings.length) throw new Error(`esbuild (page): ${JSON.stringify([...page.errors, ...page.warnings])}`);
  const inputs = Object.keys(page.metafile.inputs);
  const out = readFileSync(join(app, "out", "page.js"), "utf8");
  if (/["']node:/.test(out) || inputs.some((i) => /node-worker|host-node|binaryen/.test(i))) throw new Error(`the browser bundle reaches Node code: ${inputs.filter((i) => /node|binaryen/.test(i))}`);
  // The compile worker, as the README tells esbuild users to build it (binaryen's guarded `import("node:module")` external).
  const worker = await esbuild.build({
    absWorkingDir: app, entryPoints: ["node_modules/tierjit/dist/tiers/wasm/browser-worker.js"], entryNames: "[name]", bundle: true,
    platform: "browser", format: "esm", outdir: "out", write: true, logLevel: "silent", external: ["node:module"],
  });
  if (worker.errors.length || worker.warnings.length) throw new Error(`esbuild (worker): ${JSON.stringify([...worker.errors, ...worker.warnings])}`);
  const workerBytes = readFileSync(join(app, "out", "browser-worker.js")).length;
  report("esbuild", { warnings: 0, inputs: inputs.length, bytes: out.length, workerBytes });
} finally {
  rmSync(work, { recursive: true, force: true });
}
