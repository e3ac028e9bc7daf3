import { afterAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "@kubernetes/client-node";
import mysql from "mysql2/promise";
import { db } from "@/server/db";
import { addDomain } from "@/server/services/domains/add-domain";
import { deleteDomain } from "@/server/services/domains/delete-domain";
import { retryDomain } from "@/server/services/domains/retry-domain";
import { keyMatches, fromTxtContent } from "@/server/integrations/dkim/keys";
import { domainNames } from "@/server/provisioning/values";
import { labelValue } from "@/server/provisioning/names";
import { STEP_CATALOG } from "@/lib/provisioning/catalog";
import { roomyCustomer, uniq } from "../fixtures";
import { dig, dovecotAuth, engine, postmap, reconcileAll, stack } from "../helpers/provisioning";

const { kube, pdns, mail } = engine().deps;
const created: string[] = [];
const actor = { userId: null, ip: "test" };

afterAll(async () => {
  // Anything a failed test left behind: delete through Berth itself.
  const left = await db.domain.findMany({ where: { name: { in: created } }, select: { id: true, customerId: true } });
  for (const d of left) await db.domain.update({ where: { id: d.id }, data: { deletionRequested: true, dueAt: new Date(0), leaseUntil: null } });
  if (left.length) await reconcileAll();
}, 180_000);

type Obj = KubernetesObject & { data?: Record<string, string>; status?: Record<string, unknown> };

async function k8sObjects(domain: string, customerNumber: number) {
  const n = domainNames(domain, customerNumber);
  const read = (apiVersion: string, kind: string, name: string, namespace?: string) =>
    kube.observe<Obj>({ apiVersion, kind, metadata: { name, namespace } });
  return {
    namespace: await read("v1", "Namespace", n.namespace),
    quota: await read("v1", "ResourceQuota", "tenant-quota", n.namespace),
    limits: await read("v1", "LimitRange", "tenant-limits", n.namespace),
    policy: await read("networking.k8s.io/v1", "NetworkPolicy", "default-deny", n.namespace),
    pvc: await read("v1", "PersistentVolumeClaim", n.webPvc, n.namespace),
    deployment: await read("apps/v1", "Deployment", n.web, n.namespace),
    service: await read("v1", "Service", n.web, n.namespace),
    ingress: await read("networking.k8s.io/v1", "Ingress", n.web, n.namespace),
    dkim: await read("v1", "Secret", n.dkimSecret, "mail-system"),
  };
}

async function mailRows(domain: string) {
  const conn = await mysql.createConnection(stack.MAIL_DB_URL ?? "");
  try {
    const [users] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT u.email, u.updated_at, u.maildir FROM virtual_users u JOIN virtual_domains d ON d.id = u.domain_id WHERE d.name = ? ORDER BY u.email",
      [domain],
    );
    const [aliases] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT a.source, a.destination, a.updated_at FROM virtual_aliases a JOIN virtual_domains d ON d.id = a.domain_id WHERE d.name = ?",
      [domain],
    );
    const [dkim] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT k.selector, k.secret_name FROM dkim_selectors k JOIN virtual_domains d ON d.id = k.domain_id WHERE d.name = ?",
      [domain],
    );
    return { users, aliases, dkim };
  } finally {
    await conn.end();
  }
}

