import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { loadViewer } from "@/server/auth/viewer";
import type { ThrottlePolicy } from "@/server/auth/throttle";
import { authenticate, startSession } from "@/server/services/auth/authenticate";
import { liftLoginLock, listLoginLocks } from "@/server/services/auth/login-locks";
import { member, uniq, user } from "../fixtures";

/** A clock the test moves by hand: no test ever waits for a delay to pass. */
function testClock(start = Date.UTC(2026, 11, 2, 12)) {
  let t = start;
  return { now: () => new Date(t), advance: (seconds: number) => void (t += seconds * 1000) };
}

const policy: ThrottlePolicy = {
  failuresBeforeDelay: 3,
  delayBaseSeconds: 30,
  maxDelaySeconds: 900,
  maxFailuresPerAddress: 20,
  maxFailuresPerAccount: 100,
  windowSeconds: 3600,
  lockoutSeconds: 900,
  trustedAddressDays: 30,
};

/** A distinct address from the documentation range, as the edge server would report it. */
const address = () => `2001:db8:${uniq().slice(0, 4)}:${uniq().slice(0, 4)}::${uniq().slice(0, 4)}`;

async function outcome(p: Promise<unknown>): Promise<"ok" | "refused" | "wrong"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.code === "TOO_MANY_REQUESTS") {
      expect(e.retryAfterSeconds).toBeGreaterThan(0);
      return "refused";
    }
    expect(e.code).toBe("UNAUTHORIZED");
    return "wrong";
  }
}

async function admin() {
  const u = await user();
  await member(u.id, { platform: true });
  return u;
}

