import { describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/generated/prisma/client";
import { applyMigrations, defaultPaths, migrationList, pendingSchemaSql } from "./migrations";

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

  it("are plain statements: the adapter-pg path splits scripts at every ';' and runs the pieces outside a transaction", () => {
    // A ';' in a comment, a string or a function body would cut a statement in two and leave a half-applied migration.
    for (const m of migrationList(defaultPaths().migrationsDir).migrationDirectories) {
      const sql = m.migrationFile.content.value;
      const comments = sql.split("\n").filter((l) => l.trim().startsWith("--") && l.includes(";"));
      expect(comments, m.path).toEqual([]);
      expect(sql.includes("$$"), `${m.path}: dollar-quoted bodies hold semicolons`).toBe(false);
      let quoted = false;
      let inString = false;
      for (const ch of sql.replace(/--.*$/gm, "")) {
        if (ch === "'") quoted = !quoted;
        else if (ch === ";" && quoted) inString = true;
      }
      expect(inString, `${m.path}: a string holds a ';'`).toBe(false);
    }
  });

  it("cover schema.prisma entirely: no change is missing a migration", async () => {
    const pg = new PGlite();
    const sql = await pendingSchemaSql(new PrismaPGlite(pg));
    await pg.close();
    expect(sql.replace(/^--.*$/gm, "").trim()).toBe("");
  }, 120_000);
});
