import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Scope } from "@/server/auth/permissions";

/**
 * API tokens: `berth_<43 random base64url chars>`, shown once; only the
 * SHA-256 is stored (a token has 256 bits of entropy, so a fast hash is right).
 */
const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(opts: {
  name: string;
  scope: Scope;
  createdById?: string | null;
  expiresAt?: Date | null;
}): Promise<{ id: string; token: string; prefix: string }> {
  const token = `berth_${randomBytes(32).toString("base64url")}`;
  const prefix = token.slice(0, 12);
  const s = opts.scope;
  const row = await db.apiToken.create({
    data: {
      name: opts.name,
      prefix,
      tokenHash: hash(token),
      scope: s.kind === "platform" ? "PLATFORM" : s.kind === "partner" ? "PARTNER" : "CUSTOMER",
      partnerId: s.kind === "partner" || s.kind === "customer" ? s.partnerId : null,
      customerId: s.kind === "customer" ? s.customerId : null,
      createdById: opts.createdById ?? null,
      expiresAt: opts.expiresAt ?? null,
    },
    select: { id: true },
  });
  return { id: row.id, token, prefix };
}

export type TokenPrincipal = { tokenId: string; scope: Scope };

/** The principal behind an `Authorization: Bearer …` header, or UNAUTHORIZED. */
export async function authenticateToken(header: string | null): Promise<TokenPrincipal> {
  const m = /^Bearer\s+(berth_[A-Za-z0-9_-]{20,100})$/.exec(header?.trim() ?? "");
  if (!m?.[1]) throw new AppError("UNAUTHORIZED", "Send an API token as `Authorization: Bearer berth_…`.");
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hash(m[1]) },
    select: { id: true, scope: true, partnerId: true, customerId: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date())) {
    throw new AppError("UNAUTHORIZED", "That API token is not valid (unknown, revoked or expired).");
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const scope: Scope =
    row.scope === "PLATFORM"
      ? { kind: "platform" }
      : row.scope === "PARTNER" && row.partnerId
        ? { kind: "partner", partnerId: row.partnerId }
        : row.customerId && row.partnerId
          ? { kind: "customer", customerId: row.customerId, partnerId: row.partnerId }
          : (() => {
              throw new AppError("UNAUTHORIZED", "That API token has no scope.");
            })();
  return { tokenId: row.id, scope };
}

/** The customer a token may act on: its own, or one it names inside its platform/partner scope. */
export async function customerScopeForToken(p: TokenPrincipal, customerId: string | undefined): Promise<Scope & { kind: "customer" }> {
  if (p.scope.kind === "customer") {
    if (customerId && customerId !== p.scope.customerId) throw new AppError("NOT_FOUND", "No such customer.");
    return p.scope;
  }
  if (!customerId) throw new AppError("BAD_REQUEST", "Name the customer: customerId is required with this token.", { fields: { customerId: "Required" } });
  const c = await db.customer.findUnique({ where: { id: customerId }, select: { id: true, partnerId: true } });
  if (!c || (p.scope.kind === "partner" && c.partnerId !== p.scope.partnerId)) throw new AppError("NOT_FOUND", "No such customer.");
  return { kind: "customer", customerId: c.id, partnerId: c.partnerId };
}
