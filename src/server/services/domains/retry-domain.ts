import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { customerWhere, type Scope } from "@/server/auth/permissions";
import { recordAudit } from "@/server/services/audit/record";
import { requestedDueAt } from "@/server/provisioning/engine/tables";
import { wakeWorkers } from "@/server/provisioning/wake";
import type { Actor } from "./add-domain";

/** Puts a failed domain back in the queue at once (admins; after fixing what the error said). */
export async function retryDomain(scope: Scope, domainId: string, actor: Actor) {
  const domain = await db.domain.findFirst({ where: { id: domainId, customer: customerWhere(scope) }, select: { id: true, status: true, customerId: true } });
  if (!domain) throw new AppError("NOT_FOUND", "No such domain.");
  if (domain.status !== "FAILED") throw new AppError("PRECONDITION_FAILED", "Only a failed domain can be retried.");
  await db.domain.update({ where: { id: domain.id }, data: { status: "PENDING", failures: 0, dueAt: requestedDueAt(), lastError: null } });
  await recordAudit({ action: "domain.retry", targetType: "domain", targetId: domain.id, actorUserId: actor.userId, realActorUserId: actor.realUserId, customerId: domain.customerId, ip: actor.ip });
  wakeWorkers();
  return { id: domain.id, status: "pending" as const };
}
