import { defineConfig } from "vitest/config";

export default defineConfig({
  // Oxc lowers only legacy decorators; `@jitMethod()` supports both forms (tsc emits the standard one).
  oxc: { decorator: { legacy: true } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**"],
    testTimeout: 60_000,
  },
});