describe("sign-in throttle (against the test database)", { timeout: 120_000 }, () => {
  it("200 failures over unknown accounts from one address do not stop another address signing in", async () => {
    const clock = testClock();
    const sprayer = address();
    const u = await user();
    const seen = { ok: 0, refused: 0, wrong: 0 };
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) {
      const r = await outcome(authenticate({ email: `nobody-${uniq()}@example.org`, password: "guess" }, sprayer, { clock: clock.now, policy }));
      seen[r]++;
    }
    const ms = performance.now() - t0;
    // The first 20 were checked (hashing a dummy password); the other 180 were refused at once, without hashing.
    expect(seen).toEqual({ ok: 0, wrong: 19, refused: 181 });
    console.log(`[throttle] 200 sprayed attempts in ${ms.toFixed(0)} ms (181 refused without hashing)`);
    expect(await outcome(authenticate({ email: u.email, password: u.password }, sprayer, { clock: clock.now, policy }))).toBe("refused");
    expect(await outcome(authenticate({ email: u.email, password: u.password }, address(), { clock: clock.now, policy }))).toBe("ok");
  });

  it("50 failures on the admin's e-mail from one address do not stop the admin signing in from another", async () => {
    const clock = testClock();
    const a = await admin();
    const attacker = address();
    const waits: number[] = [];
    for (let i = 0; i < 50; i++) {
      // Wait out any delay first, so all 50 are real failures that count.
      if (i > 0) clock.advance(policy.maxDelaySeconds + 1);
      try {
        await authenticate({ email: a.email, password: `wrong-${i}` }, attacker, { clock: clock.now, policy });
      } catch (e) {
        if (e instanceof AppError && e.code === "TOO_MANY_REQUESTS" && e.retryAfterSeconds) waits.push(e.retryAfterSeconds);
      }
    }
    // Progressive: 30 s after the third failure, doubling, capped at 15 minutes.
    expect(waits.slice(0, 6)).toEqual([30, 60, 120, 240, 480, 900]);
    expect(await outcome(authenticate({ email: a.email, password: a.password }, attacker, { clock: clock.now, policy }))).toBe("refused");
    expect(await outcome(authenticate({ email: a.email, password: a.password }, address(), { clock: clock.now, policy }))).toBe("ok");
  });

  it("locks the account everywhere at the high threshold, except from an address it recently signed in from", async () => {
    const clock = testClock();
    const policy40 = { ...policy, maxFailuresPerAccount: 20 };
    const u = await user();
    const home = address();
    await authenticate({ email: u.email, password: u.password }, home, { clock: clock.now, policy: policy40 });
    await startSession(u, { address: home, userAgent: "test", maxAgeSeconds: 60 }, clock.now);
    // 20 failures from 20 addresses: no pair and no address reaches its own threshold.
    for (let i = 0; i < policy40.maxFailuresPerAccount; i++) {
      await outcome(authenticate({ email: u.email, password: "wrong" }, address(), { clock: clock.now, policy: policy40 }));
    }
    expect(await outcome(authenticate({ email: u.email, password: u.password }, address(), { clock: clock.now, policy: policy40 }))).toBe("refused");
    expect(await outcome(authenticate({ email: u.email, password: u.password }, home, { clock: clock.now, policy: policy40 }))).toBe("ok");
    const locked = await db.auditEvent.findMany({ where: { action: "auth.locked", targetId: `account:${u.email}` } });
    expect(locked).toHaveLength(1);
    expect(locked[0]?.metadata).toMatchObject({ scope: "account", failures: 20, seconds: 900 });
    // Trust ends with LOGIN_TRUSTED_ADDRESS_DAYS.
    clock.advance(31 * 86_400);
    const stale = address();
    for (let i = 0; i < policy40.maxFailuresPerAccount; i++) await outcome(authenticate({ email: u.email, password: "x" }, `${stale}${i}`, { clock: clock.now, policy: policy40 }));
    expect(await outcome(authenticate({ email: u.email, password: u.password }, home, { clock: clock.now, policy: policy40 }))).toBe("refused");
  });

  it("records failures and locks with the real client addresses", async () => {
    const clock = testClock();
    const u = await user();
    const from = address();
    for (let i = 0; i < 3; i++) await outcome(authenticate({ email: u.email, password: "bad" }, from, { clock: clock.now, policy }));
    const events = await db.auditEvent.findMany({ where: { ip: from }, orderBy: { at: "asc" }, select: { action: true, targetId: true, ip: true } });
    expect(events.filter((e) => e.action === "auth.sign_in_failed")).toHaveLength(3);
    expect(events.filter((e) => e.action === "auth.sign_in_failed").every((e) => e.targetId === u.id)).toBe(true);
    expect(events.find((e) => e.action === "auth.locked")).toMatchObject({ targetId: `pair:${u.email}|${from}`, ip: from });
  });

  it("an admin sees locks and lifts one; the lift is audited with who did it", async () => {
    const clock = testClock();
    const a = await admin();
    const adminViewer = await loadViewer(a.id, "s");
    const u = await user();
    const plain = await loadViewer(u.id, "s");
    if (!adminViewer || !plain) throw new Error("viewers not loaded");
    const from = address();
    for (let i = 0; i < 3; i++) await outcome(authenticate({ email: u.email, password: "bad" }, from, { clock: clock.now, policy }));
    const locks = await listLoginLocks(adminViewer, clock.now);
    const mine = locks.find((l) => l.key === `pair:${u.email}|${from}`);
    expect(mine).toMatchObject({ scope: "pair", account: u.email, address: from, failures: 3 });
    await expect(listLoginLocks(plain, clock.now)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(liftLoginLock(plain, `pair:${u.email}|${from}`, { ip: "203.0.113.9" })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await liftLoginLock(adminViewer, `pair:${u.email}|${from}`, { ip: "203.0.113.9" });
    expect(await outcome(authenticate({ email: u.email, password: u.password }, from, { clock: clock.now, policy }))).toBe("ok");
    const lifted = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.lock_lifted", targetId: `pair:${u.email}|${from}` } });
    expect(lifted).toMatchObject({ actorUserId: a.id, ip: "203.0.113.9" });
    await expect(liftLoginLock(adminViewer, `pair:${u.email}|${from}`, { ip: "203.0.113.9" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("forgets failures after the window", async () => {
    const clock = testClock();
    const u = await user();
    const from = address();
    for (let i = 0; i < 2; i++) await outcome(authenticate({ email: u.email, password: "bad" }, from, { clock: clock.now, policy }));
    clock.advance(policy.windowSeconds + 1);
    // Counting starts again: two more failures are still below the delay threshold.
    expect(await outcome(authenticate({ email: u.email, password: "bad" }, from, { clock: clock.now, policy }))).toBe("wrong");
    expect(await outcome(authenticate({ email: u.email, password: "bad" }, from, { clock: clock.now, policy }))).toBe("wrong");
  });
});