describe("domain provisioning against Kubernetes, PowerDNS and the mail DB", () => {
  it("provisions a domain with two mailboxes and an alias to active, then a second beside it; a rerun writes nothing; deleting one keeps the other", async () => {
    const { customer, scope } = await roomyCustomer();
    const first = `shop-${uniq()}.net`;
    const second = `blog-${uniq()}.net`;
    created.push(first, second);

    const d1 = await addDomain(
      scope,
      {
        domain: first.toUpperCase() + ".",
        includeDatabase: true,
        mailUsers: [
          { localPart: "alice", password: "Sunrise-Tango-42" },
          { email: `bob@${first}`, password: "Harbor-Lights-77" },
        ],
        aliases: [{ source: "info", destination: `alice@${first}` }],
      },
      actor,
    );
    expect(d1.status).toBe("PENDING");
    expect(d1.name).toBe(first);

    await reconcileAll();
    const row = await db.domain.findUniqueOrThrow({ where: { id: d1.id }, include: { runs: { where: { kind: "Domain" }, include: { steps: true } } } });
    expect(row.lastError).toBeNull();
    expect(row.status).toBe("ACTIVE");
    expect(row.observedGeneration).toBe(row.generation);
    // The customer's own objects are in place too, by the customer's own run.
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).status).toBe("ACTIVE");
    const customerRun = await db.provisioningRun.findFirstOrThrow({ where: { kind: "Customer", objectId: customer.id }, include: { steps: true } });
    expect(customerRun.steps.map((s) => s.name).sort()).toEqual(STEP_CATALOG.Customer.filter((s) => !("removeOnly" in s)).map((s) => s.name).sort());
    expect(customerRun.steps.every((s) => s.status === "SUCCEEDED")).toBe(true);
    // The domain's steps, all 15 of the flow between the customer's, the domain's and each mailbox's and alias's.
    const steps = row.runs[0]?.steps ?? [];
    expect(steps).toHaveLength(STEP_CATALOG.Domain.length);
    expect(customerRun.steps.length + steps.length + 1).toBe(15);
    expect(steps.every((s) => s.status === "SUCCEEDED")).toBe(true);
    const mailRuns = await db.provisioningRun.findMany({ where: { domainId: d1.id, kind: { in: ["Mailbox", "Alias"] } }, include: { steps: true } });
    expect(mailRuns.map((r) => `${r.kind} ${r.subject} ${r.status}`).sort()).toEqual(
      [`Alias info@${first} → alice@${first} SUCCEEDED`, `Mailbox alice@${first} SUCCEEDED`, `Mailbox bob@${first} SUCCEEDED`].sort(),
    );
    expect(await db.mailbox.count({ where: { domainId: d1.id, status: "ACTIVE" } })).toBe(2);

    // Kubernetes: every object, labelled; pods Ready; the volume bound.
    const o = await k8sObjects(first, customer.number);
    expect(o.namespace?.metadata?.labels).toMatchObject({ tenant: "true", backup: "true", "customer-id": String(customer.number), "pod-security.kubernetes.io/enforce": "restricted" });
    for (const obj of [o.quota, o.limits, o.policy, o.pvc, o.deployment, o.service, o.ingress, o.dkim]) {
      expect(obj?.metadata?.labels?.["app.kubernetes.io/managed-by"]).toBe("berth");
    }
    for (const obj of [o.pvc, o.deployment, o.service, o.ingress, o.dkim]) expect(obj?.metadata?.labels?.["berth.io/domain"]).toBe(labelValue(first));
    expect((o.deployment?.status as { readyReplicas?: number }).readyReplicas).toBe(1);
    expect((o.pvc?.status as { phase?: string }).phase).toBe("Bound");
    const db2 = await kube.observe({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: domainNames(first, customer.number).dbPvc, namespace: `cust-${customer.number}` } });
    expect(db2).not.toBeNull();

    // DNS, as PowerDNS serves it.
    expect(await dig(first, "A")).toEqual(["127.0.0.1"]);
    expect(await dig(`www.${first}`, "CNAME")).toEqual([`${first}.`]);
    expect((await dig(first, "MX"))[0]).toMatch(/^10 mail\./);
    const txt = await dig(first, "TXT");
    expect(txt.join(" ")).toContain("v=spf1 mx a include:");
    expect((await dig(`_dmarc.${first}`, "TXT")).join(" ")).toContain("v=DMARC1; p=quarantine");
    const dkimTxt = await dig(`default._domainkey.${first}`, "TXT");
    expect(dkimTxt.length).toBe(1);
    const privateKey = Buffer.from(o.dkim?.data?.["private.key"] ?? "", "base64").toString("utf8");
    expect(keyMatches(privateKey, dkimTxt[0] ?? "")).toBe(true);
    expect(fromTxtContent(dkimTxt[0] ?? "")).toMatch(/^v=DKIM1; k=rsa; p=/);

    // Mail: both mailboxes log in through Dovecot; Postfix's own lookups find domain, mailboxes, alias.
    expect(await dovecotAuth(`alice@${first}`, "Sunrise-Tango-42")).toBe(0);
    expect(await dovecotAuth(`bob@${first}`, "Harbor-Lights-77")).toBe(0);
    expect(await dovecotAuth(`bob@${first}`, "wrong-password")).toBe(77);
    expect(await postmap("mysql-virtual-mailbox-domains", first)).not.toBeNull();
    expect(await postmap("mysql-virtual-mailbox-maps", `alice@${first}`)).toContain(`vhosts/${first}/alice/`);
    expect(await postmap("mysql-virtual-alias-maps", `info@${first}`)).toBe(`alice@${first}`);
    const rows = await mailRows(first);
    expect(rows.dkim).toEqual([expect.objectContaining({ selector: "default", secret_name: domainNames(first, customer.number).dkimSecret })]);

    // A second domain of the same customer, beside the first, without touching it.
    const before = await k8sObjects(first, customer.number);
    const d2 = await addDomain(scope, { domain: second, includeDatabase: false, mailUsers: [], aliases: [] }, actor);
    await reconcileAll();
    expect((await db.domain.findUniqueOrThrow({ where: { id: d2.id } })).status).toBe("ACTIVE");
    const after = await k8sObjects(first, customer.number);
    for (const k of ["deployment", "service", "ingress", "pvc", "dkim"] as const) {
      expect(after[k]?.metadata?.resourceVersion).toBe(before[k]?.metadata?.resourceVersion);
    }

    // Running the reconcile again writes nothing anywhere.
    const zoneBefore = await pdns.getZone(first);
    const mailBefore = await mailRows(first);
    const objectsBefore = await k8sObjects(first, customer.number);
    const runsBefore = await db.provisioningRun.count();
    const stepsBefore = await db.provisioningStep.count();
    await db.domain.update({ where: { id: d1.id }, data: { dueAt: new Date(0) } });
    await db.customer.update({ where: { id: customer.id }, data: { dueAt: new Date(0) } });
    await db.mailbox.updateMany({ where: { domainId: d1.id }, data: { dueAt: new Date(0) } });
    await reconcileAll();
    // A resync that finds everything in place writes no run and no step rows, only when it checked.
    expect(await db.provisioningRun.count()).toBe(runsBefore);
    expect(await db.provisioningStep.count()).toBe(stepsBefore);
    const checked = await db.domain.findUniqueOrThrow({ where: { id: d1.id } });
    expect(checked.lastCheckedAt?.getTime() ?? 0).toBeGreaterThan(Date.now() - 60_000);
    expect(checked.dueAt?.getTime() ?? 0).toBeGreaterThan(Date.now());
    const again = await k8sObjects(first, customer.number);
    for (const k of Object.keys(again) as Array<keyof typeof again>) {
      expect(again[k]?.metadata?.resourceVersion, k).toBe(objectsBefore[k]?.metadata?.resourceVersion);
    }
    expect((await pdns.getZone(first))?.serial).toBe(zoneBefore?.serial);
    expect(await mailRows(first)).toEqual(mailBefore);

    // Deleting the first keeps the second and the namespace; nothing of the first remains anywhere.
    await deleteDomain(scope, d1.id, actor);
    await reconcileAll();
    expect(await db.domain.findUnique({ where: { id: d1.id } })).toBeNull();
    const gone = await k8sObjects(first, customer.number);
    expect(gone.namespace).not.toBeNull();
    for (const k of ["pvc", "deployment", "service", "ingress", "dkim"] as const) expect(gone[k], k).toBeNull();
    // Orphan scan: nothing labelled with the domain, of any kind Berth creates, in any namespace.
    for (const [apiVersion, kind] of [
      ["v1", "PersistentVolumeClaim"],
      ["apps/v1", "Deployment"],
      ["v1", "Service"],
      ["networking.k8s.io/v1", "Ingress"],
      ["v1", "Secret"],
      ["v1", "Pod"],
    ] as const) {
      const labelled = await kube.list(apiVersion, kind, { labelSelector: `berth.io/domain=${labelValue(first)}` });
      expect(labelled.map((x) => x.metadata?.name), kind).toEqual([]);
    }
    expect(await pdns.getZone(first)).toBeNull();
    expect(await mail.getDomain(first)).toBeNull();
    expect(await dovecotAuth(`alice@${first}`, "Sunrise-Tango-42")).toBe(77);
    expect((await db.domain.findUniqueOrThrow({ where: { id: d2.id } })).status).toBe("ACTIVE");
    expect(await pdns.getZone(second)).not.toBeNull();

    await deleteDomain(scope, d2.id, actor);
    await reconcileAll();
  }, 240_000);

  it("repairs drift on resync: a deleted Ingress and a deleted DNS record come back; a record the customer changed stays theirs", async () => {
    const { customer, scope } = await roomyCustomer();
    const name = `drift-${uniq()}.org`;
    created.push(name);
    const d = await addDomain(scope, { domain: name, includeDatabase: false, mailUsers: [], aliases: [] }, actor);
    await reconcileAll();
    const n = domainNames(name, customer.number);
    await kube.remove({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: n.web, namespace: n.namespace } });
    await pdns.patchRRSets(name, [{ name: `www.${name}.`, type: "CNAME", changetype: "DELETE" }]);
    // Another tool rewrites the MX without Berth's mark: it is the customer's now, resync must leave it.
    await pdns.patchRRSets(name, [
      { name: `${name}.`, type: "MX", ttl: 600, changetype: "REPLACE", records: [{ content: "5 mx.customer-mail.net.", disabled: false }], comments: [] },
    ]);
    // The customer removed DMARC in Berth's DNS editor (recorded as released): resync must not bring it back.
    await pdns.patchRRSets(name, [{ name: `_dmarc.${name}.`, type: "TXT", changetype: "DELETE" }]);
    await db.domain.update({ where: { id: d.id }, data: { releasedRRSets: [{ name: `_dmarc.${name}.`, type: "TXT" }] } });

    await db.domain.update({ where: { id: d.id }, data: { dueAt: new Date(0) } });
    await reconcileAll();
    // A resync that repaired drift is on record, with what it changed.
    const repair = await db.provisioningRun.findFirstOrThrow({ where: { kind: "Domain", objectId: d.id }, orderBy: { startedAt: "desc" }, include: { steps: true } });
    expect(repair.action).toBe("RESYNC");
    expect(repair.status).toBe("SUCCEEDED");
    expect(repair.steps.map((s) => s.name)).toEqual(STEP_CATALOG.Domain.map((s) => s.name));
    expect(await kube.observe({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: n.web, namespace: n.namespace } })).not.toBeNull();
    expect(await dig(`www.${name}`, "CNAME")).toEqual([`${name}.`]);
    expect(await dig(name, "MX", (l) => l.includes("5 mx.customer-mail.net."))).toEqual(["5 mx.customer-mail.net."]);
    expect((await pdns.getZone(name))?.rrsets?.find((r) => r.name === `_dmarc.${name}.`)).toBeUndefined();

    await deleteDomain(scope, d.id, actor);
    await reconcileAll();
  }, 180_000);

  it("refuses a zone that exists in PowerDNS and is not Berth's, with a message a person can act on; an admin's retry then converges", async () => {
    const { scope } = await roomyCustomer();
    const name = `taken-${uniq()}.net`;
    created.push(name);
    await pdns.createZone({ name, kind: "Native", nameservers: ["ns1.elsewhere.net."], account: "someone-else" });
    const d = await addDomain(scope, { domain: name, includeDatabase: false, mailUsers: [], aliases: [] }, actor);
    await reconcileAll();
    const row = await db.domain.findUniqueOrThrow({ where: { id: d.id } });
    expect(row.status).toBe("FAILED");
    expect(row.lastError).toMatch(/already exists in PowerDNS and is not this customer's/);
    const failedRun = await db.provisioningRun.findFirstOrThrow({ where: { domainId: d.id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(failedRun.status).toBe("FAILED");
    expect(failedRun.steps.find((s) => s.name === "dns-zone")?.status).toBe("FAILED");
    expect(failedRun.steps.filter((s) => s.status === "SKIPPED").map((s) => s.name)).toContain("readiness");
    // A failed domain waits for a person: no worker picks it up again by itself.
    await reconcileAll();
    expect(await db.provisioningRun.count({ where: { domainId: d.id } })).toBe(1);
    // The admin removes the foreign zone and retries: it converges.
    await pdns.deleteZone(name);
    await retryDomain({ kind: "platform" }, d.id, actor);
    await reconcileAll();
    expect((await db.domain.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("ACTIVE");
    expect((await pdns.getZone(name))?.account).toMatch(/^berth:cust-/);
    await deleteDomain(scope, d.id, actor);
    await reconcileAll();
    expect(await db.domain.findUnique({ where: { id: d.id } })).toBeNull();
  }, 180_000);
});
