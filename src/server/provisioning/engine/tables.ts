import "server-only";
import { randomBytes } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import type { ReconciledTable, Wake } from "../step";
import type { Part } from "./run-log";

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

/**
 * The claim statement: the first due row of the first table (in the order
 * given: parents first) that has one, in ONE statement: each table's claim
 * runs only when no earlier table yielded a row. Each is one UPDATE on the
 * dueAt index; SKIP LOCKED keeps workers apart. Exported for EXPLAIN in tests.
 */
export function claimSql(tables: ReconciledTable[], owner: string, leaseMs: number): Prisma.Sql {
  if (!tables.length) throw new Error("claimSql needs at least one table");
  const ctes = tables.map((t, i) => {
    const earlier = Prisma.raw(tables.slice(0, i).map((_, j) => `NOT EXISTS (SELECT 1 FROM c${j}) AND `).join(""));
    return Prisma.sql`${Prisma.raw(`c${i}`)} AS (
      UPDATE ${table(t)} SET "leaseOwner" = ${owner}, "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000}),
        status = CASE WHEN "deletionRequested" THEN 'DELETING'::"ResourceStatus"
                      WHEN "observedGeneration" < generation THEN 'PROVISIONING'::"ResourceStatus" ELSE status END
      WHERE ${earlier} id = (
        SELECT id FROM ${table(t)}
        WHERE "dueAt" <= now() AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
        ORDER BY "dueAt" LIMIT 1
        FOR UPDATE SKIP LOCKED)
      RETURNING ${t}::text AS "table", id, generation, "observedGeneration", "deletionRequested", failures, "leaseOwner" AS owner)`;
  });
  const all = tables.map((_, i) => Prisma.sql`SELECT * FROM ${Prisma.raw(`c${i}`)}`);
  return Prisma.sql`WITH ${Prisma.join(ctes, ", ")} ${Prisma.join(all, " UNION ALL ")}`;
}

/** Claims the next due row of the first of `tables` that has one (one statement), or null. */
export async function claimNext(tables: ReconciledTable[], workerId: string, leaseMs: number): Promise<Claim | null> {
  const owner = `${workerId}/${randomBytes(4).toString("hex")}`;
  const rows = await db.$queryRaw<Claim[]>(claimSql(tables, owner, leaseMs));
  const r = rows[0];
  if (r && !TABLES.has(r.table)) throw new Error(`claimed a row of an unknown table ${String(r.table)}`);
  return r ?? null;
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
export function releaseAppliedPart(c: Claim, status: "ACTIVE" | "SUSPENDED", conditions: unknown, dueAt: Date): Part {
  return {
    name: "released",
    sql: Prisma.sql`
    UPDATE ${table(c.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL, "observedGeneration" = ${c.generation},
      status = ${status}::"ResourceStatus", failures = 0, "lastError" = NULL, conditions = ${JSON.stringify(conditions)}::jsonb,
      "dueAt" = CASE WHEN generation > ${c.generation} THEN ${requestedDueAt()}::timestamp(3) ELSE ${dueAt}::timestamp(3) END, "lastCheckedAt" = now()
    WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`,
  };
}

/** Failed: transient ones come back after `retryAt`; permanent ones wait for a person (dueAt null). */
export function releaseFailedPart(c: Claim, error: string, conditions: unknown, retryAt: Date | null): Part {
  return {
    name: "released",
    sql: Prisma.sql`
    UPDATE ${table(c.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL, failures = failures + 1, "lastError" = ${error},
      conditions = ${JSON.stringify(conditions)}::jsonb, "dueAt" = ${retryAt}::timestamp(3),
      status = ${retryAt === null ? Prisma.sql`'FAILED'::"ResourceStatus"` : Prisma.sql`status`}
    WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`,
  };
}

/** The row goes (its deletion is done). */
export function deleteRowPart(c: Claim): Part {
  return { name: "released", sql: Prisma.sql`DELETE FROM ${table(c.table)} WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}` };
}

/** Not yet: look again at `dueAt` (or sooner, when a parent or child wakes it). */
export async function releaseWaiting(c: Claim, dueAt: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE ${table(c.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL, "dueAt" = ${dueAt}::timestamp(3)
    WHERE id = ${c.id} AND "leaseOwner" = ${c.owner}`;
}

/** Makes pending rows due now (children whose parent is in place, a parent whose child is gone). */
function wakeSql(w: Wake): Prisma.Sql {
  const col = w.where ? Prisma.raw(w.where.column === "customerId" ? `"customerId"` : `"domainId"`) : null;
  const match = w.ids ? Prisma.sql`id = ANY(${w.ids}::text[])` : col && w.where ? Prisma.sql`${col} = ${w.where.equals}` : Prisma.sql`false`;
  return Prisma.sql`
    UPDATE ${table(w.table)} SET "dueAt" = ${requestedDueAt()}::timestamp(3)
    WHERE ${match} AND ("observedGeneration" < generation OR "deletionRequested") AND status <> 'FAILED'
      AND "leaseOwner" IS NULL AND "dueAt" > now()
    RETURNING 1`;
}

/**
 * The end of a run in one statement: its parts (the run log's, the row's
 * release) and every wake-up; returns how many rows were woken. All parts
 * see one snapshot and touch different rows.
 */
export async function together(parts: Part[], wakes: Wake[] = []): Promise<number> {
  const all = [...parts, ...wakes.map((w, i) => ({ name: `w${i}`, sql: wakeSql(w) }))];
  const names = new Set(all.map((p) => p.name));
  if (names.size !== all.length) throw new Error(`parts of one statement must have distinct names: ${all.map((p) => p.name).join(", ")}`);
  const ctes = all.map((p) => Prisma.sql`${Prisma.raw(p.name)} AS (${p.sql})`);
  const woken = wakes.length ? Prisma.raw(wakes.map((_, i) => `(SELECT count(*) FROM w${i})`).join(" + ")) : Prisma.raw("0");
  const rows = await db.$queryRaw<Array<{ woken: number }>>`WITH ${Prisma.join(ctes, ", ")} SELECT (${woken})::int AS woken`;
  return rows[0]?.woken ?? 0;
}

/** Makes pending rows due now; returns how many. */
export async function wake(w: Wake): Promise<number> {
  const rows = await db.$queryRaw<unknown[]>(wakeSql(w));
  return rows.length;
}
