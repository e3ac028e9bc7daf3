import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** KEY=VALUE lines of an env file the local stack writes ({} when it is missing). */
export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .map((l) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

/** The local stack's addresses (.stack/env), for test setup only; the app reads them through src/env.ts. */
export const readStackEnv = (root = process.cwd()): Record<string, string> => readEnvFile(path.join(root, ".stack", "env"));
