import { defineConfig } from "vitest/config";

export default defineConfig({
  // Oxc lowers only legacy decorators; `@jitMethod()` supports both forms (tsc emits the standard one).
  oxc: { decorator: { legacy: true } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**"],
    // Tests import modules below the package entry: install Node's compile worker as index.ts does.
    setupFiles: ["./tiers/wasm/host-node.ts"],
    testTimeout: 60_000,
  },
});
