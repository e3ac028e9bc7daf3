import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { applyMigrations } from "@/server/db/migrations";
import { readStackEnv } from "./stack-env";

/**
 * Once per run: bring the test database to the committed migrations, and
 * start its customer numbers far from the development database's, because
 * both provision into the same local cluster, PowerDNS and mail DB, where a
 * customer's namespace is cust-<number>.
 */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL ?? readStackEnv().TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: run `npm run stack -- up` (npm test does it for you).");
  await applyMigrations(new PrismaPg({ connectionString: url }));
  const base = Number(process.env.TEST_CUSTOMER_NUMBER_BASE ?? 100_000);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Each run starts from an empty test database, so rows an interrupted run left
    // behind are not reconciled again. Sequences are kept (no RESTART IDENTITY):
    // customer numbers, and so namespaces, are never reused.
    const { rows } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} CASCADE`);
    await client.query(`SELECT setval('"Customer_number_seq"', GREATEST((SELECT last_value FROM "Customer_number_seq"), $1::bigint))`, [base]);
  } finally {
    await client.end();
  }
}
