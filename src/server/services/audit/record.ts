import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";

export type AuditInput = {
  action: string;
  targetType: string;
  targetId?: string | null;
  actorUserId?: string | null;
  /** Set when an admin acts as someone else: the person really behind it. */
  realActorUserId?: string | null;
  partnerId?: string | null;
  customerId?: string | null;
  ip?: string | null;
  metadata?: Prisma.InputJsonValue;
};

/** Appends one audit event; pass a transaction client to make it part of a write. */
export async function recordAudit(event: AuditInput, tx: Prisma.TransactionClient = db): Promise<void> {
  await tx.auditEvent.create({ data: { ...event, metadata: event.metadata ?? {} } });
}
