import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "@kubernetes/client-node";
import mysql from "mysql2/promise";
import { db } from "@/server/db";
import { addDomain } from "@/server/services/domains/add-domain";
import { deleteDomain } from "@/server/services/domains/delete-domain";
import { deploymentAvailable } from "@/server/integrations/kubernetes/client";
import { fromTxtContent } from "@/server/integrations/dkim/keys";
import { provisioningConfig } from "@/server/provisioning/config";
import { desiredRRSets } from "@/server/provisioning/dns-records";
import { domainNames } from "@/server/provisioning/values";
import { labelValue } from "@/server/provisioning/names";
import { roomyCustomer, uniq } from "../fixtures";
import { dovecotAuth, engine, stack } from "../helpers/provisioning";
import { createToxiproxy, type ProxyName } from "../helpers/toxiproxy";
import {
  pollUntil,
  runsOf,
  startWorkerProcess,
  throughProxies,
  waitForDomainGone,
  waitForDomainStatus,
  waitForMailRows,
  waitForStep,
  type WorkerProcess,
} from "../helpers/worker-process";

/**
 * Faults in the middle of a run, against the real systems: a service cut
 * between the worker and PowerDNS, the mail DB or the Kubernetes API server
 * (through Toxiproxy, never by stopping the shared service), and a worker
 * killed with SIGKILL. Workers run as their own processes (scripts/worker.ts)
 * on the test database this file uses, with a short lease.
 */

const toxi = createToxiproxy(stack.TOXIPROXY_URL ?? "");
const { kube, pdns } = engine().deps;
const config = provisioningConfig();
const actor = { userId: null, ip: "test" };
const tag = `faults-${process.pid}`;
const PASSWORD = "Harbor-Lights-77";

let customer: Awaited<ReturnType<typeof roomyCustomer>>;
const created: Array<{ id: string; name: string }> = [];
const workers: WorkerProcess[] = [];
const cleanups: Array<() => void> = [];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** On a failure, the workers' own words help: print them. */
function dumpWorkers() {
  for (const w of workers) console.error(`---- worker ${w.id} (pid ${w.pid}) ----\n${w.output().slice(-6_000)}`);
}

/**
 * A worker process of this file. One lane by default: a lane of the same
 * worker may claim a domain whose lease ran out while another lane is still
 * in a long step (see the known-bug test below), so only the cleaners, whose
 * lease is long, get more.
 */
function worker(id: string, opts: { proxied?: boolean; concurrency?: number; leaseSeconds?: number; env?: Record<string, string> } = {}) {
  let env: Record<string, string> | undefined = opts.env;
  if (opts.proxied) {
    const p = throughProxies(stack);
    cleanups.push(p.cleanup);
    env = { ...p.env, ...opts.env };
  }
  const w = startWorkerProcess({
    id: `${tag}-${id}`,
    env,
    concurrency: opts.concurrency ?? 1,
    leaseSeconds: opts.leaseSeconds ?? 3,
    pollMs: 100,
    stepMaxAttempts: 6,
  });
  workers.push(w);
  return w;
}

/** Waits until the worker process is up and polling (it prints "worker <id> started"). */
const ready = (w: WorkerProcess) =>
  pollUntil(`worker ${w.id} to start`, async () => (w.output().includes(`worker ${w.id} started`) ? true : undefined), { timeoutMs: 30_000, intervalMs: 50 });

async function newDomain(prefix: string, mailboxes: string[]) {
  const name = `${prefix}-${uniq()}.net`;
  const d = await addDomain(
    customer.scope,
    { domain: name, includeDatabase: false, mailUsers: mailboxes.map((localPart) => ({ localPart, password: PASSWORD })), aliases: [] },
    actor,
  );
  created.push({ id: d.id, name });
  return { id: d.id, name };
}

/** What shows a retry happened: a step of the given names on its second attempt or later, or a failed run (requeued). */
async function retryEvidence(domainId: string, stepNames: string[]): Promise<string | undefined> {
  const runs = await runsOf(domainId);
  const failedRun = runs.find((r) => r.status === "FAILED");
  if (failedRun) return `run ${failedRun.id} failed and was requeued: ${failedRun.error ?? ""}`;
  for (const r of runs) {
    const s = r.steps.find((st) => stepNames.includes(st.name) && st.attempt > 1);
    if (s) return `step ${s.name} on attempt ${s.attempt}: ${s.message ?? ""}`;
  }
  return undefined;
}

