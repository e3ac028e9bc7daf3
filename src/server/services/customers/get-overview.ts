import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Scope } from "@/server/auth/permissions";

/** One customer's home: plan, domains and usage against the plan's limits. */
export async function getCustomerOverview(scope: Scope & { kind: "customer" }) {
  const customer = await db.customer.findUnique({
    where: { id: scope.customerId },
    select: {
      id: true,
      number: true,
      name: true,
      status: true,
      suspended: true,
      plan: {
        select: {
          slug: true,
          name: true,
          maxDomains: true,
          maxMailboxes: true,
          maxDatabases: true,
          storageGi: true,
          cpuLimitM: true,
          memoryLimitMi: true,
        },
      },
      domains: {
        where: { deletionRequested: false },
        orderBy: { createdAt: "desc" },
        select: {
          id: true,
          name: true,
          displayName: true,
          status: true,
          suspended: true,
          createdAt: true,
          options: true,
          _count: { select: { mailboxes: true, aliases: true } },
        },
      },
    },
  });
  if (!customer) throw new AppError("NOT_FOUND", "No such customer account.");
  const mailboxes = customer.domains.reduce((n, d) => n + d._count.mailboxes, 0);
  // Storage allocated to volumes (each domain's web-data, plus db-data when included), as the quota counts it.
  const storageGi = customer.domains.reduce((n, d) => {
    const o = (d.options ?? {}) as { storageGi?: unknown; includeDatabase?: unknown };
    const size = typeof o.storageGi === "number" ? o.storageGi : 1;
    return n + size * (o.includeDatabase === true ? 2 : 1);
  }, 0);
  return {
    ...customer,
    namespace: `cust-${customer.number}`,
    usage: {
      domains: { used: customer.domains.length, limit: customer.plan.maxDomains },
      mailboxes: { used: mailboxes, limit: customer.plan.maxMailboxes },
      storageGi: { used: storageGi, limit: customer.plan.storageGi },
    },
  };
}
