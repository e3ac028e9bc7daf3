import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { customerWhere, type Scope } from "@/server/auth/permissions";
import { recordAudit } from "@/server/services/audit/record";
import { requestedDueAt } from "@/server/provisioning/engine/tables";
import { wakeWorkers } from "@/server/provisioning/wake";
import type { Actor } from "./add-domain";

/** Asks for the domain to be removed everywhere; the reconciler runs the inverses and then drops the row. */
export async function deleteDomain(scope: Scope, domainId: string, actor: Actor, confirm?: string) {
  const domain = await db.domain.findFirst({ where: { id: domainId, customer: customerWhere(scope) }, select: { id: true, name: true, displayName: true, customerId: true } });
  if (!domain) throw new AppError("NOT_FOUND", "No such domain.");
  // The panel asks the person to type the name; the API passes nothing.
  if (confirm !== undefined && confirm.trim().toLowerCase() !== domain.name && confirm.trim().toLowerCase() !== domain.displayName) {
    throw new AppError("BAD_REQUEST", `Type ${domain.displayName} to confirm.`, { fields: { confirm: `Type ${domain.displayName} to confirm` } });
  }
  await db.$transaction(async (tx) => {
    await tx.domain.update({
      where: { id: domain.id },
      data: { deletionRequested: true, generation: { increment: 1 }, dueAt: requestedDueAt(), status: "DELETING" },
    });
    await recordAudit(
      { action: "domain.delete", targetType: "domain", targetId: domain.id, actorUserId: actor.userId, realActorUserId: actor.realUserId, customerId: domain.customerId, ip: actor.ip, metadata: { name: domain.name } },
      tx,
    );
  });
  wakeWorkers();
  return { id: domain.id, status: "deleting" as const };
}
