import path from "node:path";
import { readStackEnv } from "../../tests/setup/stack-env";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

/** The environment of the server under test: the test database, small throttle thresholds. */
export function e2eEnv(): Record<string, string> {
  const stack = readStackEnv();
  const db = process.env.TEST_DATABASE_URL ?? stack.TEST_DATABASE_URL;
  if (!db) throw new Error("TEST_DATABASE_URL is not set: run `npm run stack -- up` first (npm test does it).");
  return {
    NODE_ENV: "production",
    DATABASE_URL: db,
    BERTH_STACK_DIR: path.join(process.cwd(), ".stack"),
    AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-0123",
    LOGIN_FAILURES_BEFORE_DELAY: "3",
    LOGIN_DELAY_BASE_SECONDS: "120",
    LOGIN_MAX_FAILURES_PER_ADDRESS: "1000",
    PORT: String(E2E_PORT),
    HOSTNAME: "127.0.0.1",
  };
}
