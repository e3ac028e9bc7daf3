import "server-only";
import { EventEmitter } from "node:events";
import { db } from "@/server/db";

/**
 * New work wakes idle workers at once instead of after their poll: this
 * process's through an event, every other replica's through the panel DB
 * (NOTIFY berth_reconcile, which their LISTEN connection hands to
 * wakeLocal). Nothing depends on a wake-up being seen: workers also poll.
 */
const bus = new EventEmitter();
bus.setMaxListeners(0);

export const WORK_CHANNEL = "berth_reconcile";

/** Wakes this process's idle workers only (what a notification from another replica does). */
export function wakeLocal(): void {
  bus.emit("wake");
}

/** Call after writing desired state: wakes idle workers here and in every replica. */
export function wakeWorkers(): void {
  wakeLocal();
  db.$executeRaw`SELECT pg_notify(${WORK_CHANNEL}, '')`.catch(() => {
    // The panel DB is unreachable: the workers' poll finds the work later.
  });
}

/** Resolves after `ms`, or as soon as this process is woken. */
export function waitForWork(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      bus.off("wake", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    bus.once("wake", done);
  });
}
