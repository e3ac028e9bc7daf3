import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { backoffMs, sleep } from "./backoff";
import { claimNextDomain, reconcileDomain, type EngineOptions } from "./engine";
import { waitForWork } from "./wake";

export const newWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/**
 * Reconcile workers in this process: `concurrency` lanes, each claiming one
 * due domain at a time and polling when there is none. Safe to run in every
 * replica at once — claims are leased.
 */
export function startWorker(opts: EngineOptions & { concurrency: number; pollMs: number; log?: (msg: string) => void }) {
  let stopping = false;
  const log = opts.log ?? ((m: string) => console.log(`[worker ${opts.workerId}] ${m}`));
  const lane = async () => {
    let errors = 0;
    while (!stopping) {
      try {
        const claim = await claimNextDomain(opts.workerId, opts.config.leaseMs);
        errors = 0;
        if (!claim) {
          await waitForWork(opts.pollMs);
          continue;
        }
        const r = await reconcileDomain(claim, opts);
        if (r.status !== "active") log(`${claim.id}: ${r.status}`);
      } catch (e) {
        // The panel DB itself is unreachable: back off, keep the lane alive.
        errors++;
        log(`error: ${e instanceof Error ? e.message : String(e)}`);
        await sleep(backoffMs(errors, { baseMs: 500, capMs: 30_000 }));
      }
    }
  };
  opts.deps.dkimKeys.warm();
  const lanes = Array.from({ length: opts.concurrency }, lane);
  return {
    async stop() {
      stopping = true;
      await Promise.all(lanes);
    },
  };
}
