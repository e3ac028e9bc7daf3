import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { user } from "../../../tests/fixtures";
import { revokeAllSessions, sessionStillValid } from "./session-check";

async function session(userId: string, extra: { expiresAt?: Date; revokedAt?: Date } = {}) {
  const u = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
  return db.panelSession.create({
    data: { userId, sessionVersion: u.sessionVersion, expiresAt: extra.expiresAt ?? new Date(Date.now() + 3_600_000), revokedAt: extra.revokedAt },
  });
}

describe("sessions are checked on every request and can be revoked", () => {
  it("a fresh session is valid; signing out (revokedAt) ends it", async () => {
    const u = await user();
    const s = await session(u.id);
    expect(await sessionStillValid(s.id, u.id)).toBe(true);
    await db.panelSession.update({ where: { id: s.id }, data: { revokedAt: new Date() } });
    expect(await sessionStillValid(s.id, u.id)).toBe(false);
  });

  it("bumping the user's session version signs every browser out at once", async () => {
    const u = await user();
    const a = await session(u.id);
    const b = await session(u.id);
    await revokeAllSessions(u.id);
    expect(await sessionStillValid(a.id, u.id)).toBe(false);
    expect(await sessionStillValid(b.id, u.id)).toBe(false);
    // A session started after the bump is fine.
    expect(await sessionStillValid((await session(u.id)).id, u.id)).toBe(true);
  });

  it("expired sessions, disabled users, unknown sessions and another user's session are refused", async () => {
    const u = await user();
    const other = await user();
    expect(await sessionStillValid((await session(u.id, { expiresAt: new Date(Date.now() - 1000) })).id, u.id)).toBe(false);
    const s = await session(u.id);
    expect(await sessionStillValid(s.id, other.id)).toBe(false);
    expect(await sessionStillValid("no-such-session", u.id)).toBe(false);
    await db.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect(await sessionStillValid(s.id, u.id)).toBe(false);
  });
});
