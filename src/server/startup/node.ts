import { env } from "@/env";
import { adapterFactory, dbMode } from "@/server/db";
import { applyMigrations } from "@/server/db/migrations";
import { provisioningConfig } from "@/server/provisioning/config";
import { provisioningDeps } from "@/server/provisioning/deps";
import { newWorkerId, startWorker } from "@/server/provisioning/worker";

/** Server start (Node runtime): apply pending panel-DB migrations, then start the reconcile workers. */
export async function startServer(): Promise<void> {
  try {
    if (env.MIGRATE_ON_START) {
      const applied = await applyMigrations(adapterFactory());
      if (applied.length) console.log(`[berth] applied ${applied.length} migration(s) to ${dbMode()}: ${applied.join(", ")}`);
    }
  } catch (e) {
    // A server whose DB cannot be migrated must not serve.
    console.error("[berth] cannot start: migrating the panel DB failed:", e);
    process.exit(1);
  }
  if (!env.WORKER_ENABLED) return;
  try {
    startWorker({ workerId: newWorkerId(), config: provisioningConfig(), deps: provisioningDeps(), concurrency: env.WORKER_CONCURRENCY, pollMs: env.WORKER_POLL_MS, databaseUrl: env.DATABASE_URL });
    console.log(`[berth] provisioning worker started (${env.WORKER_CONCURRENCY} lanes)`);
  } catch (e) {
    console.warn(`[berth] provisioning worker not started: ${e instanceof Error ? e.message : String(e)}`);
  }
}