/**
 * Takes the proxy down until a retry of one of these steps is visible (and
 * for at least `minMs`), then brings it back. Returns how long it was down.
 */
async function outage(proxy: ProxyName, domainId: string, stepNames: string[], minMs = 2_000) {
  const started = Date.now();
  await toxi.disable(proxy);
  try {
    const evidence = await pollUntil(`a retry of ${stepNames.join("/")} while ${proxy} is down`, () => retryEvidence(domainId, stepNames), {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    const left = minMs - (Date.now() - started);
    if (left > 0) await sleep(left);
    return { downMs: Date.now() - started, evidence };
  } finally {
    await toxi.enable(proxy);
  }
}

/** After the domain converged: some step needed more than one attempt, or a run failed and a later one succeeded. */
async function expectRetryRecorded(domainId: string, stepNames: string[]) {
  const runs = await runsOf(domainId);
  const last = runs.at(-1);
  expect(last?.status).toBe("SUCCEEDED");
  expect(last?.steps.every((s) => s.status === "SUCCEEDED")).toBe(true);
  const retried = runs.flatMap((r) => r.steps).filter((s) => stepNames.includes(s.name) && s.attempt > 1);
  const failedRuns = runs.filter((r) => r.status === "FAILED");
  expect(retried.length + failedRuns.length, "a retry (attempt > 1) or a failed, requeued run").toBeGreaterThan(0);
  // A transient cut never makes the domain FAILED, and every failed run says why.
  for (const r of failedRuns) expect(r.error).toBeTruthy();
  return { runs: runs.length, retried: retried.map((s) => `${s.name}×${s.attempt}`), failedRuns: failedRuns.length };
}

/** Exactly one zone of that name; every rrset once, with the records Berth wants and no more. */
async function expectZoneOnce(name: string) {
  const zones = (await pdns.listZones()).filter((z) => z.name === `${name}.`);
  expect(zones).toHaveLength(1);
  const zone = await pdns.getZone(name);
  const rrsets = zone?.rrsets ?? [];
  const keys = rrsets.map((r) => `${r.name} ${r.type}`);
  expect(new Set(keys).size, `duplicate rrsets in ${keys.join(", ")}`).toBe(keys.length);
  for (const r of rrsets) {
    const contents = r.records.map((x) => x.content);
    expect(new Set(contents).size, `duplicate records in ${r.name} ${r.type}`).toBe(contents.length);
  }
  const dkim = rrsets.find((r) => r.name === `default._domainkey.${name}.` && r.type === "TXT");
  expect(dkim?.records).toHaveLength(1);
  const publicKeyBase64 = /p=([A-Za-z0-9+/=]+)/.exec(fromTxtContent(dkim?.records[0]?.content ?? ""))?.[1] ?? "";
  const desired = desiredRRSets({
    domain: name,
    ingressIPv4: config.ingressIPv4,
    ingressIPv6: config.ingressIPv6,
    mxHost: config.mxHost,
    spfInclude: config.spfInclude,
    dmarcRua: config.dmarcRua,
    dkim: { selector: "default", publicKeyBase64 },
  });
  for (const want of desired) {
    const live = rrsets.filter((r) => r.name === want.name && r.type === want.type);
    expect(live, `${want.name} ${want.type}`).toHaveLength(1);
    expect(live[0]?.records.map((x) => x.content).sort(), `${want.name} ${want.type}`).toEqual(want.records.map((x) => x.content).sort());
  }
  const ns = rrsets.find((r) => r.name === `${name}.` && r.type === "NS");
  expect(ns?.records.map((r) => r.content).sort()).toEqual([...config.nameservers].sort());
}

async function mailRows(name: string) {
  const conn = await mysql.createConnection(stack.MAIL_DB_URL ?? "");
  try {
    const [domains] = await conn.query<mysql.RowDataPacket[]>("SELECT id FROM virtual_domains WHERE name = ?", [name]);
    const [users] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT u.email FROM virtual_users u JOIN virtual_domains d ON d.id = u.domain_id WHERE d.name = ? ORDER BY u.email",
      [name],
    );
    const [byEmail] = await conn.query<mysql.RowDataPacket[]>("SELECT email FROM virtual_users WHERE email LIKE ? ORDER BY email", [`%@${name}`]);
    return { domains: domains.length, users: users.map((u) => String(u.email)), byEmail: byEmail.map((u) => String(u.email)) };
  } finally {
    await conn.end();
  }
}

/** Exactly one virtual_domains row, one virtual_users row per mailbox, and Dovecot lets each in. */
async function expectMailOnce(name: string, localParts: string[]) {
  const d = created.find((x) => x.name === name);
  if (d) await waitForMailRows(d.id);
  const rows = await mailRows(name);
  const want = localParts.map((l) => `${l}@${name}`).sort();
  expect(rows.domains).toBe(1);
  expect(rows.users).toEqual(want);
  expect(rows.byEmail).toEqual(want);
  for (const address of want) expect(await dovecotAuth(address, PASSWORD), `doveadm auth test ${address}`).toBe(0);
}

type Obj = KubernetesObject & { status?: Record<string, unknown> };

/** Each of the domain's Kubernetes objects exists once (by Berth's labels), and the Deployment is Available. */
async function expectKubeOnce(name: string) {
  const n = domainNames(name, customer.customer.number);
  const selector = `berth.io/domain=${labelValue(name)}`;
  const count = async (apiVersion: string, kind: string) => (await kube.list<Obj>(apiVersion, kind, { namespace: n.namespace, labelSelector: selector })).length;
  expect(await count("apps/v1", "Deployment")).toBe(1);
  expect(await count("v1", "Service")).toBe(1);
  expect(await count("networking.k8s.io/v1", "Ingress")).toBe(1);
  expect(await count("v1", "PersistentVolumeClaim")).toBe(1);
  expect((await kube.list<Obj>("v1", "Secret", { namespace: config.mailNamespace, labelSelector: selector })).length).toBe(1);
  for (const [apiVersion, kind, objName] of [
    ["v1", "Namespace", n.namespace],
    ["v1", "ResourceQuota", "tenant-quota"],
    ["v1", "LimitRange", "tenant-limits"],
    ["networking.k8s.io/v1", "NetworkPolicy", "default-deny"],
  ] as const) {
    const ns = kind === "Namespace" ? undefined : n.namespace;
    expect(await kube.observe({ apiVersion, kind, metadata: { name: objName, namespace: ns } }), `${kind} ${objName}`).not.toBeNull();
  }
  const deployment = await kube.observe<Obj & Parameters<typeof deploymentAvailable>[0]>({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: n.web, namespace: n.namespace } });
  expect(deployment && deploymentAvailable(deployment)).toBe(true);
}

