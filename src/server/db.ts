import "server-only";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/env";

/**
 * The panel DB. PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set;
 * otherwise PostgreSQL embedded in this process (PGlite) under PGLITE_DIR. One
 * adapter factory is shared by the client and the migrator, because PGlite's
 * data directory can be open in one place only.
 */
type Globals = {
  berthAdapter?: SqlMigrationAwareDriverAdapterFactory;
  berthPrisma?: PrismaClient;
};
const g = globalThis as unknown as Globals;

export function adapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  if (!g.berthAdapter) {
    if (env.DATABASE_URL) {
      g.berthAdapter = new PrismaPg({ connectionString: env.DATABASE_URL, max: 10 });
    } else {
      mkdirSync(env.PGLITE_DIR, { recursive: true });
      g.berthAdapter = new PrismaPGlite(new PGlite(env.PGLITE_DIR));
    }
  }
  return g.berthAdapter;
}

export const db: PrismaClient = (g.berthPrisma ??= new PrismaClient({ adapter: adapterFactory() }));

export const dbMode = (): "postgresql" | "pglite" => (env.DATABASE_URL ? "postgresql" : "pglite");
