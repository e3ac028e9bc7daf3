import "server-only";
import { EventEmitter } from "node:events";
import { db } from "@/server/db";

/**
 * New work wakes idle workers at once instead of after their poll: this
 * process's through an in-process queue, every other replica's through the
 * panel DB (NOTIFY berth_reconcile, which their LISTEN connection hands to
 * wakeLocal). A wake-up rouses one idle lane, and a lane that finds work
 * rouses the next, so a trickle of work never sends every lane to the panel
 * DB at once. Nothing depends on a wake-up being seen: lanes also poll.
 */
const waiters: Array<() => void> = [];

export const WORK_CHANNEL = "berth_reconcile";

/** Wakes one idle lane of this process (what a notification from another replica does). */
export function wakeLocal(): void {
  waiters.shift()?.();
}

/** Wakes every idle lane of this process (shutting down). */
export function wakeAllLocal(): void {
  while (waiters.length) waiters.shift()?.();
}

/** Call after writing desired state: wakes idle workers here and in every replica. */
export function wakeWorkers(): void {
  wakeLocal();
  db.$executeRaw`SELECT pg_notify(${WORK_CHANNEL}, '')`.catch(() => {
    // The panel DB is unreachable: the workers' poll finds the work later.
  });
}

/** Resolves after `ms`, or as soon as this lane is woken. */
export function waitForWork(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      const i = waiters.indexOf(done);
      if (i >= 0) waiters.splice(i, 1);
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiters.push(done);
  });
}
