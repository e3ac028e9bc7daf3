import "server-only";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { assertPlatformAdmin } from "@/server/auth/permissions";
import type { Viewer } from "@/server/auth/viewer";
import { scopeOfKey, systemClock, type Clock, type ThrottleScope } from "@/server/auth/throttle";
import { recordAudit } from "@/server/services/audit/record";
import { assertStorableText } from "@/server/validation/storable-text";

export type LoginLock = {
  key: string;
  scope: ThrottleScope;
  /** The e-mail of an account or pair lock. */
  account: string | null;
  /** The client address of an address or pair lock. */
  address: string | null;
  failures: number;
  lockedUntil: Date;
  lastFailureAt: Date;
};

function describe(key: string): Pick<LoginLock, "scope" | "account" | "address"> | null {
  const scope = scopeOfKey(key);
  const rest = key.slice(key.indexOf(":") + 1);
  if (scope === "account") return { scope, account: rest, address: null };
  if (scope === "address") return { scope, account: null, address: rest };
  if (scope === "pair") {
    const bar = rest.lastIndexOf("|");
    return { scope, account: rest.slice(0, bar), address: rest.slice(bar + 1) };
  }
  return null;
}

/** Every sign-in lock or delay in force now, the longest first. */
export async function listLoginLocks(viewer: Viewer, clock: Clock = systemClock): Promise<LoginLock[]> {
  assertPlatformAdmin(viewer);
  const rows = await db.loginThrottle.findMany({
    where: { lockedUntil: { gt: clock() } },
    orderBy: { lockedUntil: "desc" },
    take: 500,
    select: { key: true, failures: true, lockedUntil: true, updatedAt: true },
  });
  return rows.flatMap((r) => {
    const d = describe(r.key);
    return d && r.lockedUntil ? [{ key: r.key, ...d, failures: r.failures, lockedUntil: r.lockedUntil, lastFailureAt: r.updatedAt }] : [];
  });
}

/** Lifts one lock (its failures are forgotten too), recorded in the audit log with who lifted it. */
export async function liftLoginLock(viewer: Viewer, key: string, meta: { ip: string }): Promise<void> {
  assertPlatformAdmin(viewer);
  // Called from a server action, not through a procedure: the same edge check.
  assertStorableText(key);
  const d = describe(key);
  if (!d) throw new AppError("BAD_REQUEST", "That is not a sign-in lock.");
  await db.$transaction(async (tx) => {
    const gone = await tx.loginThrottle.deleteMany({ where: { key } });
    if (gone.count === 0) throw new AppError("NOT_FOUND", "That lock has already been lifted or has expired.");
    await recordAudit(
      { action: "auth.lock_lifted", targetType: "login_throttle", targetId: key, actorUserId: viewer.userId, ip: meta.ip, metadata: d },
      tx,
    );
  });
}
