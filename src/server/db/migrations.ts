import "server-only";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * Prisma's own schema engine, compiled to WebAssembly, driven over a driver
 * adapter. The native engine binary cannot be downloaded on our machines; the
 * wasm build is the same engine, so migrations stay in Prisma's standard
 * folder format and `prisma migrate deploy` keeps working for online users.
 */
type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

export type MigrationPaths = { schemaFile: string; migrationsDir: string };

export function defaultPaths(root = process.cwd()): MigrationPaths {
  return {
    schemaFile: path.join(root, "prisma", "schema.prisma"),
    migrationsDir: path.join(root, "prisma", "migrations"),
  };
}

let engineModule: Promise<{ SchemaEngine: { new: (...a: unknown[]) => Promise<Engine> } }> | undefined;

async function loadEngineModule() {
  engineModule ??= (async () => {
    // Resolved at run time from the app's own node_modules (also in the
    // standalone output, where the wasm file is traced in by next.config.ts).
    const req = createRequire(path.join(process.cwd(), "package.json"));
    const bgPath = req.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ bgPath)) as Record<
      string,
      unknown
    > & { __wbg_set_wasm(x: unknown): void };
    const bytes = readFileSync(/* turbopackIgnore: true */ path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return bg as unknown as { SchemaEngine: { new: (...a: unknown[]) => Promise<Engine> } };
  })();
  return engineModule;
}

async function withEngine<T>(
  schemaFile: string,
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: Engine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const datamodel = readFileSync(/* turbopackIgnore: true */ schemaFile, "utf8");
  const log = () => {};
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaFile, datamodel]] },
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

export function migrationList(migrationsDir: string) {
  const dirs = existsSync(/* turbopackIgnore: true */ migrationsDir)
    ? readdirSync(/* turbopackIgnore: true */ migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(/* turbopackIgnore: true */ path.join(migrationsDir, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
    : [];
  const lock = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(/* turbopackIgnore: true */ lock) ? readFileSync(/* turbopackIgnore: true */ lock, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(/* turbopackIgnore: true */ path.join(migrationsDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

const noFilter = { externalTables: [], externalEnums: [] };

/** Apply pending migrations (what `prisma migrate deploy` does). Returns their names. */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  paths: MigrationPaths = defaultPaths(),
): Promise<string[]> {
  return withEngine(paths.schemaFile, factory, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: migrationList(paths.migrationsDir), filters: noFilter });
    return out.appliedMigrationNames;
  });
}

/**
 * The SQL that takes a database with every committed migration applied to the
 * current schema.prisma, computed against `scratch` (an empty database).
 */
export async function pendingSchemaSql(
  scratch: SqlMigrationAwareDriverAdapterFactory,
  paths: MigrationPaths = defaultPaths(),
): Promise<string> {
  return withEngine(paths.schemaFile, scratch, async (engine) => {
    await engine.applyMigrations({ migrationsList: migrationList(paths.migrationsDir), filters: noFilter });
    const files = [{ path: paths.schemaFile, content: readFileSync(/* turbopackIgnore: true */ paths.schemaFile, "utf8") }];
    const out = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: path.dirname(paths.schemaFile) },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return out.stdout ?? "";
  });
}
