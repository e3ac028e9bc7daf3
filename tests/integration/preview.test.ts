import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { addDomainInput } from "@/server/services/domains/add-domain.schema";
import { previewDomain } from "@/server/services/domains/preview-domain";
import { engine } from "../helpers/provisioning";
import { roomyCustomer, uniq } from "../fixtures";

describe("previewing a domain: the plan of changes, written nowhere", () => {
  it("lists the Kubernetes objects (dry-run), the DNS rrsets and the mail rows, and creates nothing", async () => {
    const { customer, scope } = await roomyCustomer();
    const name = `preview-${uniq()}.com`;
    const plan = await previewDomain(
      scope,
      addDomainInput.parse({ domain: name, includeDatabase: true, mailUsers: [{ localPart: "ann", password: "Preview-pass-99" }], aliases: [{ source: "hi", destination: `ann@${name}` }] }),
    );
    const kinds = plan.kubernetes.map((o) => o.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "PersistentVolumeClaim", "Deployment", "Service", "Ingress", "Secret"]),
    );
    expect(plan.kubernetes.filter((o) => o.kind === "PersistentVolumeClaim")).toHaveLength(2);
    // The Namespace itself is checked by the API server; objects inside it once it exists.
    expect(plan.kubernetes.find((o) => o.kind === "Namespace")).toMatchObject({ name: `cust-${customer.number}`, action: "create" });
    expect(plan.kubernetes.every((o) => o.action === "create")).toBe(true);
    expect(plan.dns.zone).toMatchObject({ name: `${name}.`, action: "create" });
    expect(plan.dns.rrsets.map((r) => `${r.type} ${r.name}`)).toEqual(
      expect.arrayContaining([`A ${name}.`, `CNAME www.${name}.`, `MX ${name}.`, `TXT ${name}.`, `TXT _dmarc.${name}.`, `TXT default._domainkey.${name}.`]),
    );
    expect(plan.mail.virtual_users).toEqual([{ email: `ann@${name}`, maildir: `vhosts/${name}/ann/`, quota_bytes: 1024 ** 3 }]);
    expect(plan.mail.virtual_aliases).toEqual([{ source: `hi@${name}`, destination: `ann@${name}` }]);

    // Nothing was written anywhere.
    const { kube, pdns, mail } = engine().deps;
    expect(await kube.observe({ apiVersion: "v1", kind: "Namespace", metadata: { name: `cust-${customer.number}` } })).toBeNull();
    expect(await pdns.getZone(name)).toBeNull();
    expect(await mail.getDomain(name)).toBeNull();
    expect(await db.domain.count({ where: { customerId: customer.id } })).toBe(0);
  });

  it("refuses what adding would refuse", async () => {
    const { scope } = await roomyCustomer();
    const e = await previewDomain(scope, addDomainInput.parse({ domain: "example.com" })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("BAD_REQUEST");
  });
});
