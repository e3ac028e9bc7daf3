import "server-only";
import { db } from "@/server/db";

const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

/**
 * Is this signed-in browser still allowed in? Its session row must exist,
 * be unrevoked (sign-out) and unexpired, belong to this user, and carry the
 * user's current session version (bumped to sign a user out everywhere);
 * the user must not be disabled. Checked on every request.
 */
export async function sessionStillValid(sessionId: string, userId: string): Promise<boolean> {
  const row = await db.panelSession.findUnique({
    where: { id: sessionId },
    select: {
      revokedAt: true,
      expiresAt: true,
      lastSeenAt: true,
      sessionVersion: true,
      user: { select: { id: true, disabled: true, sessionVersion: true } },
    },
  });
  const now = Date.now();
  if (
    !row ||
    row.revokedAt ||
    row.expiresAt.getTime() <= now ||
    row.user.disabled ||
    row.user.sessionVersion !== row.sessionVersion ||
    row.user.id !== userId
  ) {
    return false;
  }
  if (now - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.panelSession.update({ where: { id: sessionId }, data: { lastSeenAt: new Date() } });
  }
  return true;
}

/** Signs a user out of every browser at once. */
export async function revokeAllSessions(userId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
