import "server-only";
import type { StepStatus } from "@/generated/prisma/client";
import { backoffMs, sleep } from "../backoff";
import { isTransient, type Change, type Step, type StepContext, type StepResult } from "../step";
import { updateSteps, type StepUpdate } from "./run-log";

export class LeaseLost extends Error {
  constructor(id: string) {
    super(`lost the lease on ${id}`);
    this.name = "LeaseLost";
  }
}

export const describe = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 2000);

export type Outcome = {
  name: string;
  status: StepStatus;
  message: string | null;
  transient: boolean;
  changes: Change[];
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
};

/** How often a live run's step rows are written at most: fast steps reach the panel DB together. */
const LOG_INTERVAL_MS = 200;

/**
 * Where step progress goes: a live run's rows, or nowhere until the end (a
 * resync, logged only if it did something). Live progress is written at
 * most every LOG_INTERVAL_MS, several rows in one statement: a step that
 * takes longer is seen RUNNING, fast ones land together. The first step's
 * start is written by openRun, what is still held at the end by closeRun.
 * Writes are serialised, so none lands after closeRun.
 */
export class StepLog {
  private readonly held = new Map<string, StepUpdate>();
  private lastWrite = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  constructor(private readonly stepIds: string[] | null) {}

  async start(i: number, attempt: number, startedAt: Date): Promise<void> {
    if (i === 0 && attempt === 1) return; // openRun wrote it RUNNING
    this.hold(i, { status: "RUNNING", attempt, startedAt, message: null });
  }

  async retrying(i: number, message: string): Promise<void> {
    this.hold(i, { message });
  }

  finish(i: number, o: Outcome): void {
    this.hold(i, { status: o.status, message: o.message, finishedAt: o.finishedAt, durationMs: o.finishedAt.getTime() - o.startedAt.getTime() });
  }

  /** What is still held back, after any write in flight: closeRun writes it with the run's end. */
  async take(): Promise<StepUpdate[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
    return this.drainHeld();
  }

  private hold(i: number, u: Omit<StepUpdate, "id">): void {
    const id = this.stepIds?.[i];
    if (!id) return;
    this.held.set(id, { ...this.held.get(id), ...u, id });
    if (this.timer) return;
    this.timer = setTimeout(() => this.write(), Math.max(0, this.lastWrite + LOG_INTERVAL_MS - Date.now()));
    this.timer.unref();
  }

  private drainHeld(): StepUpdate[] {
    const rows = [...this.held.values()];
    this.held.clear();
    return rows;
  }

  private write(): void {
    this.timer = null;
    const rows = this.drainHeld();
    this.lastWrite = Date.now();
    // Progress only: a failed write is not the run's failure (closeRun and the next run's openRun close every row).
    this.writing = this.writing.then(() => updateSteps(rows)).catch(() => undefined);
  }
}

/** Runs one step with in-run retries of transient errors; every attempt is visible on a live step row. */
export async function runStep<S>(
  step: Step<S>,
  fn: (ctx: StepContext<S>) => Promise<StepResult | void>,
  ctx: StepContext<S>,
  i: number,
  log: StepLog,
  opts: { maxAttempts: number; title: string; checkLease(): void },
): Promise<Outcome> {
  const startedAt = new Date();
  for (let attempt = 1; ; attempt++) {
    await log.start(i, attempt, startedAt);
    let outcome: Outcome;
    try {
      const r = (await fn.call(step, ctx)) ?? {};
      const base = { name: step.name, transient: false, changes: r.changes ?? [], attempt, startedAt, finishedAt: new Date() };
      outcome = r.warning ? { ...base, status: "WARNING", message: r.warning } : { ...base, status: "SUCCEEDED", message: r.message ?? null };
    } catch (e) {
      if (e instanceof LeaseLost) throw e;
      const transient = isTransient(e);
      if (transient && attempt < opts.maxAttempts) {
        await log.retrying(i, `attempt ${attempt} failed, retrying: ${describe(e)}`);
        await sleep(backoffMs(attempt));
        opts.checkLease();
        continue;
      }
      outcome = { name: step.name, status: "FAILED", message: `${opts.title}: ${describe(e)}`, transient, changes: [], attempt, startedAt, finishedAt: new Date() };
    }
    log.finish(i, outcome);
    return outcome;
  }
}
