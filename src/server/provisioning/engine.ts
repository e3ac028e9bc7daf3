import "server-only";
import { randomBytes } from "node:crypto";
import type { Prisma, ResourceStatus, RunAction, StepStatus } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { backoffMs, sleep } from "./backoff";
import type { ProvisioningConfig } from "./config";
import type { Deps } from "./deps";
import { loadDomainSpec } from "./load-spec";
import { APPLY_STEPS, DELETE_STEPS } from "./pipeline";
import { isTransient, type Step, type StepContext } from "./step";

/**
 * The reconciler. A worker claims one domain whose desired state is ahead of
 * what was observed (or whose resync is due, or that is being deleted) with a
 * lease, runs the steps in order, records a ProvisioningRun with one
 * ProvisioningStep row per step, and releases the lease. Level-triggered:
 * everything it needs is read from the panel DB each time, so a crash loses
 * nothing — another worker takes the row over when the lease runs out.
 */
export type EngineOptions = { workerId: string; config: ProvisioningConfig; deps: Deps };

export class LeaseLost extends Error {
  constructor(id: string) {
    super(`lost the lease on ${id}`);
    this.name = "LeaseLost";
  }
}

type Claim = {
  id: string;
  generation: number;
  observedGeneration: number;
  deletionRequested: boolean;
  status: ResourceStatus;
  /** Who holds the lease: this worker and this claim (two lanes of one worker are two owners). */
  owner: string;
};

/** Claims the next domain that needs work, or null. One statement; SKIP LOCKED keeps workers apart. */
export async function claimNextDomain(workerId: string, leaseMs: number): Promise<Claim | null> {
  const owner = `${workerId}/${randomBytes(4).toString("hex")}`;
  const rows = await db.$queryRaw<Claim[]>`
    UPDATE "Domain" SET "leaseOwner" = ${owner}, "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = (
      SELECT id FROM "Domain"
      WHERE ("leaseUntil" IS NULL OR "leaseUntil" < now())
        AND ("nextResyncAt" IS NULL OR "nextResyncAt" <= now())
        AND ("deletionRequested"
             OR ("observedGeneration" < "generation" AND status <> 'FAILED')
             OR status IN ('ACTIVE', 'SUSPENDED'))
      ORDER BY "deletionRequested" DESC, ("observedGeneration" < "generation") DESC, "updatedAt"
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING id, generation, "observedGeneration", "deletionRequested", status, "leaseOwner" AS owner`;
  return rows[0] ?? null;
}

async function renewLease(id: string, owner: string, leaseMs: number): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "Domain" SET "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${id} AND "leaseOwner" = ${owner}`;
  return n === 1;
}

/**
 * Keeps a claim's lease alive for as long as the run lasts (a step such as
 * readiness can wait longer than one lease), renewing every third of it.
 * `check()` throws LeaseLost once a renewal failed: someone else owns the row.
 */
