import { PrismaPg } from "@prisma/adapter-pg";
import { applyMigrations } from "@/server/db/migrations";
import { readStackEnv } from "./stack-env";

/** Once per run: bring the test database to the committed migrations. */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL ?? readStackEnv().TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: run `npm run stack -- up` (npm test does it for you).");
  const factory = new PrismaPg({ connectionString: url });
  await applyMigrations(factory);
}
