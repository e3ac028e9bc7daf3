import "server-only";
import { db } from "@/server/db";
import type { Kind } from "../../step";
import { PLAN_VALUES_SELECT, type DomainOptions, type DomainSpec } from "../../values";
import { dkimStep } from "./steps/dkim";
import { dnsRecordsStep } from "./steps/dns-records";
import { dnsZoneStep } from "./steps/dns-zone";
import { ingressStep } from "./steps/ingress";
import { mailDomainStep } from "./steps/mail-domain";
import { readinessStep } from "./steps/readiness";
import { spfDmarcStep } from "./steps/spf-dmarc";
import { storageStep } from "./steps/storage";
import { workloadStep } from "./steps/workload";

export const asOptions = (v: unknown): DomainOptions => {
  const o = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
  return {
    image: typeof o.image === "string" ? o.image : undefined,
    includeDatabase: o.includeDatabase === true,
    storageGi: typeof o.storageGi === "number" ? o.storageGi : undefined,
  };
};

const asReleased = (v: unknown): Array<{ name: string; type: string }> =>
  Array.isArray(v)
    ? v.flatMap((x) => (x && typeof x === "object" && typeof x.name === "string" && typeof x.type === "string" ? [{ name: x.name, type: x.type }] : []))
    : [];

/**
 * A domain: its site (volume, app, ingress), its DNS zone and records, its
 * mail domain and DKIM key, and the site's readiness. Its customer's objects
 * come first; its mailboxes and aliases follow it.
 */
export const domainKind: Kind<DomainSpec> = {
  name: "Domain",
  table: "Domain",
  async load(id) {
    const d = await db.domain.findUnique({
      where: { id },
      select: {
        id: true,
        name: true,
        generation: true,
        suspended: true,
        options: true,
        releasedRRSets: true,
        deletionRequested: true,
        customer: {
          select: { id: true, number: true, suspended: true, generation: true, observedGeneration: true, lastError: true, plan: { select: PLAN_VALUES_SELECT } },
        },
      },
    });
    if (!d) return null;
    const suspended = d.suspended || d.customer.suspended;
    return {
      spec: {
        id: d.id,
        name: d.name,
        generation: d.generation,
        suspended,
        options: asOptions(d.options),
        releasedRRSets: asReleased(d.releasedRRSets),
        customer: { id: d.customer.id, number: d.customer.number, suspended: d.customer.suspended, plan: d.customer.plan },
      },
      subject: d.name,
      customerId: d.customer.id,
      domainId: d.id,
      deletionRequested: d.deletionRequested,
      suspended,
      // Its customer's objects first, at the customer's current generation (a plan change lands there before here).
      waitReason:
        d.customer.observedGeneration >= d.customer.generation
          ? null
          : `waiting for the customer's namespace and plan to be in place${d.customer.lastError ? ` (${d.customer.lastError})` : ""}`,
    };
  },
  steps: [storageStep, workloadStep, ingressStep, dnsZoneStep, dnsRecordsStep, mailDomainStep, dkimStep, spfDmarcStep, readinessStep],
  wakes: (loaded, deleted) =>
    deleted
      ? [{ table: "Customer", ids: [loaded.spec.customer.id] }]
      : [
          { table: "Mailbox", where: { column: "domainId", equals: loaded.spec.id } },
          { table: "Alias", where: { column: "domainId", equals: loaded.spec.id } },
        ],
};
