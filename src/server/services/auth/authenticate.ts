import "server-only";
import { z } from "zod";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "@/server/auth/password";
import {
  lockedFor,
  recordFailure,
  recordSuccess,
  systemClock,
  throttleKeys,
  throttlePolicy,
  type Clock,
  type ThrottlePolicy,
} from "@/server/auth/throttle";
import { recordAudit } from "@/server/services/audit/record";
import { UNKNOWN_ADDRESS } from "@/server/auth/client-address";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid e-mail address").max(254),
  password: z.string().min(1, "Enter your password").max(1024, "That password is too long"),
});

export const INVALID_CREDENTIALS = "That e-mail and password do not match an account.";

export function waitMessage(seconds: number): string {
  if (seconds < 60) return `Too many failed sign-ins. Wait ${seconds} seconds and try again.`;
  const minutes = Math.ceil(seconds / 60);
  return minutes > 1
    ? `Too many failed sign-ins. Wait ${minutes} minutes and try again.`
    : `Too many failed sign-ins. Wait a minute and try again.`;
}

export type AuthenticateOptions = { clock?: Clock; policy?: ThrottlePolicy };

const throttled = (seconds: number) =>
  new AppError("TOO_MANY_REQUESTS", waitMessage(seconds), { retryAfterSeconds: seconds });

/** Has this account signed in from this address recently? Then the account-wide lock does not apply to it. */
async function trustedAddress(userId: string | undefined, address: string, now: Date, days: number): Promise<boolean> {
  if (!userId || address === UNKNOWN_ADDRESS) return false;
  const since = new Date(now.getTime() - days * 86_400_000);
  const hit = await db.panelSession.findFirst({ where: { userId, ip: address, createdAt: { gt: since } }, select: { id: true } });
  return hit !== null;
}

/**
 * Checks an e-mail and password. Throws AppError UNAUTHORIZED with one message
 * for an unknown account, a wrong password and a disabled user alike, or
 * TOO_MANY_REQUESTS (with the wait) while throttled. Never says which. A
 * throttled attempt is refused before any password hashing.
 */
export async function authenticate(input: { email: string; password: string }, address: string, opts: AuthenticateOptions = {}) {
  const clock = opts.clock ?? systemClock;
  const policy = opts.policy ?? throttlePolicy();
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new AppError("UNAUTHORIZED", INVALID_CREDENTIALS);
  const { email, password } = parsed.data;
  const keys = throttleKeys(email, address);
  const now = clock();

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabled: true, sessionVersion: true },
  });
  const trusted = await trustedAddress(user?.id, address, now, policy.trustedAddressDays);
  const wait = await lockedFor(keys, { trustedAddress: trusted, now });
  if (wait > 0) throw throttled(wait);

  const ok = user ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password), false);
  if (!user || !ok || user.disabled) {
    const locks = await recordFailure(keys, policy, now);
    await recordAudit({ action: "auth.sign_in_failed", targetType: "user", targetId: user?.id, ip: address });
    for (const lock of locks) {
      await recordAudit({
        action: "auth.locked",
        targetType: "login_throttle",
        targetId: lock.key,
        ip: address,
        metadata: { scope: lock.scope, failures: lock.failures, seconds: lock.seconds },
      });
    }
    const after = await lockedFor(keys, { trustedAddress: trusted, now });
    if (after > 0) throw throttled(after);
    throw new AppError("UNAUTHORIZED", INVALID_CREDENTIALS);
  }

  await recordSuccess(keys);
  await db.user.update({
    where: { id: user.id },
    data: {
      lastLoginAt: now,
      ...(needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(password) } : {}),
    },
  });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

/** The session row of a successful sign-in; its address later exempts this account from its account-wide lock there. */
export async function startSession(
  user: { id: string; sessionVersion: number },
  meta: { address: string; userAgent: string | null; maxAgeSeconds: number },
  clock: Clock = systemClock,
) {
  const now = clock();
  return db.panelSession.create({
    data: {
      userId: user.id,
      sessionVersion: user.sessionVersion,
      ip: meta.address,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + meta.maxAgeSeconds * 1000),
    },
    select: { id: true },
  });
}
