import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The local stack's addresses (.stack/env), for test setup only; the app reads them through src/env.ts. */
export function readStackEnv(root = process.cwd()): Record<string, string> {
  const file = path.join(root, ".stack", "env");
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .map((l) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}
