import { afterAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "@kubernetes/client-node";
import mysql from "mysql2/promise";
import { db } from "@/server/db";
import { STEP_CATALOG } from "@/lib/provisioning/catalog";
import { addDomain } from "@/server/services/domains/add-domain";
import { deleteDomain } from "@/server/services/domains/delete-domain";
import { changePlan } from "@/server/services/customers/change-plan";
import { deleteCustomer } from "@/server/services/customers/delete-customer";
import { changeMailboxPassword } from "@/server/services/mail/change-password";
import { platformDueNow } from "@/server/provisioning/kinds/platform/kind";
import { domainNames } from "@/server/provisioning/values";
import { roomyCustomer, roomyPlan, uniq } from "../fixtures";
import { dig, dovecotAuth, engine, reconcileAll, stack } from "../helpers/provisioning";

const { kube, pdns, mail } = engine().deps;
const actor = { userId: null, ip: "test" };
const leftovers: Array<{ id: string; scope: Awaited<ReturnType<typeof roomyCustomer>>["scope"] }> = [];

afterAll(async () => {
  for (const d of leftovers) await deleteDomain(d.scope, d.id, actor).catch(() => undefined);
  if (leftovers.length) await reconcileAll();
}, 180_000);

type Obj = KubernetesObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

async function mailUser(email: string) {
  const conn = await mysql.createConnection(stack.MAIL_DB_URL ?? "");
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>("SELECT email, password, updated_at FROM virtual_users WHERE email = ?", [email]);
    return rows[0] ?? null;
  } finally {
    await conn.end();
  }
}

const runsSince = (since: Date) => db.provisioningRun.findMany({ where: { startedAt: { gte: since } }, select: { kind: true, objectId: true, action: true, status: true, steps: { select: { name: true } } } });

describe("the platform's own zone (kind Platform)", () => {
  it("publishes what customers' NS, MX and SPF point at, and a resync that finds it in place writes no run", async () => {
    await platformDueNow();
    await reconcileAll();
    const zone = await pdns.getZone("berth.test");
    expect(zone?.account).toBe("berth:platform");
    expect(await dig("ns1.berth.test", "A")).toEqual(["127.0.0.1"]);
    expect(await dig("ns2.berth.test", "A")).toEqual(["127.0.0.1"]);
    expect(await dig("panel.berth.test", "A")).toEqual(["127.0.0.1"]);
    expect(await dig("mail.berth.test", "A")).toEqual(["127.0.0.1"]);
    expect((await dig("berth.test", "MX"))[0]).toBe("10 mail.berth.test.");
    expect((await dig("_spf.berth.test", "TXT")).join("")).toContain("v=spf1 ip4:127.0.0.1 -all");
    expect((await dig("_dmarc.berth.test", "TXT")).join("")).toContain("v=DMARC1; p=quarantine; rua=mailto:dmarc@berth.test");
    // Any customer domain may send DMARC reports to the platform's address (RFC 7489 §7.1).
    expect((await dig("example-customer.com._report._dmarc.berth.test", "TXT")).join("")).toContain("v=DMARC1");

    const serial = zone?.serial;
    const since = new Date();
    await platformDueNow();
    await reconcileAll();
    expect(await runsSince(since)).toEqual([]);
    expect((await pdns.getZone("berth.test"))?.serial).toBe(serial);
    expect((await db.platform.findUniqueOrThrow({ where: { id: "platform" } })).lastCheckedAt?.getTime()).toBeGreaterThanOrEqual(since.getTime() - 1000);
  }, 60_000);
});

