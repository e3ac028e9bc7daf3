import "server-only";
import { db } from "@/server/db";
import { customerWhere, type Scope } from "@/server/auth/permissions";

/** Domains visible in a scope, problems first, for the consoles. */
export async function listDomains(scope: Scope, opts: { status?: "FAILED" | "PROVISIONING" | "ACTIVE" | "PENDING" } = {}) {
  const rows = await db.domain.findMany({
    where: { customer: customerWhere(scope), ...(opts.status ? { status: opts.status } : {}) },
    orderBy: { updatedAt: "desc" },
    take: 300,
    select: {
      id: true,
      name: true,
      displayName: true,
      status: true,
      suspended: true,
      lastError: true,
      failures: true,
      updatedAt: true,
      customer: { select: { id: true, name: true, number: true } },
      runs: { where: { kind: "Domain" }, orderBy: { startedAt: "desc" }, take: 1, select: { action: true, status: true, startedAt: true, finishedAt: true } },
    },
  });
  const rank = (s: string) => (s === "FAILED" ? 0 : s === "PROVISIONING" || s === "PENDING" || s === "DELETING" ? 1 : 2);
  return rows.sort((a, b) => rank(a.status) - rank(b.status));
}

export type DomainRow = Awaited<ReturnType<typeof listDomains>>[number];
