import { defineConfig } from "prisma/config";

// Used by `prisma generate` (and by `prisma migrate deploy` where Prisma's
// native engine can be downloaded). Berth itself applies migrations with the
// wasm engine: scripts/db/migrate.ts and src/server/db/migrations.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx --conditions=react-server prisma/seed.ts" },
});
