import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { STEP_CATALOG } from "@/lib/provisioning/catalog";
import { addDomain } from "@/server/services/domains/add-domain";
import { deleteDomain } from "@/server/services/domains/delete-domain";
import { roomyCustomer, uniq } from "../fixtures";
import { reconcileAll } from "../helpers/provisioning";

/**
 * What one domain costs the panel DB, counted statement by statement (every
 * query Prisma's adapter and the engine's raw SQL send goes through
 * pg.Client#query): from the customer's addDomain call, with one mailbox and
 * one alias, until all three rows are reconciled. The goal is 30 per
 * domain. Counted, not timed, so it does not flake with load: the fixed part
 * is exact, and the live timeline's progress writes (at most one every 200 ms,
 * so their number depends on how long steps take) are bounded by the steps.
 */
const FIXED_BUDGET = 24;
const PROGRESS_BUDGET = STEP_CATALOG.Domain.length - 1;

let statements = 0;
let progress = 0;
let counting = false;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    statements++;
    const text = args[0] && typeof args[0] === "object" && "text" in args[0] ? String(args[0].text) : String(args[0]);
    if (/^\s*UPDATE "ProvisioningStep" AS s SET/.test(text)) progress++;
  }
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const actor = { userId: null, ip: "test" };
const leftovers: Array<{ id: string; scope: Awaited<ReturnType<typeof roomyCustomer>>["scope"] }> = [];

afterAll(async () => {
  pg.Client.prototype.query = query;
  for (const d of leftovers) await deleteDomain(d.scope, d.id, actor).catch(() => undefined);
  if (leftovers.length) await reconcileAll();
}, 180_000);

describe("the panel DB's share of a domain", () => {
  it(`adding a domain with a mailbox and an alias takes ${FIXED_BUDGET} panel-DB statements and a progress write per step at most, all of its runs closed`, async () => {
    const { scope } = await roomyCustomer();
    await reconcileAll(1); // the customer's own namespace first: a domain is counted alone
    const name = `budget-${uniq()}.net`;

    statements = 0;
    progress = 0;
    counting = true;
    const d = await addDomain(
      scope,
      { domain: name, includeDatabase: false, mailUsers: [{ localPart: "ann", password: "Budget-password-1" }], aliases: [{ source: `info@${name}`, destination: `ann@${name}` }] },
      actor,
    );
    leftovers.push({ id: d.id, scope });
    await reconcileAll(1);
    counting = false;

    const domain = await db.domain.findUniqueOrThrow({ where: { id: d.id }, select: { status: true, mailboxes: { select: { status: true } }, aliases: { select: { status: true } } } });
    expect(domain.status).toBe("ACTIVE");
    expect([...domain.mailboxes, ...domain.aliases].map((r) => r.status)).toEqual(["ACTIVE", "ACTIVE"]);
    // Every step of all three runs ended: batching progress left nothing RUNNING or PENDING.
    const open = await db.provisioningStep.count({ where: { run: { domainId: d.id }, status: { in: ["RUNNING", "PENDING"] } } });
    expect(open).toBe(0);
    const runs = await db.provisioningRun.findMany({ where: { domainId: d.id }, select: { kind: true, status: true } });
    expect(runs.map((r) => `${r.kind} ${r.status}`).sort()).toEqual(["Alias SUCCEEDED", "Domain SUCCEEDED", "Mailbox SUCCEEDED"]);
    expect(statements).toBeGreaterThan(5);
    expect(statements - progress, `${statements} statements, ${progress} of them progress writes`).toBeLessThanOrEqual(FIXED_BUDGET);
    expect(progress).toBeLessThanOrEqual(PROGRESS_BUDGET);
  }, 120_000);
});
