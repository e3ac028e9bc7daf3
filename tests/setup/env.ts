import { readStackEnv } from "./stack-env";

// Tests run against the test database, never the development one.
const stack = readStackEnv();
const testDb = process.env.TEST_DATABASE_URL ?? stack.TEST_DATABASE_URL;
if (!testDb) throw new Error("TEST_DATABASE_URL is not set: run `npm run stack -- up` (npm test does it for you).");
process.env.DATABASE_URL = testDb;
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
process.env.LOGIN_FAILURES_BEFORE_DELAY ??= "3";
process.env.LOGIN_MAX_FAILURES_PER_ADDRESS ??= "1000";
