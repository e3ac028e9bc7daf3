import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { provisioningConfig } from "@/server/provisioning/config";
import { provisioningDeps } from "@/server/provisioning/deps";
import { drain } from "@/server/provisioning/engine/drain";
import { readStackEnv } from "../setup/stack-env";

export const run = promisify(execFile);
export const stack = readStackEnv();

export const engine = () => ({ workerId: `test-${process.pid}`, config: provisioningConfig(), deps: provisioningDeps() });

/** Reconcile everything due, in this process, like a worker would. */
export const reconcileAll = (concurrency = 4) => drain({ ...engine(), concurrency });

/** What PowerDNS serves, asked with dig; retried because its packet cache can lag. */
export async function dig(name: string, type: string, want: (lines: string[]) => boolean = (l) => l.length > 0): Promise<string[]> {
  const [host, port] = (stack.PDNS_DNS_ADDRESS ?? "127.0.0.1:53").split(":");
  let lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    const { stdout } = await run("dig", [`@${host}`, "-p", String(port), "+short", "+norecurse", name, type]);
    lines = stdout.trim().split("\n").filter(Boolean);
    if (want(lines)) return lines;
    await new Promise((r) => setTimeout(r, 250));
  }
  return lines;
}

/** Dovecot's verdict on a login: 0 yes, 77 no. */
export async function dovecotAuth(user: string, password: string): Promise<number> {
  try {
    await run("doveadm", ["-c", stack.DOVECOT_CONF ?? "", "auth", "test", user, password], { timeout: 20_000 });
    return 0;
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
}

/** Postfix's own MySQL lookup with the project's map files. */
export async function postmap(map: string, key: string): Promise<string | null> {
  try {
    const { stdout } = await run("postmap", ["-q", key, `mysql:${stack.POSTFIX_MAP_DIR}/${map}.cf`]);
    return stdout.trim();
  } catch {
    return null;
  }
}
