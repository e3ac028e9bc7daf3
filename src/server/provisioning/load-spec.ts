import "server-only";
import { db } from "@/server/db";
import type { DomainOptions, DomainSpec } from "./step";

const asOptions = (v: unknown): DomainOptions => {
  const o = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
  return {
    image: typeof o.image === "string" ? o.image : undefined,
    includeDatabase: o.includeDatabase === true,
    storageGi: typeof o.storageGi === "number" ? o.storageGi : undefined,
  };
};

const asReleased = (v: unknown): Array<{ name: string; type: string }> =>
  Array.isArray(v)
    ? v.flatMap((x) => (x && typeof x === "object" && typeof x.name === "string" && typeof x.type === "string" ? [{ name: x.name, type: x.type }] : []))
    : [];

/** The desired state of one domain, as the steps read it. */
export async function loadDomainSpec(id: string): Promise<(DomainSpec & { deletionRequested: boolean; customerId: string }) | null> {
  const d = await db.domain.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      generation: true,
      suspended: true,
      options: true,
      releasedRRSets: true,
      deletionRequested: true,
      customerId: true,
      customer: {
        select: {
          id: true,
          number: true,
          suspended: true,
          plan: {
            select: { cpuRequestM: true, cpuLimitM: true, memoryRequestMi: true, memoryLimitMi: true, maxPvcs: true, storageGi: true, appReplicas: true },
          },
        },
      },
      mailboxes: { orderBy: { address: "asc" }, select: { address: true, localPart: true, passwordHash: true, quotaMb: true, active: true } },
      aliases: { orderBy: [{ source: "asc" }, { destination: "asc" }], select: { source: true, destination: true } },
    },
  });
  if (!d) return null;
  return {
    ...d,
    suspended: d.suspended || d.customer.suspended,
    options: asOptions(d.options),
    releasedRRSets: asReleased(d.releasedRRSets),
  };
}
