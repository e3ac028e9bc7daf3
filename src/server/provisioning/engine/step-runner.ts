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

/**
 * Where step progress goes: a live run's rows (written as it happens, a
 * step's end and the next one's start in one statement), or nowhere until
 * the end (a resync, logged only if it did something).
 */
export class StepLog {
  private pending: StepUpdate | null = null;
  constructor(private readonly stepIds: string[] | null) {}

  async start(i: number, attempt: number, startedAt: Date): Promise<void> {
    const id = this.stepIds?.[i];
    if (!id) return;
    const rows = [...(this.pending ? [this.pending] : []), { id, status: "RUNNING" as const, attempt, startedAt, message: null }];
    this.pending = null;
    await updateSteps(rows);
  }

  async retrying(i: number, message: string): Promise<void> {
    const id = this.stepIds?.[i];
    if (id) await updateSteps([{ id, message }]);
  }

  finish(i: number, o: Outcome): void {
    const id = this.stepIds?.[i];
    if (!id) return;
    this.pending = { id, status: o.status, message: o.message, finishedAt: o.finishedAt, durationMs: o.finishedAt.getTime() - o.startedAt.getTime() };
  }

  /** Writes what is still held back; in a `finally`, so no step row stays RUNNING while the panel DB is reachable. */
  async flush(): Promise<void> {
    const rows = this.pending ? [this.pending] : [];
    this.pending = null;
    await updateSteps(rows);
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
