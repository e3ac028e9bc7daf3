import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { claimSql } from "@/server/provisioning/engine/tables";
import { kindsInOrder } from "@/server/provisioning/kinds/registry";
import { partner, roomyPlan } from "../fixtures";

class Rollback extends Error {}

/**
 * The claim every idle worker runs must stay cheap when the panel holds a
 * real platform's rows: at 10,000 customers, 50,000 domains, 50,000
 * mailboxes and 50,000 aliases it reads the dueAt index, never the table.
 * (The rows are inserted in a transaction that is rolled back.)
 */
describe("claiming due work at scale", () => {
  it("uses the dueAt index on every reconciled table: no sequential scan at 50,000 domains", async () => {
    const p = await partner();
    const plan = await roomyPlan();
    const plans: Record<string, string> = {};
    await db
      .$transaction(
        async (tx) => {
          await tx.$executeRaw`INSERT INTO "Customer" (id, name, "partnerId", "planId", "updatedAt", "dueAt", "observedGeneration")
            SELECT 'explain-c-' || g, 'c' || g, ${p.id}, ${plan.id}, now(), now() + g * interval '1 second', 1 FROM generate_series(1, 10000) g`;
          await tx.$executeRaw`INSERT INTO "Domain" (id, "customerId", name, "displayName", "verificationToken", "updatedAt", "dueAt", "observedGeneration")
            SELECT 'explain-d-' || g, 'explain-c-' || (g % 10000 + 1), 'd' || g || '.explain.test', 'd' || g || '.explain.test', 't', now(),
                   now() + (g % 600) * interval '1 second', 1 FROM generate_series(1, 50000) g`;
          await tx.$executeRaw`INSERT INTO "Mailbox" (id, "domainId", "localPart", address, "passwordHash", "updatedAt", "dueAt", "observedGeneration")
            SELECT 'explain-m-' || g, 'explain-d-' || g, 'm', 'm@d' || g || '.explain.test', 'x', now(), now() + (g % 600) * interval '1 second', 1
            FROM generate_series(1, 50000) g`;
          await tx.$executeRaw`INSERT INTO "Alias" (id, "domainId", source, destination, "updatedAt", "dueAt", "observedGeneration")
            SELECT 'explain-a-' || g, 'explain-d-' || g, 'a@d' || g || '.explain.test', 'm@d' || g || '.explain.test', now(),
                   now() + (g % 600) * interval '1 second', 1 FROM generate_series(1, 50000) g`;
          await tx.$executeRaw`ANALYZE "Customer", "Domain", "Mailbox", "Alias"`;
          // The statement idle workers run: every kind's table, parents first.
          const rows = await tx.$queryRaw<Array<{ "QUERY PLAN": string }>>(
            Prisma.sql`EXPLAIN ${claimSql(kindsInOrder().map((k) => k.table), "explain", 30_000)}`,
          );
          const text = rows.map((r) => r["QUERY PLAN"]).join("\n");
          for (const t of ["Customer", "Domain", "Mailbox", "Alias"] as const) plans[t] = text;
          throw new Rollback();
        },
        { timeout: 120_000, maxWait: 10_000 },
      )
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    for (const [t, text] of Object.entries(plans)) {
      expect(text, `${t}:\n${text}`).not.toMatch(new RegExp(`Seq Scan on "${t}"`));
      expect(text, `${t}:\n${text}`).toMatch(new RegExp(`Index Scan using "${t}_dueAt_idx"`));
    }
    expect(Object.keys(plans)).toHaveLength(4);
    // Nothing of it stayed.
    expect(await db.domain.count({ where: { id: { startsWith: "explain-" } } })).toBe(0);
  }, 180_000);
});
