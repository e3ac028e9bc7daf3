/** Runs once when the server starts: apply pending panel-DB migrations, then start the reconcile workers. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { env } = await import("@/env");
    const { adapterFactory, dbMode } = await import("@/server/db");
    if (env.MIGRATE_ON_START) {
      const { applyMigrations } = await import("@/server/db/migrations");
      const applied = await applyMigrations(adapterFactory());
      if (applied.length) console.log(`[berth] applied ${applied.length} migration(s) to ${dbMode()}: ${applied.join(", ")}`);
    }
    if (env.WORKER_ENABLED) {
      const { provisioningDeps } = await import("@/server/provisioning/deps");
      const { provisioningConfig } = await import("@/server/provisioning/config");
      const { startWorker, newWorkerId } = await import("@/server/provisioning/worker");
      try {
        const deps = provisioningDeps();
        startWorker({ workerId: newWorkerId(), config: provisioningConfig(), deps, concurrency: env.WORKER_CONCURRENCY, pollMs: env.WORKER_POLL_MS });
        console.log(`[berth] provisioning worker started (${env.WORKER_CONCURRENCY} lanes)`);
      } catch (e) {
        console.warn(`[berth] provisioning worker not started: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } catch (e) {
    // A server whose DB cannot be migrated must not serve.
    console.error("[berth] cannot start: migrating the panel DB failed:", e);
    process.exit(1);
  }
}
