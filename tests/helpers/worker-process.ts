import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { StepStatus } from "@/generated/prisma/client";
import { db } from "@/server/db";

/**
 * Provisioning workers as their own processes (scripts/worker.ts), for tests
 * that kill a worker or cut a service between a worker and the systems it
 * reconciles. Each child is one `node` process (no tsx relay, no shell), so
 * SIGKILL really kills the worker and nothing keeps running behind it.
 *
 *   const w = startWorkerProcess({ id: "faults-a", env: throughProxies(stack) });
 *   await waitForStep(domainId, "ingress", ["RUNNING", "SUCCEEDED"]);
 *   await w.kill();
 *
 * A worker claims every due domain of the database it is given: give it the
 * test database this process uses (the default), never a shared one.
 */

const ROOT = process.cwd();

export type WorkerExit = { code: number | null; signal: NodeJS.Signals | null };

export type WorkerProcess = {
  id: string;
  pid: number;
  /** Everything the worker wrote to stdout and stderr so far. */
  output(): string;
  /** Settles when the process has exited. */
  exited: Promise<WorkerExit>;
  /** SIGTERM (the worker finishes its runs in flight), then waits; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<WorkerExit>;
  /** SIGKILL: the worker dies wherever it is, its leases and RUNNING rows left behind. */
  kill(): Promise<WorkerExit>;
};

export type WorkerOptions = {
  /** WORKER_ID: names the worker in leases and runs. */
  id: string;
  /** More environment for the child (wins over everything else), e.g. throughProxies(stack). */
  env?: Record<string, string | undefined>;
  leaseSeconds?: number;
  pollMs?: number;
  concurrency?: number;
  stepMaxAttempts?: number;
  readinessTimeoutSeconds?: number;
  /** Called once the process has exited (e.g. to remove temporary files). */
  onExit?: () => void;
};

