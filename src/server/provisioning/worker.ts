import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { backoffMs, sleep } from "./backoff";
import { claimAny, reconcileClaim } from "./engine/drain";
import type { EngineOptions } from "./engine/reconcile";
import { listenForWork } from "./listen";
import { platformDueNow } from "./kinds/platform/kind";
import { waitForWork, wakeAllLocal, wakeLocal } from "./wake";

export const newWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/**
 * Reconcile workers in this process: `concurrency` lanes, each claiming one
 * due object of any kind at a time. Idle lanes wait for a notification from
 * the panel DB (LISTEN, when it is a PostgreSQL server) or from this
 * process, and poll every `pollMs` as a fallback. Safe to run in every
 * replica at once — claims are leased.
 */
export function startWorker(opts: EngineOptions & { concurrency: number; pollMs: number; databaseUrl?: string; log?: (msg: string) => void }) {
  let stopping = false;
  const log = opts.log ?? ((m: string) => console.log(`[worker ${opts.workerId}] ${m}`));
  const listener = opts.databaseUrl ? listenForWork(opts.databaseUrl, log) : null;
  const lane = async () => {
    let errors = 0;
    while (!stopping) {
      try {
        const next = await claimAny(opts.workerId, opts.config.leaseMs);
        errors = 0;
        if (!next) {
          await waitForWork(opts.pollMs);
          continue;
        }
        // There may be more: rouse another idle lane while this one works.
        wakeLocal();
        const r = await reconcileClaim(next, opts);
        if (!["active", "in-sync", "waiting", "deleted"].includes(r.status)) log(`${next.kind.name} ${next.claim.id}: ${r.status}`);
      } catch (e) {
        // The panel DB itself is unreachable: back off, keep the lane alive.
        errors++;
        log(`error: ${e instanceof Error ? e.message : String(e)}`);
        await sleep(backoffMs(errors, { baseMs: 500, capMs: 30_000 }));
      }
    }
  };
  opts.deps.dkimKeys.warm();
  // The platform's configuration may have changed since the last start: check its zone now.
  platformDueNow().catch((e: unknown) => log(`platform row: ${e instanceof Error ? e.message : String(e)}`));
  const lanes = Array.from({ length: opts.concurrency }, lane);
  return {
    async stop() {
      stopping = true;
      // Wake idle lanes so they see `stopping` now rather than after their poll.
      wakeAllLocal();
      await Promise.all(lanes);
      await listener?.stop();
    },
  };
}
