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

/**
 * A live run: closes this object's runs a dead worker left RUNNING (step by
 * step too), then inserts the run with its first step RUNNING (attempt 1)
 * and the rest PENDING — one statement. Returns the run id and the step ids.
 */
export async function openRun(h: RunHeader, stepNames: string[]): Promise<{ runId: string; stepIds: string[] }> {
  const runId = newId();
  const stepIds = stepNames.map(newId);
  await db.$executeRaw`
    WITH stale AS (
      UPDATE "ProvisioningRun" SET status = 'FAILED', "finishedAt" = now(), error = 'The worker running this stopped; another worker took over.'
      WHERE kind = ${h.kind} AND "objectId" = ${h.objectId} AND status = 'RUNNING' RETURNING id),
    stale_steps AS (
      UPDATE "ProvisioningStep" SET
        status = CASE WHEN status = 'RUNNING' THEN 'FAILED'::"StepStatus" ELSE 'SKIPPED'::"StepStatus" END,
        "finishedAt" = CASE WHEN status = 'RUNNING' THEN now() ELSE "finishedAt" END,
        message = CASE WHEN status = 'RUNNING' THEN 'The worker running this step stopped.' ELSE message END
      WHERE "runId" IN (SELECT id FROM stale) AND status IN ('RUNNING', 'PENDING')),
    r AS (
      INSERT INTO "ProvisioningRun" (id, kind, "objectId", "customerId", "domainId", subject, action, generation, status, "workerId", "startedAt")
      VALUES (${runId}, ${h.kind}, ${h.objectId}, ${h.customerId}, ${h.domainId}, ${h.subject}, ${h.action}::"RunAction", ${h.generation}, 'RUNNING', ${h.workerId}, now())
      RETURNING id)
    INSERT INTO "ProvisioningStep" (id, "runId", name, position, status, attempt, "startedAt")
    SELECT s.id, r.id, s.name, s.position - 1,
      CASE WHEN s.position = 1 THEN 'RUNNING'::"StepStatus" ELSE 'PENDING'::"StepStatus" END,
      CASE WHEN s.position = 1 THEN 1 ELSE 0 END,
      CASE WHEN s.position = 1 THEN now() END
    FROM r, unnest(${stepIds}::text[], ${stepNames}::text[]) WITH ORDINALITY AS s(id, name, position)`;
  return { runId, stepIds };
}

export type StepUpdate = { id: string } & Partial<Omit<StepRecord, "name">>;

/** The UPDATE of several step rows at once (a step's end and the next one's start travel together). */
function stepUpdateSql(rows: StepUpdate[]): Prisma.Sql {
  const values = rows.map(
    (r) =>
      Prisma.sql`(${r.id}::text, ${r.status ?? null}::"StepStatus", ${r.attempt ?? null}::int, ${r.message !== undefined}::boolean, ${r.message ?? null}::text,
        ${r.startedAt?.toISOString() ?? null}::timestamp(3), ${r.finishedAt?.toISOString() ?? null}::timestamp(3), ${r.durationMs ?? null}::int)`,
  );
  return Prisma.sql`
    UPDATE "ProvisioningStep" AS s SET
      status = COALESCE(v.status, s.status), attempt = COALESCE(v.attempt, s.attempt),
      message = CASE WHEN v.set_message THEN v.message ELSE s.message END,
      "startedAt" = COALESCE(s."startedAt", v.started), "finishedAt" = COALESCE(v.finished, s."finishedAt"),
      "durationMs" = COALESCE(v.duration, s."durationMs")
    FROM (VALUES ${Prisma.join(values)}) AS v(id, status, attempt, set_message, message, started, finished, duration)
    WHERE s.id = v.id`;
}

/** Several step rows in one statement. */
export async function updateSteps(rows: StepUpdate[]): Promise<void> {
  if (rows.length) await db.$executeRaw(stepUpdateSql(rows));
}

export type Retention = { keep: number; failureDays: number };

/** Old runs of the object go: all but the newest `keep`, except failures younger than `failureDays`. */
const prune = (kind: KindName, objectId: string, keep: number, failureDays: number) => Prisma.sql`
    DELETE FROM "ProvisioningRun" WHERE kind = ${kind} AND "objectId" = ${objectId}
      AND id NOT IN (SELECT id FROM "ProvisioningRun" WHERE kind = ${kind} AND "objectId" = ${objectId} ORDER BY "startedAt" DESC LIMIT ${keep})
      AND NOT (status = 'FAILED' AND "startedAt" > now() - make_interval(days => ${failureDays}))`;