describe("customers, mailboxes and plans as kinds of their own", () => {
  it("a mailbox password change runs that mailbox alone and writes only its row; Dovecot takes the new password", async () => {
    const { scope } = await roomyCustomer();
    const name = `pw-${uniq()}.net`;
    const d = await addDomain(scope, { domain: name, includeDatabase: false, mailUsers: [{ localPart: "ann", password: "Old-password-1" }, { localPart: "bob", password: "Bobs-password-2" }], aliases: [] }, actor);
    leftovers.push({ id: d.id, scope });
    await reconcileAll();
    expect(await dovecotAuth(`ann@${name}`, "Old-password-1")).toBe(0);
    const bobBefore = await mailUser(`bob@${name}`);
    const annBefore = await mailUser(`ann@${name}`);
    const ann = await db.mailbox.findUniqueOrThrow({ where: { address: `ann@${name}` } });

    const since = new Date();
    await changeMailboxPassword(scope, { mailboxId: ann.id, password: "New-password-3" }, actor);
    await reconcileAll();
    const runs = await runsSince(since);
    expect(runs.map((r) => `${r.kind} ${r.action} ${r.status} ${r.steps.map((s) => s.name).join(",")}`)).toEqual(["Mailbox APPLY SUCCEEDED mailbox"]);
    expect(runs[0]?.objectId).toBe(ann.id);
    expect(await dovecotAuth(`ann@${name}`, "New-password-3")).toBe(0);
    expect(await dovecotAuth(`ann@${name}`, "Old-password-1")).toBe(77);
    expect((await mailUser(`ann@${name}`))?.password).not.toBe(annBefore?.password);
    expect(await mailUser(`bob@${name}`)).toEqual(bobBefore);
  }, 120_000);

  it("a plan change reconciles the customer once and each of its domains once, and their objects follow the plan", async () => {
    const { customer, scope } = await roomyCustomer();
    const names = [`plan-a-${uniq()}.net`, `plan-b-${uniq()}.net`];
    const ids: string[] = [];
    for (const name of names) {
      const d = await addDomain(scope, { domain: name, includeDatabase: false, mailUsers: [], aliases: [] }, actor);
      leftovers.push({ id: d.id, scope });
      ids.push(d.id);
    }
    await reconcileAll();
    const bigger = await roomyPlan(2);
    const since = new Date();
    const r = await changePlan({ kind: "platform" }, customer.id, bigger.slug, actor);
    expect(r.domains).toBe(2);
    await reconcileAll();
    const runs = await runsSince(since);
    expect(runs.filter((x) => x.kind === "Customer").map((x) => `${x.action} ${x.status}`)).toEqual(["APPLY SUCCEEDED"]);
    expect(runs.filter((x) => x.kind === "Domain").map((x) => x.objectId).sort()).toEqual([...ids].sort());
    expect(runs.every((x) => x.status === "SUCCEEDED")).toBe(true);
    for (const name of names) {
      const n = domainNames(name, customer.number);
      const dep = await kube.observe<Obj>({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: n.web, namespace: n.namespace } });
      expect(dep?.spec?.replicas).toBe(2);
    }
    for (const id of ids) {
      const row = await db.domain.findUniqueOrThrow({ where: { id } });
      expect(row.observedGeneration).toBe(row.generation);
    }
  }, 180_000);

  it("deleting a customer removes its domains first, then its namespace and everything labelled with it; the orphan scan finds nothing", async () => {
    const { customer, scope } = await roomyCustomer();
    const names = [`gone-a-${uniq()}.net`, `gone-b-${uniq()}.net`];
    for (const name of names) await addDomain(scope, { domain: name, includeDatabase: false, mailUsers: [{ localPart: "x", password: "Going-away-99" }], aliases: [] }, actor);
    await reconcileAll();
    const ns = `cust-${customer.number}`;
    expect(await kube.observe({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } })).not.toBeNull();
    // Something of the customer's that no domain owns: a leftover Secret in mail-system.
    await kube.apply({ apiVersion: "v1", kind: "Secret", metadata: { name: `stray-${customer.number}`, namespace: "mail-system", labels: { "berth.io/customer": String(customer.number) } } });

    const wrong = await deleteCustomer({ kind: "platform" }, customer.id, actor, "not the name").catch((e: unknown) => e);
    expect(String(wrong)).toMatch(/Type .* to confirm/);
    await deleteCustomer({ kind: "platform" }, customer.id, actor, customer.name);
    await reconcileAll();

    expect(await db.customer.findUnique({ where: { id: customer.id } })).toBeNull();
    expect(await db.domain.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await kube.observe({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } })).toBeNull();
    const del = await db.provisioningRun.findFirstOrThrow({ where: { kind: "Customer", objectId: customer.id, action: "DELETE" }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(del.status).toBe("SUCCEEDED");
    expect(del.steps.map((s) => s.name)).toEqual(["namespace", "leftovers"]);
    // Orphan scan: nothing labelled with the customer, of any kind Berth creates, anywhere.
    const selector = `berth.io/customer=${customer.number}`;
    for (const [apiVersion, kind] of [
      ["v1", "Namespace"],
      ["v1", "Secret"],
      ["v1", "PersistentVolumeClaim"],
      ["apps/v1", "Deployment"],
      ["v1", "Service"],
      ["networking.k8s.io/v1", "Ingress"],
      ["networking.k8s.io/v1", "NetworkPolicy"],
      ["v1", "ResourceQuota"],
      ["v1", "LimitRange"],
    ] as const) {
      expect((await kube.list(apiVersion, kind, { labelSelector: selector })).map((o) => o.metadata?.name), kind).toEqual([]);
    }
    expect((await pdns.listZones()).filter((z) => z.account === `berth:cust-${customer.number}`)).toEqual([]);
    for (const name of names) expect(await mail.getDomain(name)).toBeNull();
    // A platform admin only: a customer's own scope is refused, and nothing changes.
    const other = await roomyCustomer();
    const refused = await deleteCustomer(other.scope, other.customer.id, actor).catch((e: unknown) => e);
    expect(String(refused)).toMatch(/Only platform administrators/);
    expect((await db.customer.findUniqueOrThrow({ where: { id: other.customer.id } })).deletionRequested).toBe(false);
  }, 240_000);
});

describe("the Customer kind's steps", () => {
  it("are the catalog's", () => {
    expect(STEP_CATALOG.Customer.map((s) => s.name)).toEqual(["leftovers", "namespace", "quota", "limits", "network-policy", "backup-labels"]);
  });
});
