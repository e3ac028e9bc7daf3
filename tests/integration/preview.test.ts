import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { addDomainInput } from "@/server/services/domains/add-domain.schema";
import { previewDomain } from "@/server/services/domains/preview-domain";
import { STEP_CATALOG } from "@/lib/provisioning/catalog";
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
    const changes = plan.steps.flatMap((st) => st.changes);
    const kubeChanges = changes.filter((c) => c.system === "kubernetes");
    const kinds = kubeChanges.map((o) => o.target.split(" ")[0]);
    expect(kinds).toEqual(
      expect.arrayContaining(["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "PersistentVolumeClaim", "Deployment", "Service", "Ingress", "Secret"]),
    );
    expect(kubeChanges.filter((o) => o.target.startsWith("PersistentVolumeClaim "))).toHaveLength(2);
    // The Namespace itself is checked by the API server; objects inside it once it exists.
    expect(kubeChanges.find((o) => o.target.startsWith("Namespace "))).toMatchObject({ target: `Namespace cust-${customer.number}`, action: "create" });
    expect(kubeChanges.filter((o) => o.action !== "unchanged").every((o) => o.action === "create")).toBe(true);
    expect(changes.find((c) => c.target === `zone ${name}.`)).toMatchObject({ system: "dns", action: "create" });
    expect(changes.filter((c) => c.system === "dns" && c.action === "create").map((c) => c.target)).toEqual(
      expect.arrayContaining([`A ${name}.`, `CNAME www.${name}.`, `MX ${name}.`, `TXT ${name}.`, `TXT _dmarc.${name}.`, `TXT default._domainkey.${name}.`]),
    );
    expect(changes.filter((c) => c.system === "mail").map((c) => `${c.action} ${c.target}`)).toEqual(
      expect.arrayContaining([`create virtual_domains ${name}`, `create virtual_users ann@${name}`, `create virtual_aliases hi@${name} → ann@${name}`, "create dkim_selectors default"]),
    );
    // Every step of every kind involved, in the catalog's order, with both titles.
    expect(plan.steps.filter((st) => st.kind === "Domain").map((st) => st.name)).toEqual(STEP_CATALOG.Domain.map((st) => st.name));
    expect(plan.steps.every((st) => st.title && st.technicalTitle)).toBe(true);

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
