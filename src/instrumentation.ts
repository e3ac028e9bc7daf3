/** Runs once when the server starts: apply pending panel-DB migrations. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { env } = await import("@/env");
    if (!env.MIGRATE_ON_START) return;
    const { adapterFactory, dbMode } = await import("@/server/db");
    const { applyMigrations } = await import("@/server/db/migrations");
    const applied = await applyMigrations(adapterFactory());
    if (applied.length) console.log(`[berth] applied ${applied.length} migration(s) to ${dbMode()}: ${applied.join(", ")}`);
  } catch (e) {
    // A server whose DB cannot be migrated must not serve.
    console.error("[berth] cannot start: migrating the panel DB failed:", e);
    process.exit(1);
  }
}
