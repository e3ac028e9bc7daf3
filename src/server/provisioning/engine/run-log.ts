import "server-only";
import { randomBytes } from "node:crypto";
import { Prisma, type RunAction, type StepStatus } from "@/generated/prisma/client";
import { db } from "@/server/db";
import type { KindName } from "@/lib/provisioning/catalog";

/**
 * The run log: one ProvisioningRun per run that did something, one
 * ProvisioningStep row per step. Applies and deletes are logged live (the
 * panel streams them); a resync is logged only when it changed, warned or
 * failed, after the fact. Every write is one statement.
 */
const newId = () => `r${randomBytes(12).toString("hex")}`;

export type RunHeader = {
  kind: KindName;
  objectId: string;
  customerId: string | null;
  domainId: string | null;
  subject: string;
  action: RunAction;
  generation: number;
  workerId: string;
};

export type StepRecord = {
  name: string;
  status: StepStatus;
  attempt: number;
  message: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
};

/** Runs of this object left RUNNING by a worker that died are over: say so, step by step too. */
export async function closeStaleRuns(kind: KindName, objectId: string): Promise<void> {
  await db.$executeRaw`
    WITH stale AS (
      UPDATE "ProvisioningRun" SET status = 'FAILED', "finishedAt" = now(), error = 'The worker running this stopped; another worker took over.'
      WHERE kind = ${kind} AND "objectId" = ${objectId} AND status = 'RUNNING' RETURNING id)
    UPDATE "ProvisioningStep" SET
      status = CASE WHEN status = 'RUNNING' THEN 'FAILED'::"StepStatus" ELSE 'SKIPPED'::"StepStatus" END,
      "finishedAt" = CASE WHEN status = 'RUNNING' THEN now() ELSE "finishedAt" END,
      message = CASE WHEN status = 'RUNNING' THEN 'The worker running this step stopped.' ELSE message END
    WHERE "runId" IN (SELECT id FROM stale) AND status IN ('RUNNING', 'PENDING')`;
}

/** A live run with its steps PENDING; returns the run id and the step ids in order. */
export async function openRun(h: RunHeader, stepNames: string[]): Promise<{ runId: string; stepIds: string[] }> {
  const runId = newId();
  const stepIds = stepNames.map(newId);
  await db.$executeRaw`
    WITH r AS (
      INSERT INTO "ProvisioningRun" (id, kind, "objectId", "customerId", "domainId", subject, action, generation, status, "workerId", "startedAt")
      VALUES (${runId}, ${h.kind}, ${h.objectId}, ${h.customerId}, ${h.domainId}, ${h.subject}, ${h.action}::"RunAction", ${h.generation}, 'RUNNING', ${h.workerId}, now())
      RETURNING id)
    INSERT INTO "ProvisioningStep" (id, "runId", name, position, status, attempt)
    SELECT s.id, r.id, s.name, s.position - 1, 'PENDING', 0
    FROM r, unnest(${stepIds}::text[], ${stepNames}::text[]) WITH ORDINALITY AS s(id, name, position)`;
  return { runId, stepIds };
}

export type StepUpdate = { id: string } & Partial<Omit<StepRecord, "name">>;

/** Several step rows in one statement (a step's end and the next one's start travel together). */
export async function updateSteps(rows: StepUpdate[]): Promise<void> {
  if (!rows.length) return;
  const values = rows.map(
    (r) =>
      Prisma.sql`(${r.id}::text, ${r.status ?? null}::"StepStatus", ${r.attempt ?? null}::int, ${r.message !== undefined}::boolean, ${r.message ?? null}::text,
        ${r.startedAt?.toISOString() ?? null}::timestamp(3), ${r.finishedAt?.toISOString() ?? null}::timestamp(3), ${r.durationMs ?? null}::int)`,
  );
  await db.$executeRaw`
    UPDATE "ProvisioningStep" AS s SET
      status = COALESCE(v.status, s.status), attempt = COALESCE(v.attempt, s.attempt),
      message = CASE WHEN v.set_message THEN v.message ELSE s.message END,
      "startedAt" = COALESCE(s."startedAt", v.started), "finishedAt" = COALESCE(v.finished, s."finishedAt"),
      "durationMs" = COALESCE(v.duration, s."durationMs")
    FROM (VALUES ${Prisma.join(values)}) AS v(id, status, attempt, set_message, message, started, finished, duration)
    WHERE s.id = v.id`;
}

/** Ends a live run; steps it never reached are SKIPPED. */
export async function closeRun(runId: string, outcome: { status: "SUCCEEDED" | "FAILED"; error: string | null }): Promise<void> {
  await db.$executeRaw`
    WITH r AS (UPDATE "ProvisioningRun" SET status = ${outcome.status}::"RunStatus", "finishedAt" = now(), error = ${outcome.error} WHERE id = ${runId} RETURNING id)
    UPDATE "ProvisioningStep" SET status = 'SKIPPED' WHERE "runId" IN (SELECT id FROM r) AND status IN ('PENDING', 'RUNNING')`;
}

/** A run logged after the fact (a resync that repaired drift, warned or failed): one statement. */
export async function recordRun(h: RunHeader, startedAt: Date, outcome: { status: "SUCCEEDED" | "FAILED"; error: string | null }, steps: StepRecord[]): Promise<string> {
  const runId = newId();
  const col = <K extends keyof StepRecord>(k: K) => steps.map((s) => s[k]);
  const iso = (k: "startedAt" | "finishedAt") => steps.map((s) => s[k]?.toISOString() ?? null);
  await db.$executeRaw`
    WITH r AS (
      INSERT INTO "ProvisioningRun" (id, kind, "objectId", "customerId", "domainId", subject, action, generation, status, "workerId", error, "startedAt", "finishedAt")
      VALUES (${runId}, ${h.kind}, ${h.objectId}, ${h.customerId}, ${h.domainId}, ${h.subject}, ${h.action}::"RunAction", ${h.generation},
              ${outcome.status}::"RunStatus", ${h.workerId}, ${outcome.error}, ${startedAt}::timestamp(3), now())
      RETURNING id)
    INSERT INTO "ProvisioningStep" (id, "runId", name, position, status, attempt, message, "startedAt", "finishedAt", "durationMs")
    SELECT s.id, r.id, s.name, s.position - 1, s.status::"StepStatus", s.attempt, s.message, s.started, s.finished, s.duration
    FROM r, unnest(${steps.map(newId)}::text[], ${col("name")}::text[], ${col("status")}::text[], ${col("attempt")}::int[], ${col("message")}::text[],
                   ${iso("startedAt")}::timestamp(3)[], ${iso("finishedAt")}::timestamp(3)[], ${col("durationMs")}::int[])
      WITH ORDINALITY AS s(id, name, status, attempt, message, started, finished, duration, position)`;
  return runId;
}

/** Keeps the newest `keep` runs of an object, and every failed run younger than `failureDays`. */
export async function pruneRuns(kind: KindName, objectId: string, keep: number, failureDays: number): Promise<void> {
  await db.$executeRaw`
    DELETE FROM "ProvisioningRun" WHERE kind = ${kind} AND "objectId" = ${objectId}
      AND id NOT IN (SELECT id FROM "ProvisioningRun" WHERE kind = ${kind} AND "objectId" = ${objectId} ORDER BY "startedAt" DESC LIMIT ${keep})
      AND NOT (status = 'FAILED' AND "startedAt" > now() - make_interval(days => ${failureDays}))`;
}