beforeAll(async () => {
  expect(stack.TOXIPROXY_URL, "Toxiproxy is part of the local stack (scripts/stack/toxiproxy.sh)").toBeTruthy();
  await toxi.reset();
  customer = await roomyCustomer();
});

afterEach(async (ctx) => {
  await toxi.reset();
  if (ctx.task.result?.state === "fail") dumpWorkers();
});

afterAll(async () => {
  await toxi.reset();
  // Anything a failed test left behind goes through Berth itself, with a worker straight to the services.
  const left = await db.domain.findMany({ where: { id: { in: created.map((d) => d.id) } }, select: { id: true } });
  if (left.length) {
    for (const d of left) await deleteDomain(customer.scope, d.id, actor).catch(() => undefined);
    await db.domain.updateMany({ where: { id: { in: left.map((d) => d.id) } }, data: { leaseUntil: null, leaseOwner: null } });
    const w = worker("sweeper", { concurrency: 4, leaseSeconds: 60 });
    for (const d of left) await waitForDomainGone(d.id, { timeoutMs: 120_000 }).catch((e: unknown) => console.error(String(e)));
    await w.stop();
  }
  await Promise.all(workers.map((w) => w.kill()));
  for (const c of cleanups) c();
  // The namespace goes with the customer: this test customer is done.
  if (customer) await kube.remove({ apiVersion: "v1", kind: "Namespace", metadata: { name: `cust-${customer.customer.number}` } });
}, 180_000);

