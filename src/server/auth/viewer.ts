import "server-only";
import { cache } from "react";
import type { CustomerRole, Role } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { auth } from "@/server/auth/config";

export type ViewerMembership = {
  role: Role;
  partnerId: string | null;
  customerId: string | null;
  customerRole: CustomerRole | null;
};

/** The signed-in person and every scope they hold, read fresh on each request. */
export type Viewer = {
  userId: string;
  sessionId: string;
  email: string;
  name: string;
  memberships: ViewerMembership[];
  isPlatformAdmin: boolean;
  /** Partners this person administers. */
  partnerIds: string[];
  /** Customers this person is a direct member of. */
  customerIds: string[];
};

export async function loadViewer(userId: string, sessionId: string): Promise<Viewer | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      disabled: true,
      memberships: { select: { role: true, partnerId: true, customerId: true, customerRole: true } },
    },
  });
  if (!user || user.disabled) return null;
  const m = user.memberships;
  return {
    userId: user.id,
    sessionId,
    email: user.email,
    name: user.name,
    memberships: m,
    isPlatformAdmin: m.some((x) => x.role === "PLATFORM_ADMIN"),
    partnerIds: m.flatMap((x) => (x.role === "PARTNER_ADMIN" && x.partnerId ? [x.partnerId] : [])),
    customerIds: m.flatMap((x) => (x.role === "CUSTOMER" && x.customerId ? [x.customerId] : [])),
  };
}

/** The viewer of the current request (React-cached: one lookup per render). */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await auth();
  if (!session?.user?.id || !session.sessionId) return null;
  return loadViewer(session.user.id, session.sessionId);
});

/** Where a person lands after signing in: the most powerful home they hold. */
export function homeFor(viewer: Viewer): string {
  if (viewer.isPlatformAdmin) return "/admin";
  if (viewer.partnerIds.length) return "/partner";
  if (viewer.customerIds.length) return "/domains";
  return "/no-access";
}
