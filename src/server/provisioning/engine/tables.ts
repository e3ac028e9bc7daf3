import "server-only";
import { randomBytes } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import type { ReconciledTable, Wake } from "../step";

/**
 * The reconcile bookkeeping every kind's table shares (generation,
 * observedGeneration, status, lease, dueAt, failures…), as single SQL
 * statements. Table names come from a closed list, never from input.
 */
const TABLES = new Set<ReconciledTable>(["Platform", "Customer", "Domain", "Mailbox", "Alias"]);
function table(t: ReconciledTable): Prisma.Sql {
  if (!TABLES.has(t)) throw new Error(`not a reconciled table: ${String(t)}`);
  return Prisma.raw(`"${t}"`);
}

export type Claim = {
  table: ReconciledTable;
  id: string;
  generation: number;
  observedGeneration: number;
  deletionRequested: boolean;
  failures: number;
  /** Who holds the lease: this worker and this claim (two lanes of one worker are two owners). */
  owner: string;
};

/**
 * Requested work (new desired state, a retry, a child whose parent is ready)
 * is stamped due a year early: due rows are taken oldest-due first, so
 * requests go ahead of any backlog of periodic resyncs, first come first
 * served among themselves.
 */
const REQUEST_LEAD_MS = 365 * 24 * 3600 * 1000;
export const requestedDueAt = () => new Date(Date.now() - REQUEST_LEAD_MS);

/** The claim statement: one UPDATE on the dueAt index; SKIP LOCKED keeps workers apart. Exported for EXPLAIN in tests. */
export function claimSql(t: ReconciledTable, owner: string, leaseMs: number): Prisma.Sql {
  return Prisma.sql`
    UPDATE ${table(t)} SET "leaseOwner" = ${owner}, "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000}),
      status = CASE WHEN "deletionRequested" THEN 'DELETING'::"ResourceStatus"
                    WHEN "observedGeneration" < generation THEN 'PROVISIONING'::"ResourceStatus" ELSE status END
    WHERE id = (
      SELECT id FROM ${table(t)}
      WHERE "dueAt" <= now() AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
      ORDER BY "dueAt" LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING id, generation, "observedGeneration", "deletionRequested", failures, "leaseOwner" AS owner`;
}

/** Claims the next due row of one table, or null. */
export async function claimNext(t: ReconciledTable, workerId: string, leaseMs: number): Promise<Claim | null> {
  const owner = `${workerId}/${randomBytes(4).toString("hex")}`;
  const rows = await db.$queryRaw<Array<Omit<Claim, "table">>>(claimSql(t, owner, leaseMs));
  const r = rows[0];
  return r ? { table: t, ...r } : null;
}

export async function renewLease(c: Claim, leaseMs: number): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE ${table(c.table)} SET "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`;
  return n === 1;
}

/** In sync, nothing written: only the next due time and when it was checked. */
export async function releaseQuiet(c: Claim, dueAt: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE ${table(c.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL, "dueAt" = ${dueAt}::timestamp(3), "lastCheckedAt" = now()
    WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`;
}

/** Applied: what this run applied counts as observed (a newer generation stays pending). */
export async function releaseApplied(c: Claim, status: "ACTIVE" | "SUSPENDED", conditions: unknown, dueAt: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE ${table(c.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL, "observedGeneration" = ${c.generation},
      status = ${status}::"ResourceStatus", failures = 0, "lastError" = NULL, conditions = ${JSON.stringify(conditions)}::jsonb,
      "dueAt" = CASE WHEN generation > ${c.generation} THEN ${requestedDueAt()}::timestamp(3) ELSE ${dueAt}::timestamp(3) END, "lastCheckedAt" = now()
    WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`;
}

/** Failed: transient ones come back after `retryAt`; permanent ones wait for a person (dueAt null). */
export async function releaseFailed(c: Claim, error: string, conditions: unknown, retryAt: Date | null): Promise<void> {
  await db.$executeRaw`
    UPDATE ${table(c.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL, failures = failures + 1, "lastError" = ${error},
      conditions = ${JSON.stringify(conditions)}::jsonb, "dueAt" = ${retryAt}::timestamp(3),
      status = ${retryAt === null ? Prisma.sql`'FAILED'::"ResourceStatus"` : Prisma.sql`status`}
    WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`;
}

/** Not yet: look again at `dueAt` (or sooner, when a parent or child wakes it). */
export async function releaseWaiting(c: Claim, dueAt: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE ${table(c.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL, "dueAt" = ${dueAt}::timestamp(3)
    WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`;
}

export async function deleteRow(c: Claim): Promise<void> {
  await db.$executeRaw`DELETE FROM ${table(c.table)} WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`;
}

/** Makes pending rows due now (children whose parent is in place, a parent whose child is gone). */
export async function wake(w: Wake): Promise<number> {
  const col = w.where ? Prisma.raw(w.where.column === "customerId" ? `"customerId"` : `"domainId"`) : null;
  const match = w.ids ? Prisma.sql`id = ANY(${w.ids}::text[])` : col && w.where ? Prisma.sql`${col} = ${w.where.equals}` : Prisma.sql`false`;
  return db.$executeRaw`
    UPDATE ${table(w.table)} SET "dueAt" = ${requestedDueAt()}::timestamp(3)
    WHERE ${match} AND ("observedGeneration" < generation OR "deletionRequested") AND status <> 'FAILED'
      AND "leaseOwner" IS NULL AND "dueAt" > now()`;
}
