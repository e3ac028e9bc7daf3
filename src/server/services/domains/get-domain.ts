import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { customerWhere, type Scope } from "@/server/auth/permissions";

/** One domain with its latest runs and their steps, if the scope may see it. */
export async function getDomain(scope: Scope, domainId: string) {
  const domain = await db.domain.findFirst({
    where: { id: domainId, customer: customerWhere(scope) },
    select: {
      id: true,
      name: true,
      displayName: true,
      status: true,
      suspended: true,
      generation: true,
      observedGeneration: true,
      verificationState: true,
      deletionRequested: true,
      lastError: true,
      conditions: true,
      options: true,
      createdAt: true,
      customer: { select: { id: true, name: true, number: true } },
      mailboxes: { orderBy: { address: "asc" }, select: { id: true, address: true, quotaMb: true, active: true } },
      aliases: { orderBy: { source: "asc" }, select: { id: true, source: true, destination: true } },
      runs: {
        where: { kind: "Domain" },
        orderBy: { startedAt: "desc" },
        take: 5,
        select: {
          id: true,
          action: true,
          status: true,
          generation: true,
          error: true,
          startedAt: true,
          finishedAt: true,
          steps: {
            orderBy: { position: "asc" },
            select: { id: true, name: true, status: true, attempt: true, message: true, startedAt: true, finishedAt: true, durationMs: true },
          },
        },
      },
    },
  });
  if (!domain) throw new AppError("NOT_FOUND", "No such domain.");
  return domain;
}

export type DomainDetail = Awaited<ReturnType<typeof getDomain>>;
