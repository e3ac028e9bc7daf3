/**
 * Benchmark of the reconciler by kinds (npm run bench:kinds):
 *   1. a burst of --burst addDomain calls with one mailbox each: how long the
 *      calls take and the event loop's delay meanwhile (bcrypt in threads),
 *      then provisioning throughput, main-thread CPU and panel-DB statements
 *      per domain, and every process's CPU per domain;
 *   2. a resync of --domains unchanged domains over --customers customers:
 *      wall time, writes to Kubernetes, PowerDNS and the mail DB, panel-DB
 *      rows written per domain;
 *   3. a mailbox password change, request → Dovecot accepts it, p50/p95.
 * Its own panel DB (berth_bench); everything it made is deleted at the end.
 *
 *   tsx --conditions=react-server scripts/bench/kinds.ts [--domains 1000] [--customers 50] [--burst 200] [--changes 20]
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { promisify } from "node:util";
import pg from "pg";
import { openBenchDatabase } from "./bench-db";
import { cpuByProcess, cpuDelta } from "./cpu";

const num = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const n = i < 0 ? def : Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a whole number`);
  return n;
};
const DOMAINS = num("domains", 1000);
const CUSTOMERS = Math.max(1, num("customers", 50));
const BURST = Math.min(num("burst", 200), DOMAINS);
const CHANGES = num("changes", 20);
const CAP_MS = 15 * 60_000;

const { benchUrl, lockClient } = await openBenchDatabase("berth-bench-provision");
// Count every statement this process sends to the panel DB (Prisma's adapter and raw SQL both go through pg.Client#query).
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const { PrismaPg } = await import("@prisma/adapter-pg");
await (await import("@/server/db/migrations")).applyMigrations(new PrismaPg({ connectionString: benchUrl }));
await lockClient.query(`SELECT setval('"Customer_number_seq"', GREATEST((SELECT last_value FROM "Customer_number_seq"), 600000))`);
const { db } = await import("@/server/db");
const { addDomain } = await import("@/server/services/domains/add-domain");
const { deleteCustomer } = await import("@/server/services/customers/delete-customer");
const { changeMailboxPassword } = await import("@/server/services/mail/change-password");
const { provisioningConfig } = await import("@/server/provisioning/config");
const { provisioningDeps } = await import("@/server/provisioning/deps");
const { startWorker, newWorkerId } = await import("@/server/provisioning/worker");
const { env } = await import("@/env");

const config = { ...provisioningConfig(), resyncIntervalMs: 24 * 3600_000 };
const deps = provisioningDeps();
const actor = { userId: null, ip: "bench" };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const f1 = (n: number) => n.toFixed(1);

async function until(what: string, probe: () => Promise<boolean>) {
  const deadline = Date.now() + CAP_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`bench: gave up waiting for ${what}`);
    await sleep(200);
  }
}
const pendingRows = async () =>
  (await db.domain.count({ where: { OR: [{ status: { not: "ACTIVE" } }] } })) + (await db.mailbox.count({ where: { status: { not: "ACTIVE" } } })) + (await db.customer.count({ where: { status: { not: "ACTIVE" } } }));

const plan = await db.plan.upsert({
  where: { slug: "bench-roomy" },
  create: { slug: "bench-roomy", name: "Bench", cpuRequestM: 64000, cpuLimitM: 128000, memoryRequestMi: 262144, memoryLimitMi: 524288, maxPvcs: 500, storageGi: 5000, maxMailboxes: null, maxDomains: null },
  update: {},
});
const partner = await db.partner.create({ data: { slug: `bench-${randomBytes(3).toString("hex")}`, name: "Bench" } });
const customers = await Promise.all(Array.from({ length: CUSTOMERS }, (_, i) => db.customer.create({ data: { name: `Bench ${i}`, partnerId: partner.id, planId: plan.id } })));
const scopeOf = (i: number) => {
  const c = customers[i % customers.length];
  if (!c) throw new Error("no customer");
  return { kind: "customer" as const, customerId: c.id, partnerId: partner.id };
};
const tag = randomBytes(3).toString("hex");
const workerId = newWorkerId();
const worker = startWorker({ workerId, config, deps, concurrency: 16, pollMs: 1000, databaseUrl: env.DATABASE_URL, log: () => undefined });
const cleanup = async () => {
  await worker.stop();
  const cleaner = startWorker({ workerId: `${workerId}-cleanup`, config, deps, concurrency: 16, pollMs: 1000, databaseUrl: env.DATABASE_URL, log: () => undefined });
  for (const c of customers) await deleteCustomer({ kind: "platform" }, c.id, actor).catch(() => undefined);
  const t0 = Date.now();
  await until("the bench's customers to be deleted", async () => (await db.customer.count({ where: { partnerId: partner.id } })) === 0).catch((e: unknown) => console.error(String(e)));
  console.log(`cleanup: ${customers.length} customers and their domains deleted through the engine in ${f1((Date.now() - t0) / 1000)} s`);
  await cleaner.stop();
};
process.on("SIGINT", () => void cleanup().finally(() => process.exit(130)));

try {
  // 1. A burst of addDomain calls, each with a mailbox (bcrypt), then provisioning.
  await until("the customers' namespaces", async () => (await db.customer.count({ where: { partnerId: partner.id, status: "ACTIVE" } })) === CUSTOMERS);
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = cpuByProcess("berth (bench process)");
  const s0 = statements;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      addDomain(scopeOf(i), { domain: `b${i}-${tag}.bench-kinds.net`, includeDatabase: false, mailUsers: [{ localPart: "info", password: "Bench-password-1" }], aliases: [] }, actor),
    ),
  );
  const addMs = performance.now() - t0;
  eld.disable();
  await until("the burst to be provisioned", async () => (await pendingRows()) === 0);
  const burstS = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(elu0);
  const byProcess = cpuDelta(cpu0, cpuByProcess("berth (bench process)"));
  const total = byProcess.reduce((a, [, v]) => a + v, 0);
  const others = byProcess.filter(([n]) => !n.startsWith("berth")).reduce((a, [, v]) => a + v, 0);
  console.log(`\n1. burst of ${BURST} addDomain calls (1 mailbox each), ${CUSTOMERS} customers`);
  console.log(`   addDomain calls returned in ${f1(addMs / 1000)} s; event-loop delay p50 ${f1(eld.percentile(50) / 1e6)} ms, p99 ${f1(eld.percentile(99) / 1e6)} ms, max ${f1(eld.max / 1e6)} ms`);
  console.log(`   provisioned (domains, mailboxes ACTIVE) in ${f1(burstS)} s → ${f1(BURST / burstS)} domains/s`);
  console.log(`   Berth's main thread busy ${f1(elu.active / BURST)} ms per domain (bcrypt and RSA run in worker threads, not counted); panel-DB statements ${f1((statements - s0) / BURST)} per domain (mailbox runs included)`);
  console.log(`   CPU per domain, all processes: ${f1((total * 1000) / BURST)} core-ms; not Berth's ${f1((others * 1000) / BURST)} core-ms → ceiling ${f1(2000 / ((others * 1000) / BURST))} domains/s on 2 cores`);
  for (const [name, v] of byProcess.slice(0, 8)) console.log(`     ${name.padEnd(28)} ${f1((v * 1000) / BURST)} core-ms/domain`);

  // 2. Top up to DOMAINS, then resync them all unchanged.
  const rest = DOMAINS - BURST;
  for (let i = 0; i < rest; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, rest - i) }, (_, j) => addDomain(scopeOf(i + j), { domain: `r${i + j}-${tag}.bench-kinds.net`, includeDatabase: false, mailUsers: [], aliases: [] }, actor)),
    );
  }
  await until(`${DOMAINS} domains to be provisioned`, async () => (await pendingRows()) === 0);
  const before = await externalState();
  await sleep(1500); // let pg_stat counters settle
  const rows0 = await rowsWritten();
  const mark = new Date();
  const t1 = performance.now();
  await db.domain.updateMany({ data: { dueAt: new Date(0) } });
  await db.customer.updateMany({ where: { partnerId: partner.id }, data: { dueAt: new Date(0) } });
  await until("every domain to be checked", async () => (await db.domain.count({ where: { OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: mark } }] } })) === 0);
  const resyncS = (performance.now() - t1) / 1000;
  await sleep(1500);
  const rows = (await rowsWritten()) - rows0 - 2 * DOMAINS - CUSTOMERS; // minus the two marking updates above
  const after = await externalState();
  const runs = await db.provisioningRun.count({ where: { startedAt: { gte: mark } } });
  console.log(`\n2. resync of ${DOMAINS} unchanged domains over ${CUSTOMERS} customers: ${f1(resyncS)} s (${f1(DOMAINS / resyncS)} domains/s)`);
  console.log(`   writes: Kubernetes ${diff(before.kube, after.kube)} objects, PowerDNS ${diff(before.zones, after.zones)} zones, mail DB ${diff(before.mail, after.mail)} rows; runs recorded ${runs}`);
  console.log(`   panel-DB rows written: ${f1(rows / (DOMAINS + CUSTOMERS))} per object (claim + release; lease renewals included)`);

  // 3. Mailbox password changes: request → Dovecot accepts the new password.
  const box = await db.mailbox.findFirstOrThrow({ where: { domain: { customer: { partnerId: partner.id } } }, select: { id: true, address: true, domain: { select: { customerId: true } } } });
  const times: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const password = `Changed-${i}-${randomBytes(4).toString("hex")}`;
    const t = performance.now();
    await changeMailboxPassword({ kind: "customer", customerId: box.domain.customerId, partnerId: partner.id }, { mailboxId: box.id, password }, actor);
    await until("Dovecot to accept the new password", () => dovecotAccepts(box.address, password));
    times.push(performance.now() - t);
  }
  if (times.length) console.log(`\n3. mailbox password change → Dovecot accepts it: p50 ${f1(pct(times, 50))} ms, p95 ${f1(pct(times, 95))} ms (${times.length} changes)`);
} finally {
  await cleanup();
  await lockClient.end();
  await db.$disconnect();
  await deps.mail.close();
}
process.exit(0);

async function dovecotAccepts(user: string, password: string): Promise<boolean> {
  // A wrong password makes Dovecot wait (auth_failure_delay): check the row first, then ask Dovecot once.
  const row = await deps.mail.getMailbox(user);
  const hash = (await db.mailbox.findUniqueOrThrow({ where: { address: user }, select: { passwordHash: true } })).passwordHash;
  if (row?.passwordHash !== hash) return false;
  try {
    await promisify(execFile)("doveadm", ["-c", env.DOVECOT_CONF ?? "", "auth", "test", user, password], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

async function rowsWritten(): Promise<number> {
  const r = await lockClient.query<{ n: string }>("SELECT COALESCE(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) AS n FROM pg_stat_user_tables");
  return Number(r.rows[0]?.n ?? 0);
}

function diff(a: Map<string, string>, b: Map<string, string>): number {
  let n = 0;
  for (const [k, v] of b) if (a.get(k) !== v) n++;
  for (const k of a.keys()) if (!b.has(k)) n++;
  return n;
}

/** Every Berth object's resourceVersion, every bench zone's serial, every bench mail row's updated_at. */
async function externalState() {
  const kube = new Map<string, string>();
  for (const [apiVersion, kind] of [["v1", "Namespace"], ["v1", "ResourceQuota"], ["v1", "LimitRange"], ["networking.k8s.io/v1", "NetworkPolicy"], ["v1", "PersistentVolumeClaim"], ["apps/v1", "Deployment"], ["v1", "Service"], ["networking.k8s.io/v1", "Ingress"], ["v1", "Secret"]] as const) {
    for (const o of await deps.kube.list(apiVersion, kind, { labelSelector: "app.kubernetes.io/managed-by=berth" })) kube.set(`${kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o.metadata?.resourceVersion ?? "");
  }
  const zones = new Map<string, string>();
  for (const z of await deps.pdns.listZones()) if (z.name.endsWith(`.bench-kinds.net.`)) zones.set(z.name, String(z.serial));
  const mail = new Map<string, string>();
  const conn = await (await import("mysql2/promise")).createConnection(env.MAIL_DB_URL ?? "");
  try {
    for (const t of ["virtual_domains", "virtual_users", "dkim_selectors"]) {
      const [rows] = await conn.query<Array<{ id: number; updated_at: string } & import("mysql2").RowDataPacket>>(`SELECT id, updated_at FROM ${t}`);
      for (const r of rows) mail.set(`${t}/${r.id}`, String(r.updated_at));
    }
  } finally {
    await conn.end();
  }
  return { kube, zones, mail };
}