/** Starts `node --conditions=react-server --import tsx scripts/worker.ts` with the given configuration. */
export function startWorkerProcess(opts: WorkerOptions): WorkerProcess {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("startWorkerProcess: DATABASE_URL is not set (tests/setup/env.ts sets it to the test database)");
  const env: Record<string, string> = {};
  // Only what a node process needs, plus the worker's configuration: src/env.ts fills the rest from .stack/env.
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG", "BERTH_STACK_DIR"]) {
    const v = process.env[k];
    if (v) env[k] = v;
  }
  Object.assign(env, {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    WORKER_ENABLED: "true",
    WORKER_ID: opts.id,
    WORKER_LEASE_SECONDS: String(opts.leaseSeconds ?? 3),
    WORKER_POLL_MS: String(opts.pollMs ?? 100),
    WORKER_CONCURRENCY: String(opts.concurrency ?? 2),
    STEP_MAX_ATTEMPTS: String(opts.stepMaxAttempts ?? 6),
    READINESS_TIMEOUT_SECONDS: String(opts.readinessTimeoutSeconds ?? 60),
  });
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;

  const child: ChildProcess = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`startWorkerProcess: could not start worker ${opts.id}`);
  let out = "";
  const append = (chunk: Buffer) => {
    out += chunk.toString("utf8");
    // Keep the tail only: a worker that loops on errors must not fill the test's memory.
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<WorkerExit>((resolve) => {
    child.once("exit", (code, signal) => {
      opts.onExit?.();
      resolve({ code, signal });
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;

  const worker: WorkerProcess = {
    id: opts.id,
    pid: child.pid,
    output: () => out,
    exited,
    async stop(graceMs = 90_000) {
      if (!alive()) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (alive()) child.kill("SIGKILL");
      }, graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    async kill() {
      if (alive()) child.kill("SIGKILL");
      return exited;
    },
  };
  return worker;
}

/**
 * Environment that sends a worker's PowerDNS, mail DB and Kubernetes traffic
 * through Toxiproxy (scripts/stack/toxiproxy.sh), so a test can cut each one
 * without stopping the shared service. The kubeconfig is a temporary copy of
 * the stack's with the cluster server replaced (the apiserver's certificate
 * is valid for 127.0.0.1); `cleanup()` removes it.
 */
export function throughProxies(stack: Record<string, string>): { env: Record<string, string>; cleanup: () => void } {
  const need = (k: string) => {
    const v = stack[k];
    if (!v) throw new Error(`throughProxies: ${k} is not in .stack/env (run scripts/stack/toxiproxy.sh up)`);
    return v;
  };
  const mailUrl = new URL(need("MAIL_DB_URL"));
  mailUrl.host = need("TOXI_MARIADB_ADDRESS");

  const kubeServer = need("TOXI_KUBE_SERVER");
  const original = readFileSync(need("KUBECONFIG"), "utf8");
  let replaced = 0;
  const kubeconfig = original.replace(/^(\s*server:\s*).*$/gm, (_m, prefix: string) => {
    replaced++;
    return `${prefix}${kubeServer}`;
  });
  if (replaced === 0) throw new Error("throughProxies: no `server:` line in the stack's kubeconfig");
  const dir = mkdtempSync(path.join(tmpdir(), "berth-worker-"));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });

  return {
    env: { PDNS_API_URL: need("TOXI_PDNS_API_URL"), MAIL_DB_URL: mailUrl.toString(), KUBECONFIG: kubeconfigPath },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` every `intervalMs` until it returns a value other than undefined; throws with `what` at the deadline. */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${opts.timeoutMs ?? 60_000} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    }
    await sleep(opts.intervalMs ?? 50);
  }
}

/** Waits until the domain row has one of these statuses; returns the row. */
export async function waitForDomainStatus(domainId: string, statuses: string[], opts: { timeoutMs?: number; intervalMs?: number } = {}) {
  let seen = "(no row)";
  try {
    return await pollUntil(
      `domain ${domainId} to be ${statuses.join(" or ")}`,
      async () => {
        const row = await db.domain.findUnique({ where: { id: domainId } });
        seen = row ? `${row.status}${row.lastError ? ` (${row.lastError})` : ""}` : "(no row)";
        return row && statuses.includes(row.status) ? row : undefined;
      },
      { intervalMs: 100, ...opts },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen: ${seen}`);
  }
}

/** Waits until the domain row is gone (a finished deletion). */
export async function waitForDomainGone(domainId: string, opts: { timeoutMs?: number; intervalMs?: number } = {}) {
  await pollUntil(
    `domain ${domainId} to be deleted`,
    async () => ((await db.domain.findUnique({ where: { id: domainId }, select: { id: true } })) ? undefined : true),
    { intervalMs: 100, ...opts },
  );
}

/**
 * Waits until the named step of the domain's newest run has one of these
 * statuses; returns that step with its run. With `runId`, looks at that run only.
 */
export async function waitForStep(
  domainId: string,
  stepName: string,
  statuses: StepStatus[],
  opts: { timeoutMs?: number; intervalMs?: number; runId?: string } = {},
) {
  return pollUntil(
    `step ${stepName} of domain ${domainId} to be ${statuses.join(" or ")}`,
    async () => {
      const step = await db.provisioningStep.findFirst({
        where: { name: stepName, run: opts.runId ? { id: opts.runId } : { domainId, kind: { in: ["Domain", "Mailbox", "Alias"] } } },
        orderBy: { run: { startedAt: "desc" } },
        include: { run: { select: { id: true, status: true, workerId: true, startedAt: true } } },
      });
      return step && statuses.includes(step.status) ? step : undefined;
    },
    { timeoutMs: opts.timeoutMs, intervalMs: opts.intervalMs ?? 25 },
  );
}

/** Waits until every mailbox and alias of the domain is applied (they follow the domain, each by its own run). */
export async function waitForMailRows(domainId: string, opts: { timeoutMs?: number } = {}) {
  await pollUntil(
    `the mailboxes and aliases of domain ${domainId} to be applied`,
    async () => {
      const pending = (await db.$queryRaw<Array<{ n: bigint }>>`
        SELECT count(*) AS n FROM (
          SELECT 1 FROM "Mailbox" WHERE "domainId" = ${domainId} AND "observedGeneration" < generation
          UNION ALL SELECT 1 FROM "Alias" WHERE "domainId" = ${domainId} AND "observedGeneration" < generation) t`)[0]?.n;
      return pending === 0n ? true : undefined;
    },
    { intervalMs: 100, timeoutMs: opts.timeoutMs ?? 60_000 },
  );
}

/** The domain's own runs (not its mailboxes' or aliases'), oldest first, with their steps in order. */
export async function runsOf(domainId: string) {
  return db.provisioningRun.findMany({
    where: { domainId, kind: "Domain" },
    orderBy: { startedAt: "asc" },
    include: { steps: { orderBy: { position: "asc" } } },
  });
}
