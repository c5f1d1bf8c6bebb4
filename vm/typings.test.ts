// The published typings need no @types/node (issue 14: dist/vm/ndarray.d.ts imported
// node:util). A consumer project with only the ES library, no @types at all and full
// library checking typechecks against freshly emitted declarations.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const tsc = join(root, "node_modules", ".bin", "tsc");

it("a TS consumer without @types/node typechecks against the declarations", () => {
  const dir = mkdtempSync(join(tmpdir(), "tierjit-typings-"));
  try {
    const decl = join(dir, "tierjit");
    execFileSync(tsc, ["-p", join(root, "tsconfig.build.json"), "--emitDeclarationOnly", "--outDir", decl], { stdio: "pipe" });
    writeFileSync(join(dir, "consumer.ts"), [
      `import { jit, np, Variable, type NDArray } from "./tierjit/index.js";`,
      `const v = new Variable(np.zeros([3]));`,
      `const f = jit((x: NDArray, k: number) => { v.value = v.add(x.mul(k)); return v.value.sum(); }, { maxSignatures: 8, staticArgnums: [] });`,
      `const s: number = f(np.ones([3]), 0.5).item();`,
      `const tier: string = f.inspect().tier;`,
      `export { s, tier };`,
    ].join("\n"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022"], types: [], strict: true, noEmit: true, skipLibCheck: false },
      files: ["consumer.ts"],
    }));
    let out = "";
    try {
      execFileSync(tsc, ["-p", join(dir, "tsconfig.json")], { stdio: "pipe" });
    } catch (e) {
      out = String((e as { stdout?: Buffer }).stdout ?? e);
    }
    expect(out).toBe("");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
