import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // Tests are server code: "server-only" is satisfied (Next resolves it the same way for server bundles).
    alias: { "server-only": fileURLToPath(new URL("./tests/setup/server-only.ts", import.meta.url)) },
  },
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/setup/global.ts"],
    setupFiles: ["tests/setup/env.ts"],
    // Integration tests share one test database and real services.
    fileParallelism: false,
    testTimeout: 30_000,
    // next-auth imports "next/server" without an extension; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    hookTimeout: 60_000,
  },
});
