import "server-only";
import type { RunAction } from "@/generated/prisma/client";
import { stepInfo, stepsFor } from "@/lib/provisioning/catalog";
import { backoffMs } from "../backoff";
import type { ProvisioningConfig } from "../config";
import type { Deps } from "../deps";
import { changed, type Kind, type Loaded, type StepContext } from "../step";
import { wakeWorkers } from "../wake";
import { holdLease } from "./leases";
import { closeRunParts, openRun, recordRunParts, type RunHeader } from "./run-log";
import { describe, LeaseLost, runStep, StepLog, type Outcome } from "./step-runner";
import { deleteRowPart, releaseAppliedPart, releaseFailedPart, releaseQuiet, releaseWaiting, together, wake, type Claim } from "./tables";

export type EngineOptions = { workerId: string; config: ProvisioningConfig; deps: Deps };

/** How long a row that waits for its parent or children sleeps if nobody wakes it sooner. */
const WAIT_FALLBACK_MS = 10_000;

function conditions<S>(kind: Kind<S>, results: Outcome[]) {
  const at = new Date().toISOString();
  const by = new Map<string, { status: string; message: string | null }>();
  for (const r of results) {
    const type = stepInfo(kind.name, r.name)?.subsystem ?? r.name;
    const prev = by.get(type);
    const status = r.status === "FAILED" ? "False" : r.status === "WARNING" ? "Unknown" : "True";
    if (!prev || status !== "True") by.set(type, { status, message: r.status === "SUCCEEDED" ? (prev?.message ?? null) : r.message });
  }
  return [...by.entries()].map(([type, c]) => ({ type, status: c.status, message: c.message, at }));
}

/** Why the object cannot be worked on yet: its parent is not in place, or (deleting) its children are not gone. */
async function waitReason<S>(kind: Kind<S>, loaded: Loaded<S>): Promise<string | null> {
  if (loaded.deletionRequested) return (await kind.waitForDeletion?.(loaded)) ?? null;
  return loaded.waitReason ?? null;
}

export type ReconcileResult = { status: "gone" | "waiting" | "in-sync" | "lease-lost" | "requeued" | "failed" | "deleted" | "active" | "suspended"; runId?: string };

/**
 * Reconciles one claimed object of a kind to completion (or failure) and
 * releases it. Level-triggered: everything is read from the panel DB each
 * time, so a crash loses nothing — another worker takes the row over when
 * the lease runs out, and closes the dead run first.
 */
export async function reconcile<S>(kind: Kind<S>, claim: Claim, opts: EngineOptions): Promise<ReconcileResult> {
  const loaded = await kind.load(claim.id);
  if (!loaded) return { status: "gone" };
  const deleting = loaded.deletionRequested;
  const action: RunAction = deleting ? "DELETE" : claim.observedGeneration < claim.generation ? "APPLY" : "RESYNC";

  if (await waitReason(kind, loaded)) {
    await releaseWaiting(claim, new Date(Date.now() + WAIT_FALLBACK_MS));
    // What we waited for may have finished meanwhile, waking nobody (we held the lease): look once more.
    const again = await kind.load(claim.id);
    if (again && !(await waitReason(kind, again)) && (await wake({ table: kind.table, ids: [claim.id] }))) wakeWorkers();
    return { status: "waiting" };
  }

  const infos = stepsFor(kind.name, action, (name) => kind.steps.some((s) => s.name === name && s.remove));
  const steps = infos.map((info) => {
    const step = kind.steps.find((s) => s.name === info.name);
    const fn = deleting ? step?.remove : step?.ensure;
    if (!step || !fn) throw new Error(`kind ${kind.name} has no ${deleting ? "remove" : "ensure"} for its catalogued step ${info.name}`);
    return { step, fn, info };
  });

  const header: RunHeader = {
    kind: kind.name,
    objectId: claim.id,
    customerId: loaded.customerId,
    domainId: loaded.domainId,
    subject: loaded.subject,
    action,
    generation: claim.generation,
    workerId: opts.workerId,
  };
  const startedAt = new Date();
  // Applies and deletes are logged live; a resync only if it turns out to do something.
  const live = action === "RESYNC" ? null : await openRun(header, steps.map((s) => s.info.name));
  const log = new StepLog(live?.stepIds ?? null);

  const ctx: StepContext<S> = { spec: loaded.spec, deps: opts.deps, config: opts.config };
  const results: Outcome[] = [];
  let failure: { message: string; transient: boolean } | null = null;
  const lease = holdLease(claim, opts.config.leaseMs);
  try {
    for (const [i, s] of steps.entries()) {
      lease.check();
      const outcome = await runStep(s.step, s.fn, ctx, i, log, { maxAttempts: opts.config.stepMaxAttempts, title: s.info.title, checkLease: lease.check });
      results.push(outcome);
      if (outcome.status === "FAILED") {
        failure = { message: outcome.message ?? "failed", transient: outcome.transient };
        break;
      }
    }
    lease.check();
  } catch (e) {
    if (e instanceof LeaseLost) {
      lease.release();
      if (live) await together(closeRunParts(header, live.runId, await log.take(), { status: "FAILED", error: e.message }, opts.config.runRetention));
      return { status: "lease-lost", runId: live?.runId };
    }
    // Not a step's failure but the engine's own (the panel DB, most likely): worth another try later.
    failure = { message: describe(e), transient: true };
  } finally {
    lease.release();
  }

  const didSomething = results.some((r) => changed(r.changes) || r.status !== "SUCCEEDED") || failure !== null;
  if (action === "RESYNC" && !didSomething) {
    await releaseQuiet(claim, new Date(Date.now() + opts.config.resyncIntervalMs));
    return { status: "in-sync" };
  }
  const outcome = { status: failure ? ("FAILED" as const) : ("SUCCEEDED" as const), error: failure?.message ?? null };
  const logged = live
    ? { runId: live.runId, parts: closeRunParts(header, live.runId, await log.take(), outcome, opts.config.runRetention) }
    : recordRunParts(header, startedAt, outcome, results.map((r) => ({ ...r, durationMs: r.finishedAt.getTime() - r.startedAt.getTime() })), opts.config.runRetention);
  const runId = logged.runId;

  if (failure) {
    // Transient: requeue with backoff and stay in progress. Permanent: wait for a person.
    const retryAt = failure.transient ? new Date(Date.now() + backoffMs(claim.failures + 1, { baseMs: 1_000, capMs: 300_000 })) : null;
    await together([...logged.parts, releaseFailedPart(claim, failure.message, conditions(kind, results), retryAt)]);
    return { status: failure.transient ? "requeued" : "failed", runId };
  }
  const wakes = kind.wakes?.(loaded, deleting) ?? [];
  let woken: number;
  if (deleting && kind.afterDelete) {
    await together(logged.parts);
    await kind.afterDelete(loaded);
    woken = 0;
    for (const w of wakes) woken += await wake(w);
  } else {
    const release = deleting
      ? deleteRowPart(claim)
      : releaseAppliedPart(claim, loaded.suspended ? "SUSPENDED" : "ACTIVE", conditions(kind, results), new Date(Date.now() + opts.config.resyncIntervalMs));
    woken = await together([...logged.parts, release], wakes);
  }
  if (woken) wakeWorkers();
  return { status: deleting ? "deleted" : loaded.suspended ? "suspended" : "active", runId };
}

