import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { customerWhere, type Scope } from "@/server/auth/permissions";
import { recordAudit } from "@/server/services/audit/record";
import { requestedDueAt } from "@/server/provisioning/engine/tables";
import { wakeWorkers } from "@/server/provisioning/wake";
import type { Actor } from "@/server/services/domains/add-domain";

/**
 * Asks for a customer to be removed everywhere (platform admins): every one
 * of its domains is deleted first, then the customer's namespace with
 * everything in it and whatever else still carries its mark; then the row.
 * The panel asks for the customer's name, typed; the API passes nothing.
 */
export async function deleteCustomer(scope: Scope, customerId: string, actor: Actor, confirm?: string) {
  if (scope.kind !== "platform") throw new AppError("FORBIDDEN", "Only platform administrators can delete a customer.");
  const c = await db.customer.findFirst({ where: { id: customerId, ...customerWhere(scope) }, select: { id: true, name: true, number: true, partnerId: true } });
  if (!c) throw new AppError("NOT_FOUND", "No such customer.");
  if (confirm !== undefined && confirm.trim() !== c.name && confirm.trim() !== String(c.number)) {
    throw new AppError("BAD_REQUEST", `Type ${c.name} to confirm.`, { fields: { confirm: `Type ${c.name} to confirm` } });
  }
  const domains = await db.$transaction(async (tx) => {
    const due = requestedDueAt();
    const n = await tx.domain.updateMany({
      where: { customerId: c.id, deletionRequested: false },
      data: { deletionRequested: true, generation: { increment: 1 }, dueAt: due, status: "DELETING" },
    });
    await tx.customer.update({ where: { id: c.id }, data: { deletionRequested: true, generation: { increment: 1 }, dueAt: due, status: "DELETING" } });
    await recordAudit(
      { action: "customer.delete", targetType: "customer", targetId: c.id, actorUserId: actor.userId, realActorUserId: actor.realUserId, customerId: c.id, partnerId: c.partnerId, ip: actor.ip, metadata: { name: c.name, number: c.number, domains: n.count } },
      tx,
    );
    return n.count;
  });
  wakeWorkers();
  return { id: c.id, number: c.number, status: "deleting" as const, domains };
}
