import "server-only";
import pg from "pg";
import { backoffMs, sleep } from "./backoff";
import { wakeLocal, WORK_CHANNEL } from "./wake";

/**
 * Idle workers wake when any replica writes new work: whoever writes
 * desired state notifies `berth_reconcile` (wakeWorkers) and this
 * connection hands it to the workers of this process. If the connection
 * drops it reconnects; meanwhile workers fall back to their slow poll, so
 * nothing depends on a notification.
 */
export function listenForWork(databaseUrl: string, log: (m: string) => void): { stop(): Promise<void> } {
  let stopping = false;
  let client: pg.Client | null = null;
  const loop = async () => {
    for (let failures = 0; !stopping; ) {
      const c = new pg.Client({ connectionString: databaseUrl, application_name: "berth-worker-listen" });
      client = c;
      try {
        await c.connect();
        c.on("notification", () => wakeLocal());
        await c.query(`LISTEN ${WORK_CHANNEL}`);
        failures = 0;
        // Work written while we were not listening is found by the next claim.
        wakeLocal();
        await new Promise<void>((resolve) => {
          c.once("error", () => resolve());
          c.once("end", () => resolve());
        });
      } catch (e) {
        if (!stopping) log(`LISTEN failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await c.end().catch(() => undefined);
      }
      if (!stopping) await sleep(backoffMs(++failures, { baseMs: 500, capMs: 30_000 }));
    }
  };
  const done = loop();
  return {
    async stop() {
      stopping = true;
      await client?.end().catch(() => undefined);
      await done;
    },
  };
}