describe("a service cut between the worker and a real system in the middle of a run", () => {
  let w: WorkerProcess;
  beforeAll(() => {
    w = worker("proxied", { proxied: true });
  });
  afterAll(async () => {
    await toxi.reset();
    await w.stop();
  }, 120_000);

  it("PowerDNS down mid-run: the DNS steps retry visibly, the domain becomes ACTIVE, and PowerDNS holds one zone with each rrset once", async () => {
    const d = await newDomain("faults-dns", ["alice"]);
    // The run is under way (Kubernetes steps) and has not touched PowerDNS yet.
    await waitForStep(d.id, "storage", ["RUNNING", "SUCCEEDED"], { timeoutMs: 30_000 });
    const cut = await outage("pdns-api", d.id, ["dns-zone", "dns-records", "dkim", "spf-dmarc"]);
    await waitForDomainStatus(d.id, ["ACTIVE", "FAILED"], { timeoutMs: 60_000 });
    const row = await db.domain.findUniqueOrThrow({ where: { id: d.id } });
    expect(row.lastError).toBeNull();
    expect(row.status).toBe("ACTIVE");
    const retries = await expectRetryRecorded(d.id, ["dns-zone", "dns-records", "dkim", "spf-dmarc"]);
    await expectZoneOnce(d.name);
    await expectMailOnce(d.name, ["alice"]);
    console.info(`[faults] pdns-api down ${cut.downMs} ms (${cut.evidence}); ${JSON.stringify(retries)}`);
  }, 90_000);

  it("the mail DB down mid-run: the mail steps retry visibly, the domain becomes ACTIVE, one virtual_domains row, one row per mailbox, and Dovecot lets each mailbox in", async () => {
    const d = await newDomain("faults-mail", ["alice", "bob"]);
    // The run is under way and has not touched the mail DB yet: its first step is RUNNING (written
    // when the run opens; later steps' progress reaches the panel DB up to 200 ms late).
    await waitForStep(d.id, "storage", ["RUNNING", "SUCCEEDED"], { timeoutMs: 30_000 });
    const cut = await outage("mariadb", d.id, ["mail-domain", "mailbox", "dkim"]);
    await waitForDomainStatus(d.id, ["ACTIVE", "FAILED"], { timeoutMs: 60_000 });
    const row = await db.domain.findUniqueOrThrow({ where: { id: d.id } });
    expect(row.lastError).toBeNull();
    expect(row.status).toBe("ACTIVE");
    const retries = await expectRetryRecorded(d.id, ["mail-domain", "dkim"]);
    await expectMailOnce(d.name, ["alice", "bob"]);
    await expectZoneOnce(d.name);
    console.info(`[faults] mariadb down ${cut.downMs} ms (${cut.evidence}); ${JSON.stringify(retries)}`);
  }, 90_000);

  it("the Kubernetes API server down mid-run: the Kubernetes steps retry visibly, the domain becomes ACTIVE, each object exists once and the Deployment is Available", async () => {
    const d = await newDomain("faults-kube", ["alice"]);
    // The customer's objects are in place already (its own kind); the domain's Kubernetes steps:
    const kubeSteps = ["storage", "workload", "ingress", "dkim", "readiness"];
    // The run is under way (its first step, a Kubernetes write, is RUNNING: written when the run
    // opens); every Kubernetes step from there on is still ahead or in flight.
    await waitForStep(d.id, "storage", ["RUNNING", "SUCCEEDED"], { timeoutMs: 30_000 });
    const cut = await outage("kube-apiserver", d.id, kubeSteps);
    await waitForDomainStatus(d.id, ["ACTIVE", "FAILED"], { timeoutMs: 60_000 });
    const row = await db.domain.findUniqueOrThrow({ where: { id: d.id } });
    expect(row.lastError).toBeNull();
    expect(row.status).toBe("ACTIVE");
    const retries = await expectRetryRecorded(d.id, kubeSteps);
    await expectKubeOnce(d.name);
    await expectZoneOnce(d.name);
    await expectMailOnce(d.name, ["alice"]);
    console.info(`[faults] kube-apiserver down ${cut.downMs} ms (${cut.evidence}); ${JSON.stringify(retries)}`);
  }, 90_000);
});

