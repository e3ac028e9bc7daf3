/**
 * A benchmark's own panel database (berth_bench by default, created when
 * missing), so a benchmark never disturbs tests or development. Call before
 * importing any server module: it points DATABASE_URL at that database.
 * One benchmark at a time per database: a session advisory lock is held for
 * the life of the returned client.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

function stackEnv(): Record<string, string> {
  const file = path.join(process.env.BERTH_STACK_DIR ?? path.join(process.cwd(), ".stack"), "env");
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

export async function openBenchDatabase(lockName: string): Promise<{ benchUrl: string; benchDbName: string; lockClient: pg.Client }> {
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? stackEnv().DATABASE_URL;
  if (!baseUrl) throw new Error("No PostgreSQL to put berth_bench on: run `npm run stack -- up` (or set BENCH_DATABASE_URL).");
  const benchUrl = (() => {
    if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
    const u = new URL(baseUrl);
    u.pathname = "/berth_bench";
    return u.toString();
  })();
  const benchDbName = decodeURIComponent(new URL(benchUrl).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(benchDbName)) throw new Error(`unexpected bench database name ${benchDbName}`);

  const admin = new URL(benchUrl);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [benchDbName]);
    if (r.rowCount === 0) {
      try {
        await c.query(`CREATE DATABASE "${benchDbName}"`);
        console.log(`created database ${benchDbName}`);
      } catch (e) {
        if ((e as { code?: string }).code !== "42P04") throw e; // created meanwhile
      }
    }
  } finally {
    await c.end();
  }
  process.env.DATABASE_URL = benchUrl;

  const lockClient = new pg.Client({ connectionString: benchUrl });
  await lockClient.connect();
  const r = await lockClient.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [lockName]);
  if (!r.rows[0]?.ok) {
    console.error(`another benchmark is running against ${benchDbName}; try again when it has finished`);
    process.exit(2);
  }
  return { benchUrl, benchDbName, lockClient };
}
