import "server-only";
import { db } from "@/server/db";
import { env } from "@/env";

/**
 * Failed sign-ins are counted per account (e-mail as typed, whether or not it
 * exists) and per client address, in the panel DB so every replica sees the
 * same counts. Reaching a threshold inside the window locks that key.
 */
export type ThrottleKeys = { account: string; address: string };

export const throttleKeys = (email: string, address: string): ThrottleKeys => ({
  account: `account:${email.trim().toLowerCase()}`,
  address: `address:${address}`,
});

/** Seconds to wait if either key is locked, else 0. */
export async function lockedFor(keys: ThrottleKeys): Promise<number> {
  const rows = await db.loginThrottle.findMany({
    where: { key: { in: [keys.account, keys.address] }, lockedUntil: { gt: new Date() } },
    select: { lockedUntil: true },
  });
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until ? Math.ceil((until - Date.now()) / 1000) : 0;
}

async function bump(key: string, max: number): Promise<void> {
  const window = env.LOGIN_FAILURE_WINDOW_SECONDS;
  const lockout = env.LOGIN_LOCKOUT_SECONDS;
  // One atomic statement: concurrent failures all count, none is lost.
  await db.$executeRaw`
    INSERT INTO "LoginThrottle" ("key", "failures", "windowStart", "lockedUntil", "updatedAt")
    VALUES (${key}, 1, now(), CASE WHEN 1 >= ${max} THEN now() + make_interval(secs => ${lockout}) END, now())
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."windowStart" < now() - make_interval(secs => ${window})
                        THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
      "windowStart" = CASE WHEN "LoginThrottle"."windowStart" < now() - make_interval(secs => ${window})
                           THEN now() ELSE "LoginThrottle"."windowStart" END,
      "lockedUntil" = CASE WHEN (CASE WHEN "LoginThrottle"."windowStart" < now() - make_interval(secs => ${window})
                                      THEN 1 ELSE "LoginThrottle"."failures" + 1 END) >= ${max}
                           THEN now() + make_interval(secs => ${lockout}) ELSE "LoginThrottle"."lockedUntil" END,
      "updatedAt" = now()`;
}

export async function recordFailure(keys: ThrottleKeys): Promise<void> {
  await bump(keys.account, env.LOGIN_MAX_FAILURES_PER_ACCOUNT);
  await bump(keys.address, env.LOGIN_MAX_FAILURES_PER_ADDRESS);
}

export async function recordSuccess(keys: ThrottleKeys): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: keys.account } });
}
