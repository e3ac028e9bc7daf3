import "server-only";
import { db } from "@/server/db";

export async function listPlans() {
  return db.plan.findMany({
    orderBy: { sortOrder: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      cpuRequestM: true,
      cpuLimitM: true,
      memoryRequestMi: true,
      memoryLimitMi: true,
      maxPvcs: true,
      storageGi: true,
      maxMailboxes: true,
      maxDomains: true,
      maxDatabases: true,
      appReplicas: true,
      priceCents: true,
      _count: { select: { customers: true } },
    },
  });
}
