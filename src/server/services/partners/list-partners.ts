import "server-only";
import { db } from "@/server/db";

export async function listPartners() {
  return db.partner.findMany({
    orderBy: [{ isPlatform: "desc" }, { name: "asc" }],
    select: {
      id: true,
      slug: true,
      name: true,
      isPlatform: true,
      suspended: true,
      createdAt: true,
      domains: { select: { hostname: true, primary: true }, orderBy: { primary: "desc" } },
      _count: { select: { customers: true } },
    },
  });
}
