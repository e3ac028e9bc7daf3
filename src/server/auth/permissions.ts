import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Viewer } from "@/server/auth/viewer";

/**
 * What a request may see, decided on the server from the session alone. Every
 * service takes one of these and filters by it; ids from input are checked
 * against it, never trusted on their own.
 */
export type Scope =
  | { kind: "platform" }
  | { kind: "partner"; partnerId: string }
  | { kind: "customer"; customerId: string; partnerId: string };

export function assertPlatformAdmin(viewer: Viewer): Scope {
  if (!viewer.isPlatformAdmin) throw new AppError("FORBIDDEN", "Only platform administrators can do that.");
  return { kind: "platform" };
}

export function resolvePartnerScope(viewer: Viewer, requested?: string): Scope & { kind: "partner" } {
  if (requested) {
    if (viewer.isPlatformAdmin || viewer.partnerIds.includes(requested)) return { kind: "partner", partnerId: requested };
    // Same answer as a missing partner: do not confirm that it exists.
    throw new AppError("NOT_FOUND", "No such partner.");
  }
  const only = viewer.partnerIds.length === 1 ? viewer.partnerIds[0] : undefined;
  if (only) return { kind: "partner", partnerId: only };
  if (!viewer.partnerIds.length) throw new AppError("FORBIDDEN", "You do not administer a partner.");
  throw new AppError("BAD_REQUEST", "Choose which partner you mean.");
}

/**
 * A customer the viewer may act on: a direct member, an admin of the partner
 * that sells to it, or a platform admin. Anything else reads as "not found".
 */
export async function resolveCustomerScope(viewer: Viewer, requested?: string): Promise<Scope & { kind: "customer" }> {
  const customerId =
    requested ??
    (viewer.customerIds.length === 1 ? viewer.customerIds[0] : undefined) ??
    (() => {
      throw new AppError(
        viewer.customerIds.length ? "BAD_REQUEST" : "FORBIDDEN",
        viewer.customerIds.length ? "Choose which customer account you mean." : "You are not a member of a customer account.",
      );
    })();
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { id: true, partnerId: true } });
  const allowed =
    customer &&
    (viewer.isPlatformAdmin || viewer.customerIds.includes(customer.id) || viewer.partnerIds.includes(customer.partnerId));
  if (!customer || !allowed) throw new AppError("NOT_FOUND", "No such customer account.");
  return { kind: "customer", customerId: customer.id, partnerId: customer.partnerId };
}

/** Prisma `where` for customers visible in a scope. */
export function customerWhere(scope: Scope) {
  switch (scope.kind) {
    case "platform":
      return {};
    case "partner":
      return { partnerId: scope.partnerId };
    case "customer":
      return { id: scope.customerId };
  }
}
