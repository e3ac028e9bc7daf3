import { EventEmitter } from "node:events";

/**
 * New work written in this process wakes this process's idle workers at once,
 * instead of waiting out their poll interval. Other replicas still find the
 * work by polling; nothing depends on the wake-up being seen.
 */
const bus = new EventEmitter();
bus.setMaxListeners(0);

export function wakeWorkers(): void {
  bus.emit("wake");
}

/** Resolves after `ms`, or as soon as someone calls wakeWorkers(). */
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
