import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Scope } from "@/server/auth/permissions";
import { provisioningConfig } from "@/server/provisioning/config";
import { provisioningDeps } from "@/server/provisioning/deps";
import { planKind, type PlannedStep } from "@/server/provisioning/engine/plan";
import { kind } from "@/server/provisioning/kinds/registry";
import { PermanentError } from "@/server/provisioning/step";
import { PLAN_VALUES_SELECT, type CustomerSpec, type DomainSpec } from "@/server/provisioning/values";
import type { MailboxSpec } from "@/server/provisioning/kinds/mailbox/mailbox";
import type { AliasSpec } from "@/server/provisioning/kinds/alias/kind";
import type { AddDomainInput } from "./add-domain.schema";
import { clashError, findClash, validateNewDomain } from "./add-domain";

/**
 * What adding this domain would change, without changing anything: the
 * pipeline's own plan, asked of every step of every kind involved (the
 * customer's objects, the domain, each mailbox and alias). Kubernetes objects
 * are checked by the API server (server-side dry run) and diffed field by
 * field; DNS rrsets against PowerDNS; mail rows against the mail DB.
 */
export async function previewDomain(scope: Scope & { kind: "customer" }, input: AddDomainInput): Promise<{ domain: { name: string; displayName: string }; steps: PlannedStep[] }> {
  const v = await validateNewDomain(input);
  const clash = await findClash(db, v.name, scope.customerId);
  if (clash) throw clashError(clash, v.name, v.displayName, scope.customerId);
  const c = await db.customer.findUniqueOrThrow({ where: { id: scope.customerId }, select: { id: true, number: true, suspended: true, plan: { select: PLAN_VALUES_SELECT } } });
  const customer: CustomerSpec = { id: c.id, number: c.number, suspended: c.suspended, plan: c.plan };
  const domain: DomainSpec = {
    id: "preview",
    name: v.name,
    generation: 1,
    suspended: c.suspended,
    options: { image: input.image, includeDatabase: input.includeDatabase },
    releasedRRSets: [],
    customer,
  };
  const mailDomain = { id: "preview", name: v.name, customerNumber: c.number };
  const opts = { config: provisioningConfig(), deps: provisioningDeps() };
  try {
    const steps = [...(await planKind(kind("Customer"), customer, opts)), ...(await planKind(kind("Domain"), domain, opts))];
    for (const m of v.mailboxes) {
      const spec: MailboxSpec = { id: "preview", address: m.address, localPart: m.localPart, passwordHash: "(set when applied)", quotaMb: m.quotaMb, active: !c.suspended, domain: mailDomain };
      steps.push(...(await planKind(kind("Mailbox"), spec, opts)));
    }
    for (const a of v.aliases) {
      const spec: AliasSpec = { id: "preview", source: a.source, destination: a.destination, domain: mailDomain };
      steps.push(...(await planKind(kind("Alias"), spec, opts)));
    }
    return { domain: { name: v.name, displayName: v.displayName }, steps };
  } catch (e) {
    // What a real system would refuse (Kubernetes' validation, a zone that is not ours) is the request's problem.
    if (e instanceof PermanentError) throw new AppError("BAD_REQUEST", e.message);
    throw e;
  }
}

export type DomainPreview = Awaited<ReturnType<typeof previewDomain>>;