describe("a worker killed in the middle of a run", () => {
  it("SIGKILL while a step runs: a second worker takes the lease over once it expires and finishes; the dead run is FAILED with 'worker stopped'; nothing is duplicated", async () => {
    const first = worker("doomed");
    const d = await newDomain("faults-kill", ["alice"]);
    // Kill it while a step is RUNNING (and not the last one, so work is really left).
    const running = await waitForStep(d.id, "workload", ["RUNNING", "SUCCEEDED"], { timeoutMs: 30_000 }).then(() =>
      pollUntil("a RUNNING step of the first run", async () => {
        const s = await db.provisioningStep.findFirst({ where: { run: { domainId: d.id, kind: "Domain" }, status: "RUNNING" }, include: { run: true } });
        return s ?? undefined;
      }, { timeoutMs: 30_000, intervalMs: 10 }),
    );
    const exit = await first.kill();
    expect(exit.signal).toBe("SIGKILL");
    expect(running.run.workerId).toBe(first.id);
    const orphan = await db.domain.findUniqueOrThrow({ where: { id: d.id } });
    expect(orphan.leaseOwner?.startsWith(`${first.id}/`)).toBe(true);
    expect(orphan.status).toBe("PROVISIONING");
    const leaseUntil = orphan.leaseUntil?.getTime() ?? 0;
    const deadRun = await db.provisioningRun.findUniqueOrThrow({ where: { id: running.run.id } });
    expect(deadRun.status).toBe("RUNNING");

    const second = worker("heir");
    await waitForDomainStatus(d.id, ["ACTIVE", "FAILED"], { timeoutMs: 60_000 });
    const row = await db.domain.findUniqueOrThrow({ where: { id: d.id } });
    expect(row.lastError).toBeNull();
    expect(row.status).toBe("ACTIVE");
    expect(row.observedGeneration).toBe(row.generation);
    expect(row.leaseOwner).toBeNull();

    const runs = await runsOf(d.id);
    expect(runs.map((r) => r.workerId)).toEqual([first.id, second.id]);
    const [dead, heir] = runs;
    expect(dead?.status).toBe("FAILED");
    expect(dead?.error).toMatch(/worker running this stopped/);
    expect(dead?.finishedAt).not.toBeNull();
    // The dead run's timeline is closed too: no step left "running" or "waiting".
    expect(dead?.steps.filter((s) => s.status === "RUNNING" || s.status === "PENDING")).toEqual([]);
    // The kill lands inside a step (now FAILED, "stopped") or just between two (the rest SKIPPED).
    expect(dead?.steps.some((s) => s.status === "SKIPPED" || (s.status === "FAILED" && /worker running this step stopped/.test(s.message ?? "")))).toBe(true);
    expect(heir?.status).toBe("SUCCEEDED");
    expect(heir?.steps.every((s) => s.status === "SUCCEEDED")).toBe(true);
    // Not before the lease ran out (both clocks are this machine's; 50 ms of rounding).
    expect(heir?.startedAt.getTime() ?? 0).toBeGreaterThanOrEqual(leaseUntil - 50);

    await expectKubeOnce(d.name);
    await expectZoneOnce(d.name);
    await expectMailOnce(d.name, ["alice"]);
    await second.stop();
    console.info(`[faults] killed during ${running.name}; heir started ${(heir?.startedAt.getTime() ?? 0) - leaseUntil} ms after the lease ran out`);
  }, 90_000);
});

