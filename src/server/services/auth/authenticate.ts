import "server-only";
import { z } from "zod";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "@/server/auth/password";
import { lockedFor, recordFailure, recordSuccess, throttleKeys } from "@/server/auth/throttle";
import { recordAudit } from "@/server/services/audit/record";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid e-mail address").max(254),
  password: z.string().min(1, "Enter your password").max(1024, "That password is too long"),
});

export const INVALID_CREDENTIALS = "That e-mail and password do not match an account.";

export function waitMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes > 1
    ? `Too many failed sign-ins. Wait ${minutes} minutes and try again.`
    : `Too many failed sign-ins. Wait a minute and try again.`;
}

/**
 * Checks an e-mail and password. Throws AppError UNAUTHORIZED with one message
 * for an unknown account, a wrong password and a disabled user alike, or
 * TOO_MANY_REQUESTS (with the wait) while throttled. Never says which.
 */
export async function authenticate(input: { email: string; password: string }, address: string) {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new AppError("UNAUTHORIZED", INVALID_CREDENTIALS);
  const { email, password } = parsed.data;
  const keys = throttleKeys(email, address);

  const wait = await lockedFor(keys);
  if (wait > 0) throw new AppError("TOO_MANY_REQUESTS", waitMessage(wait), { retryAfterSeconds: wait });

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabled: true, sessionVersion: true },
  });
  const ok = user ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password), false);
  if (!user || !ok || user.disabled) {
    await recordFailure(keys);
    await recordAudit({ action: "auth.sign_in_failed", targetType: "user", targetId: user?.id, ip: address });
    const after = await lockedFor(keys);
    if (after > 0) throw new AppError("TOO_MANY_REQUESTS", waitMessage(after), { retryAfterSeconds: after });
    throw new AppError("UNAUTHORIZED", INVALID_CREDENTIALS);
  }

  await recordSuccess(keys);
  await db.user.update({
    where: { id: user.id },
    data: {
      lastLoginAt: new Date(),
      ...(needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(password) } : {}),
    },
  });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