/** One named piece of a statement (a CTE); pieces of one object's end run together in one statement (tables.ts `together`). */
export type Part = { name: string; sql: Prisma.Sql };

/**
 * The end of a live run: the step rows the step log still holds, steps it
 * never reached SKIPPED, and the object's old runs pruned.
 */
export function closeRunParts(
  h: Pick<RunHeader, "kind" | "objectId">,
  runId: string,
  held: StepUpdate[],
  outcome: { status: "SUCCEEDED" | "FAILED"; error: string | null },
  retention: Retention,
): Part[] {
  // A held row of a step that never finished (the lease was lost mid-step) is over too.
  const rows = held.map((r) => (r.status === undefined || r.status === "RUNNING" || r.status === "PENDING" ? { ...r, status: "SKIPPED" as const } : r));
  return [
    ...(rows.length ? [{ name: "cr_held", sql: stepUpdateSql(rows) }] : []),
    { name: "cr_run", sql: Prisma.sql`UPDATE "ProvisioningRun" SET status = ${outcome.status}::"RunStatus", "finishedAt" = now(), error = ${outcome.error} WHERE id = ${runId} RETURNING id` },
    {
      name: "cr_skipped",
      sql: Prisma.sql`UPDATE "ProvisioningStep" SET status = 'SKIPPED' WHERE "runId" IN (SELECT id FROM cr_run) AND status IN ('PENDING', 'RUNNING')
        ${rows.length ? Prisma.sql`AND NOT (id = ANY(${rows.map((r) => r.id)}::text[]))` : Prisma.empty}`,
    },
    { name: "cr_pruned", sql: prune(h.kind, h.objectId, retention.keep, retention.failureDays) },
  ];
}

/** A run logged after the fact (a resync that repaired drift, warned or failed), its steps and the pruning of old runs. */
export function recordRunParts(
  h: RunHeader,
  startedAt: Date,
  outcome: { status: "SUCCEEDED" | "FAILED"; error: string | null },
  steps: StepRecord[],
  retention: Retention,
): { runId: string; parts: Part[] } {
  const runId = newId();
  const col = <K extends keyof StepRecord>(k: K) => steps.map((s) => s[k]);
  const iso = (k: "startedAt" | "finishedAt") => steps.map((s) => s[k]?.toISOString() ?? null);
  return {
    runId,
    parts: [
      // The prune sees the runs before this one: keep one fewer of them.
      { name: "rr_pruned", sql: prune(h.kind, h.objectId, Math.max(0, retention.keep - 1), retention.failureDays) },
      {
        name: "rr_run",
        sql: Prisma.sql`
          INSERT INTO "ProvisioningRun" (id, kind, "objectId", "customerId", "domainId", subject, action, generation, status, "workerId", error, "startedAt", "finishedAt")
          VALUES (${runId}, ${h.kind}, ${h.objectId}, ${h.customerId}, ${h.domainId}, ${h.subject}, ${h.action}::"RunAction", ${h.generation},
                  ${outcome.status}::"RunStatus", ${h.workerId}, ${outcome.error}, ${startedAt}::timestamp(3), now())
          RETURNING id`,
      },
      {
        name: "rr_steps",
        sql: Prisma.sql`
          INSERT INTO "ProvisioningStep" (id, "runId", name, position, status, attempt, message, "startedAt", "finishedAt", "durationMs")
          SELECT s.id, r.id, s.name, s.position - 1, s.status::"StepStatus", s.attempt, s.message, s.started, s.finished, s.duration
          FROM rr_run r, unnest(${steps.map(newId)}::text[], ${col("name")}::text[], ${col("status")}::text[], ${col("attempt")}::int[], ${col("message")}::text[],
                         ${iso("startedAt")}::timestamp(3)[], ${iso("finishedAt")}::timestamp(3)[], ${col("durationMs")}::int[])
            WITH ORDINALITY AS s(id, name, status, attempt, message, started, finished, duration, position)`,
      },
    ],
  };
}
