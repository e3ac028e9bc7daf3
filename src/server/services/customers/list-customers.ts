import "server-only";
import { db } from "@/server/db";
import { customerWhere, type Scope } from "@/server/auth/permissions";

export type CustomerRow = Awaited<ReturnType<typeof listCustomers>>[number];

/** Customers visible in a scope, newest first, with what a list needs. */
export async function listCustomers(scope: Scope, opts: { search?: string } = {}) {
  const search = opts.search?.trim();
  return db.customer.findMany({
    where: {
      ...customerWhere(scope),
      ...(search ? { name: { contains: search, mode: "insensitive" as const } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      number: true,
      name: true,
      status: true,
      suspended: true,
      createdAt: true,
      plan: { select: { slug: true, name: true } },
      partner: { select: { id: true, name: true, isPlatform: true } },
      _count: { select: { domains: true } },
    },
  });
}