describe("a step that lasts longer than the lease", () => {
  /*
   * A step can last longer than one lease (readiness waits up to
   * READINESS_TIMEOUT_SECONDS against a 30 s lease by default). The engine
   * renews the lease on a timer for as long as the run lasts, so another
   * worker never claims a domain whose worker is alive.
   */
  it("a live worker in a slow step keeps its lease (renewed while the run lasts): no second worker runs the same domain at the same time", async () => {
    const a = worker("slow-a", { proxied: true });
    const b = worker("slow-b", { proxied: true });
    await Promise.all([ready(a), ready(b)]);
    // Every answer of the API server 2 s late: the first request (TLS handshake included) outlasts the 3 s lease.
    await toxi.addToxic("kube-apiserver", { name: "slow", type: "latency", attributes: { latency: 2_000 } });
    const d = await newDomain("faults-slow", []);
    // Either a second run starts (the bug), or the first gets past its first slow step holding the lease.
    await pollUntil(
      "a second run, or the first past its storage step",
      async () => {
        const runs = await runsOf(d.id);
        return runs.length > 1 || runs[0]?.steps.find((s) => s.name === "storage")?.status === "SUCCEEDED" ? true : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 100 },
    );
    const during = await runsOf(d.id);
    await toxi.reset();
    await waitForDomainStatus(d.id, ["ACTIVE", "FAILED"], { timeoutMs: 60_000 });
    await Promise.all([a.stop(), b.stop()]);
    const runs = await runsOf(d.id);
    console.info(`[faults] slow step: ${runs.map((r) => `${r.workerId} ${r.status} ${r.error ?? ""}`).join(" | ")}`);
    expect((await db.domain.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("ACTIVE");
    expect(during.map((r) => r.workerId), "runs while the first worker was alive in its first step").toHaveLength(1);
    expect(runs.filter((r) => r.status === "FAILED").map((r) => r.error), "failed runs, with no worker dead").toEqual([]);
  }, 120_000);
});

describe("the panel DB cut in the middle of a step", () => {
  it("no step stays RUNNING: the run is closed on the next claim, and the domain converges", async () => {
    const db0 = new URL(process.env.DATABASE_URL ?? "");
    const proxyName = `panel-db-${process.pid}`;
    const proxy = await toxi.create(proxyName, "127.0.0.1:0", `${db0.hostname}:${db0.port || "5432"}`);
    cleanups.push(() => void toxi.remove(proxyName).catch(() => undefined));
    const through = new URL(db0.toString());
    through.host = proxy.listen;
    const w = worker("panel-db-cut", { env: { DATABASE_URL: through.toString() } });
    const d = await newDomain("faults-paneldb", []);
    // A step is under way (its row says RUNNING) when the worker loses the panel DB.
    const running = await pollUntil("a RUNNING step", async () => (await db.provisioningStep.findFirst({ where: { run: { domainId: d.id, kind: "Domain" }, status: "RUNNING" }, include: { run: true } })) ?? undefined, {
      timeoutMs: 30_000,
      intervalMs: 5,
    });
    await toxi.disable(proxyName);
    // Longer than the worker's lease (3 s): nobody holds the row when the panel DB is back.
    await sleep(4_000);
    await toxi.enable(proxyName);
    await waitForDomainStatus(d.id, ["ACTIVE", "FAILED"], { timeoutMs: 60_000 });
    expect((await db.domain.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("ACTIVE");
    const runs = await runsOf(d.id);
    // Every step of every run is closed: none RUNNING or PENDING.
    for (const r of runs) expect(r.steps.filter((st) => st.status === "RUNNING" || st.status === "PENDING").map((st) => `${r.id} ${st.name} ${st.status}`)).toEqual([]);
    const cut = runs.find((r) => r.id === running.run.id);
    expect(cut?.status).toBe("FAILED");
    expect(runs.at(-1)?.status).toBe("SUCCEEDED");
    console.info(`[faults] panel DB cut during ${running.name}: ${runs.map((r) => `${r.status}${r.error ? ` (${r.error})` : ""}`).join(" → ")}`);
    await w.stop();
  }, 120_000);
});

describe("cleaning up through Berth", () => {
  it("deleting every domain of this file with deleteDomain and a worker leaves nothing in PowerDNS, the mail DB or Kubernetes", async () => {
    const w = worker("cleaner", { concurrency: 4, leaseSeconds: 60 });
    const left = await db.domain.findMany({ where: { id: { in: created.map((d) => d.id) } }, select: { id: true, name: true } });
    for (const d of left) await deleteDomain(customer.scope, d.id, actor);
    for (const d of left) await waitForDomainGone(d.id, { timeoutMs: 90_000 });
    await w.stop();
    for (const d of left) {
      expect(await pdns.getZone(d.name), d.name).toBeNull();
      expect((await mailRows(d.name)).domains, d.name).toBe(0);
      expect((await mailRows(d.name)).byEmail, d.name).toEqual([]);
      const selector = `berth.io/domain=${labelValue(d.name)}`;
      for (const [apiVersion, kind] of [
        ["apps/v1", "Deployment"],
        ["v1", "Service"],
        ["networking.k8s.io/v1", "Ingress"],
        ["v1", "PersistentVolumeClaim"],
      ] as const) {
        expect(await kube.list(apiVersion, kind, { namespace: `cust-${customer.customer.number}`, labelSelector: selector }), `${kind} of ${d.name}`).toEqual([]);
      }
      expect(await kube.list("v1", "Secret", { namespace: config.mailNamespace, labelSelector: selector })).toEqual([]);
    }
  }, 120_000);
});
