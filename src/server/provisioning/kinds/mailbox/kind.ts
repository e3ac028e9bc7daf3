import "server-only";
import { db } from "@/server/db";
import type { Kind } from "../../step";
import { mailboxStep, type MailboxSpec } from "./mailbox";

/**
 * One mailbox: one virtual_users row. Changing a password or a quota runs
 * this kind alone, writing that row and nothing else. It follows its domain
 * (the mail domain must exist first).
 */
export const mailboxKind: Kind<MailboxSpec> = {
  name: "Mailbox",
  table: "Mailbox",
  async load(id) {
    const m = await db.mailbox.findUnique({
      where: { id },
      select: {
        id: true,
        address: true,
        localPart: true,
        passwordHash: true,
        quotaMb: true,
        active: true,
        deletionRequested: true,
        domain: {
          select: { id: true, name: true, suspended: true, deletionRequested: true, observedGeneration: true, customer: { select: { id: true, number: true, suspended: true } } },
        },
      },
    });
    if (!m) return null;
    const suspended = m.domain.suspended || m.domain.customer.suspended;
    return {
      spec: {
        id: m.id,
        address: m.address,
        localPart: m.localPart,
        passwordHash: m.passwordHash,
        quotaMb: m.quotaMb,
        // A suspension is the domain's (virtual_domains.suspended: 4xx, no login), so held mail arrives after resume.
        active: m.active,
        domain: { id: m.domain.id, name: m.domain.name, customerNumber: m.domain.customer.number },
      },
      subject: m.address,
      customerId: m.domain.customer.id,
      domainId: m.domain.id,
      deletionRequested: m.deletionRequested,
      suspended,
      waitReason: parentWait(m.domain),
    };
  },
  steps: [mailboxStep],
};

/** A mail row waits until its domain's mail domain exists, and stands by while the domain goes (its rows go with it). */
export function parentWait(domain: { observedGeneration: number; deletionRequested: boolean }): string | null {
  if (domain.deletionRequested) return "its domain is being removed, and this with it";
  return domain.observedGeneration > 0 ? null : "waiting for its domain to be set up";
}
