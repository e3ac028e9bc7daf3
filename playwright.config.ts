import { defineConfig } from "@playwright/test";
import { E2E_PORT, e2eEnv } from "./e2e/helpers/server-env";

/**
 * End-to-end: Debian's Chromium drives the standalone server (the same
 * `node server.js` the Docker image runs) against the test database.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/.artifacts/results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  globalSetup: "./e2e/helpers/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
    screenshot: "only-on-failure",
    trace: "off",
  },
  webServer: {
    command: "bash scripts/standalone.sh run",
    url: `http://127.0.0.1:${E2E_PORT}/login`,
    env: e2eEnv(),
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
  },
});
