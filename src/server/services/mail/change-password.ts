import "server-only";
import { z } from "zod";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { customerWhere, type Scope } from "@/server/auth/permissions";
import { recordAudit } from "@/server/services/audit/record";
import { requestedDueAt } from "@/server/provisioning/engine/tables";
import { wakeWorkers } from "@/server/provisioning/wake";
import { bcryptHash } from "@/server/threads/pool";
import { mailboxPassword } from "@/server/services/domains/add-domain.schema";
import type { Actor } from "@/server/services/domains/add-domain";

export const changeMailboxPasswordInput = z.object({ mailboxId: z.string().min(1).max(64), password: mailboxPassword });

/**
 * A new password for one mailbox: its row gets the new hash and a new
 * generation, and the Mailbox kind writes that one virtual_users row — no
 * other step of the domain runs.
 */
export async function changeMailboxPassword(scope: Scope, input: z.infer<typeof changeMailboxPasswordInput>, actor: Actor) {
  const m = await db.mailbox.findFirst({
    where: { id: input.mailboxId, deletionRequested: false, domain: { deletionRequested: false, customer: customerWhere(scope) } },
    select: { id: true, address: true, localPart: true, domain: { select: { customerId: true } } },
  });
  if (!m) throw new AppError("NOT_FOUND", "No such mailbox.");
  if (m.localPart.length >= 4 && input.password.toLowerCase().includes(m.localPart)) {
    throw new AppError("BAD_REQUEST", "The password must not contain the address.", { fields: { password: "The password must not contain the address" } });
  }
  const passwordHash = await bcryptHash(input.password, 10);
  await db.$transaction(async (tx) => {
    await tx.mailbox.update({ where: { id: m.id }, data: { passwordHash, generation: { increment: 1 }, dueAt: requestedDueAt() } });
    await recordAudit({ action: "mailbox.change-password", targetType: "mailbox", targetId: m.id, actorUserId: actor.userId, realActorUserId: actor.realUserId, customerId: m.domain.customerId, ip: actor.ip, metadata: { address: m.address } }, tx);
  });
  wakeWorkers();
  return { id: m.id, address: m.address, status: "pending" as const };
}
