import "server-only";
import { db } from "@/server/db";
import { PermanentError, TransientError, type Kind, type Step } from "../../step";
import { parentWait } from "../mailbox/kind";

export type AliasSpec = { id: string; source: string; destination: string; domain: { id: string; name: string; customerNumber: number } };

const target = (s: AliasSpec) => `virtual_aliases ${s.source} → ${s.destination}`;

/** The alias's row: mail to its source is forwarded to its destination. */
export const aliasStep: Step<AliasSpec> = {
  name: "alias",
  async ensure(ctx) {
    const d = await ctx.deps.mail.getDomain(ctx.spec.domain.name);
    if (!d) throw new TransientError(`the mail domain ${ctx.spec.domain.name} is not registered yet`);
    if (d.customerId !== String(ctx.spec.domain.customerNumber)) throw new PermanentError(`mail DB: ${ctx.spec.domain.name} belongs to another customer`);
    const written = await ctx.deps.mail.ensureAlias(d.id, ctx.spec.source, ctx.spec.destination);
    return { changes: [{ system: "mail", action: written ? "create" : "unchanged", target: target(ctx.spec) }] };
  },
  plan: async (ctx) => [{ system: "mail", action: (await ctx.deps.mail.hasAlias(ctx.spec.source, ctx.spec.destination)) ? "unchanged" : "create", target: target(ctx.spec) }],
  async remove(ctx) {
    const removed = await ctx.deps.mail.removeAlias(ctx.spec.source, ctx.spec.destination);
    return { changes: [{ system: "mail", action: removed ? "delete" : "unchanged", target: target(ctx.spec) }] };
  },
};

/** One alias (forwarder): one virtual_aliases row, reconciled alone, after its domain. */
export const aliasKind: Kind<AliasSpec> = {
  name: "Alias",
  table: "Alias",
  async load(id) {
    const a = await db.alias.findUnique({
      where: { id },
      select: { id: true, source: true, destination: true, deletionRequested: true, domain: { select: { id: true, name: true, suspended: true, deletionRequested: true, observedGeneration: true, customer: { select: { id: true, number: true, suspended: true } } } } },
    });
    if (!a) return null;
    return {
      spec: { id: a.id, source: a.source, destination: a.destination, domain: { id: a.domain.id, name: a.domain.name, customerNumber: a.domain.customer.number } },
      subject: `${a.source} → ${a.destination}`,
      customerId: a.domain.customer.id,
      domainId: a.domain.id,
      deletionRequested: a.deletionRequested,
      suspended: a.domain.suspended || a.domain.customer.suspended,
      waitReason: parentWait(a.domain),
    };
  },
  steps: [aliasStep],
};