function holdLease(id: string, owner: string, leaseMs: number) {
  let lost = false;
  const timer = setInterval(() => {
    renewLease(id, owner, leaseMs).then(
      (ok) => {
        if (!ok) lost = true;
      },
      () => {
        // The panel DB is briefly unreachable: the next tick tries again; the lease has slack.
      },
    );
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    check() {
      if (lost) throw new LeaseLost(id);
    },
    release() {
      clearInterval(timer);
    },
  };
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 2000);

type Outcome = { status: StepStatus; message: string | null };

/** Runs one step with in-run retries of transient errors; every attempt is visible on the step row. */
async function runStep(
  step: Step,
  fn: (ctx: StepContext) => Promise<unknown>,
  ctx: StepContext,
  stepId: string,
  opts: EngineOptions & { lease: { check(): void } },
): Promise<Outcome & { transient: boolean }> {
  const started = new Date();
  for (let attempt = 1; ; attempt++) {
    await db.provisioningStep.update({
      where: { id: stepId },
      data: { status: "RUNNING", attempt, startedAt: attempt === 1 ? started : undefined },
    });
    let outcome: Outcome & { transient: boolean };
    try {
      const r = (await fn(ctx)) as { message?: string; warning?: string } | undefined;
      outcome = r?.warning
        ? { status: "WARNING", message: r.warning, transient: false }
        : { status: "SUCCEEDED", message: r?.message ?? null, transient: false };
    } catch (e) {
      if (e instanceof LeaseLost) throw e;
      const transient = isTransient(e);
      if (transient && attempt < opts.config.stepMaxAttempts) {
        await db.provisioningStep.update({ where: { id: stepId }, data: { message: `attempt ${attempt} failed, retrying: ${describe(e)}` } });
        await sleep(backoffMs(attempt));
        opts.lease.check();
        continue;
      }
      outcome = { status: "FAILED", message: `${step.title}: ${describe(e)}`, transient };
    }
    const finished = new Date();
    await db.provisioningStep.update({
      where: { id: stepId },
      data: { status: outcome.status, message: outcome.message, finishedAt: finished, durationMs: finished.getTime() - started.getTime() },
    });
    return outcome;
  }
}

const SUBSYSTEM: Record<string, string> = {
  namespace: "Kubernetes",
  quota: "Kubernetes",
  limits: "Kubernetes",
  "network-policy": "Kubernetes",
  storage: "Kubernetes",
  workload: "Kubernetes",
  ingress: "Kubernetes",
  "dns-zone": "DNS",
  "dns-records": "DNS",
  "spf-dmarc": "DNS",
  "mail-domain": "Mail",
  mailboxes: "Mail",
  dkim: "Mail",
  "backup-labels": "Backup",
  readiness: "Ready",
};

function conditions(results: Array<{ name: string } & Outcome>): Prisma.InputJsonValue {
  const at = new Date().toISOString();
  const by = new Map<string, { status: string; message: string | null }>();
  for (const r of results) {
    const type = SUBSYSTEM[r.name] ?? r.name;
    const prev = by.get(type);
    const status = r.status === "FAILED" ? "False" : r.status === "WARNING" ? "Unknown" : "True";
    if (!prev || status !== "True") by.set(type, { status, message: r.status === "SUCCEEDED" ? (prev?.message ?? null) : r.message });
  }
  return [...by.entries()].map(([type, c]) => ({ type, status: c.status, message: c.message, at }));
}

/** Reconciles one claimed domain to completion (or failure) and releases it. */
export async function reconcileDomain(claim: Claim, opts: EngineOptions): Promise<{ status: string; runId?: string }> {
  const spec = await loadDomainSpec(claim.id);
  if (!spec) return { status: "gone" };
  const deleting = spec.deletionRequested;
  const action: RunAction = deleting ? "DELETE" : claim.observedGeneration < claim.generation ? "APPLY" : "RESYNC";
  const steps = deleting ? DELETE_STEPS : APPLY_STEPS;

  // A run left RUNNING by a worker that died is over: say so, step by step too.
  const stale = await db.provisioningRun.findMany({ where: { domainId: spec.id, status: "RUNNING" }, select: { id: true } });
  if (stale.length) {
    const ids = stale.map((r) => r.id);
    const now = new Date();
    await db.provisioningStep.updateMany({ where: { runId: { in: ids }, status: "RUNNING" }, data: { status: "FAILED", finishedAt: now, message: "The worker running this step stopped." } });
    await db.provisioningStep.updateMany({ where: { runId: { in: ids }, status: "PENDING" }, data: { status: "SKIPPED" } });
    await db.provisioningRun.updateMany({
      where: { id: { in: ids } },
      data: { status: "FAILED", finishedAt: now, error: "The worker running this stopped; another worker took over." },
    });
  }
  const run = await db.provisioningRun.create({
    data: {
      domainId: spec.id,
      customerId: spec.customerId,
      subject: spec.name,
      action,
      generation: claim.generation,
      workerId: opts.workerId,
      steps: { create: steps.map((s, position) => ({ name: s.name, position })) },
    },
    select: { id: true, steps: { select: { id: true, name: true }, orderBy: { position: "asc" } } },
  });
  if (action !== "RESYNC") {
    await db.domain.update({ where: { id: spec.id }, data: { status: deleting ? "DELETING" : "PROVISIONING" } });
  }

  const ctx: StepContext = { domain: spec, deps: opts.deps, config: opts.config, state: {} };
  const results: Array<{ name: string } & Outcome> = [];
  let failure: (Outcome & { transient: boolean }) | null = null;
  const lease = holdLease(spec.id, claim.owner, opts.config.leaseMs);
  try {
    for (const [i, step] of steps.entries()) {
      const row = run.steps[i];
      if (!row) throw new Error(`run ${run.id} has no row for step ${step.name}`);
      const fn = deleting ? step.remove : step.ensure;
      if (!fn) continue;
      lease.check();
      const outcome = await runStep(step, fn.bind(step), ctx, row.id, { ...opts, lease });
      results.push({ name: step.name, ...outcome });
      if (outcome.status === "FAILED") {
        failure = outcome;
        break;
      }
    }
    lease.check();
  } catch (e) {
    if (e instanceof LeaseLost) {
      lease.release();
      await db.provisioningStep.updateMany({ where: { runId: run.id, status: { in: ["PENDING", "RUNNING"] } }, data: { status: "SKIPPED" } });
      await db.provisioningRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt: new Date(), error: e.message } });
      return { status: "lease-lost", runId: run.id };
    }
    failure = { status: "FAILED", message: describe(e), transient: false };
  } finally {
    lease.release();
  }

  const finishedAt = new Date();
  if (failure) {
    await db.provisioningStep.updateMany({ where: { runId: run.id, status: "PENDING" }, data: { status: "SKIPPED" } });
    await db.provisioningRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt, error: failure.message } });
    const current = await db.domain.findUniqueOrThrow({ where: { id: spec.id }, select: { failures: true } });
    const failures = current.failures + 1;
    await db.domain.updateMany({
      where: { id: spec.id, leaseOwner: claim.owner },
      data: {
        leaseOwner: null,
        leaseUntil: null,
        failures,
        lastError: failure.message,
        conditions: conditions(results),
        // Transient: requeue with backoff and stay in progress. Permanent: wait for a person.
        ...(failure.transient
          ? { nextResyncAt: new Date(Date.now() + backoffMs(failures, { baseMs: 1_000, capMs: 300_000 })) }
          : { status: "FAILED", nextResyncAt: null }),
      },
    });
    return { status: failure.transient ? "requeued" : "failed", runId: run.id };
  }

  await db.provisioningRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt } });
  if (deleting) {
    await db.domain.deleteMany({ where: { id: spec.id, leaseOwner: claim.owner } });
    return { status: "deleted", runId: run.id };
  }
  // The customer's own objects (namespace, quota, limits, policy) were ensured by this run.
  await db.customer.updateMany({
    where: { id: spec.customerId, status: { in: ["PENDING", "PROVISIONING", "FAILED"] }, suspended: false },
    data: { status: "ACTIVE" },
  });
  // Only what this run applied counts as observed: a newer generation stays pending.
  await db.domain.updateMany({
    where: { id: spec.id, leaseOwner: claim.owner },
    data: {
      leaseOwner: null,
      leaseUntil: null,
      observedGeneration: claim.generation,
      status: spec.suspended ? "SUSPENDED" : "ACTIVE",
      failures: 0,
      lastError: null,
      conditions: conditions(results),
      nextResyncAt: new Date(Date.now() + opts.config.resyncIntervalMs),
    },
  });
  return { status: spec.suspended ? "suspended" : "active", runId: run.id };
}

/** Claims and reconciles until nothing is due; returns how many it worked. For tests and benchmarks. */
export async function drain(opts: EngineOptions & { concurrency?: number; deadlineMs?: number }): Promise<number> {
  const deadline = Date.now() + (opts.deadlineMs ?? 300_000);
  let worked = 0;
  const lane = async () => {
    while (Date.now() < deadline) {
      const claim = await claimNextDomain(opts.workerId, opts.config.leaseMs);
      if (!claim) return;
      await reconcileDomain(claim, opts);
      worked++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 1 }, lane));
  return worked;
}
