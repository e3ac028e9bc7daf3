import { describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/generated/prisma/client";
import { applyMigrations, pendingSchemaSql } from "./migrations";

describe("panel DB migrations (Prisma's wasm schema engine)", () => {
  it("apply to an empty embedded PostgreSQL (PGlite), then a second run applies nothing", async () => {
    const pg = new PGlite();
    const first = await applyMigrations(new PrismaPGlite(pg));
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(new PrismaPGlite(pg))).toEqual([]);
    // The generated client works over PGlite with the migrated schema.
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pg) });
    await prisma.plan.create({
      data: { slug: "t", name: "T", cpuRequestM: 1, cpuLimitM: 1, memoryRequestMi: 1, memoryLimitMi: 1, maxPvcs: 1, storageGi: 1 },
    });
    expect(await prisma.plan.count()).toBe(1);
    await prisma.$disconnect();
    await pg.close();
  }, 120_000);

  it("cover schema.prisma entirely: no change is missing a migration", async () => {
    const pg = new PGlite();
    const sql = await pendingSchemaSql(new PrismaPGlite(pg));
    await pg.close();
    expect(sql.replace(/^--.*$/gm, "").trim()).toBe("");
  }, 120_000);
});
