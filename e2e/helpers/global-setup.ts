import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { accountsFile } from "./accounts";
import { e2eEnv } from "./server-env";

/** Seed this run's accounts into the test database (the server under test uses the same one). */
export default function globalSetup() {
  const json = execFileSync(
    path.join(process.cwd(), "node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "e2e/helpers/seed-accounts.ts"],
    { env: { ...process.env, ...e2eEnv() }, encoding: "utf8" },
  );
  mkdirSync(path.dirname(accountsFile), { recursive: true });
  writeFileSync(accountsFile, json);
}
