import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { customerWhere, type Scope } from "@/server/auth/permissions";
import { recordAudit } from "@/server/services/audit/record";
import { requestedDueAt } from "@/server/provisioning/engine/tables";
import { wakeWorkers } from "@/server/provisioning/wake";
import type { Actor } from "@/server/services/domains/add-domain";

/**
 * Moves a customer to another plan (platform admins, or the customer's
 * partner). The customer's quota and limits change, and so do its domains'
 * workloads (replicas and pod limits come from the plan): the customer and
 * each of its live domains get a new generation, so each is reconciled once,
 * the customer first. A plan whose limits the customer already exceeds is
 * refused.
 */
export async function changePlan(scope: Scope, customerId: string, planSlug: string, actor: Actor) {
  if (scope.kind === "customer") throw new AppError("FORBIDDEN", "Plans are changed by the platform or your provider.");
  const c = await db.customer.findFirst({ where: { id: customerId, ...customerWhere(scope) }, select: { id: true, partnerId: true, deletionRequested: true, plan: { select: { slug: true } } } });
  if (!c) throw new AppError("NOT_FOUND", "No such customer.");
  if (c.deletionRequested) throw new AppError("PRECONDITION_FAILED", "This customer is being deleted.");
  const plan = await db.plan.findUnique({ where: { slug: planSlug }, select: { id: true, slug: true, name: true, maxDomains: true, maxMailboxes: true } });
  if (!plan) throw new AppError("BAD_REQUEST", `There is no plan called ${planSlug}.`, { fields: { plan: "Unknown plan" } });
  if (plan.slug === c.plan.slug) return { id: c.id, plan: plan.slug, domains: 0 };
  const [domains, mailboxes] = await Promise.all([
    db.domain.count({ where: { customerId: c.id, deletionRequested: false } }),
    db.mailbox.count({ where: { domain: { customerId: c.id, deletionRequested: false } } }),
  ]);
  if (plan.maxDomains !== null && domains > plan.maxDomains) throw new AppError("PRECONDITION_FAILED", `The ${plan.name} plan allows ${plan.maxDomains} domains; this customer has ${domains}.`);
  if (plan.maxMailboxes !== null && mailboxes > plan.maxMailboxes) throw new AppError("PRECONDITION_FAILED", `The ${plan.name} plan allows ${plan.maxMailboxes} mailboxes; this customer has ${mailboxes}.`);
  const bumped = await db.$transaction(async (tx) => {
    const due = requestedDueAt();
    await tx.customer.update({ where: { id: c.id }, data: { planId: plan.id, generation: { increment: 1 }, dueAt: due } });
    // Every domain's Deployment renders plan values (replicas, pod limits): one new generation each.
    const n = await tx.domain.updateMany({ where: { customerId: c.id, deletionRequested: false }, data: { generation: { increment: 1 }, dueAt: due } });
    await recordAudit(
      { action: "customer.change-plan", targetType: "customer", targetId: c.id, actorUserId: actor.userId, realActorUserId: actor.realUserId, customerId: c.id, partnerId: c.partnerId, ip: actor.ip, metadata: { from: c.plan.slug, to: plan.slug } },
      tx,
    );
    return n.count;
  });
  wakeWorkers();
  return { id: c.id, plan: plan.slug, domains: bumped };
}
