import "server-only";
import { db } from "@/server/db";
import { env } from "@/env";

/**
 * Failed sign-ins, counted in the panel DB so every replica sees the same
 * counts, under three keys:
 *  - (account, address): the key that stops guessing. After a few failures
 *    each further one makes that pair wait longer (progressive delays).
 *  - address: one client spraying many accounts waits the same way, but only
 *    that address does.
 *  - account: a lock across all addresses only at a much higher threshold,
 *    and never for an address the account recently signed in from, so a
 *    stranger who knows an e-mail cannot keep its owner out.
 * A refused attempt is not a failure: it is answered at once and not counted.
 */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export type ThrottlePolicy = {
  failuresBeforeDelay: number;
  delayBaseSeconds: number;
  maxDelaySeconds: number;
  maxFailuresPerAddress: number;
  maxFailuresPerAccount: number;
  windowSeconds: number;
  lockoutSeconds: number;
  trustedAddressDays: number;
};

export const throttlePolicy = (): ThrottlePolicy => ({
  failuresBeforeDelay: env.LOGIN_FAILURES_BEFORE_DELAY,
  delayBaseSeconds: env.LOGIN_DELAY_BASE_SECONDS,
  maxDelaySeconds: env.LOGIN_MAX_DELAY_SECONDS,
  maxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
  maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
  windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
  lockoutSeconds: env.LOGIN_LOCKOUT_SECONDS,
  trustedAddressDays: env.LOGIN_TRUSTED_ADDRESS_DAYS,
});

export type ThrottleScope = "pair" | "address" | "account";
export type ThrottleKeys = Record<ThrottleScope, string>;

export function throttleKeys(email: string, address: string): ThrottleKeys {
  const account = email.trim().toLowerCase();
  return { pair: `pair:${account}|${address}`, address: `address:${address}`, account: `account:${account}` };
}

export const scopeOfKey = (key: string): ThrottleScope | null => {
  const prefix = key.slice(0, key.indexOf(":"));
  return prefix === "pair" || prefix === "address" || prefix === "account" ? prefix : null;
};

/** Seconds a (failures)th failure makes the key wait; 0 below the key's threshold. */
export function delayFor(scope: ThrottleScope, failures: number, p: ThrottlePolicy): number {
  if (scope === "account") return failures >= p.maxFailuresPerAccount ? p.lockoutSeconds : 0;
  const free = scope === "pair" ? p.failuresBeforeDelay : p.maxFailuresPerAddress;
  if (failures < free) return 0;
  // Doubling from the base, capped: 2^k overflows nothing because the cap is applied first.
  const steps = Math.min(failures - free, 30);
  return Math.min(p.maxDelaySeconds, p.delayBaseSeconds * 2 ** steps);
}

/**
 * Seconds to wait before this attempt may be checked, else 0. The account-wide
 * lock is skipped for an address the account recently signed in from.
 */
export async function lockedFor(keys: ThrottleKeys, opts: { trustedAddress: boolean; now: Date }): Promise<number> {
  const checked = opts.trustedAddress ? [keys.pair, keys.address] : [keys.pair, keys.address, keys.account];
  const rows = await db.loginThrottle.findMany({
    where: { key: { in: checked }, lockedUntil: { gt: opts.now } },
    select: { lockedUntil: true },
  });
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until ? Math.ceil((until - opts.now.getTime()) / 1000) : 0;
}

export type NewLock = { scope: ThrottleScope; key: string; failures: number; seconds: number };

async function bump(scope: ThrottleScope, key: string, p: ThrottlePolicy, now: Date): Promise<NewLock | null> {
  const stale = new Date(now.getTime() - p.windowSeconds * 1000);
  // One atomic statement: concurrent failures all count, none is lost. A key
  // whose last failure is older than the window starts again from one.
  const [row] = await db.$queryRaw<{ failures: number; lockedUntil: Date | null }[]>`
    INSERT INTO "LoginThrottle" ("key", "failures", "windowStart", "lockedUntil", "updatedAt")
    VALUES (${key}, 1, ${now}, NULL, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."updatedAt" < ${stale} THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
      "windowStart" = CASE WHEN "LoginThrottle"."updatedAt" < ${stale} THEN ${now} ELSE "LoginThrottle"."windowStart" END,
      "updatedAt" = ${now}
    RETURNING "failures", "lockedUntil"`;
  if (!row) throw new Error(`counting a failed sign-in for ${scope}: the upsert returned no row`);
  const seconds = delayFor(scope, row.failures, p);
  if (seconds === 0) return null;
  const until = new Date(now.getTime() + seconds * 1000);
  // Concurrent failures may finish out of order: a lock only ever grows.
  await db.$executeRaw`
    UPDATE "LoginThrottle" SET "lockedUntil" = GREATEST(COALESCE("lockedUntil", ${until}), ${until}) WHERE "key" = ${key}`;
  const wasLocked = row.lockedUntil !== null && row.lockedUntil > now;
  return wasLocked ? null : { scope, key, failures: row.failures, seconds };
}

/** Counts one failure under every key; returns the keys this failure newly locked. */
export async function recordFailure(keys: ThrottleKeys, p: ThrottlePolicy, now: Date): Promise<NewLock[]> {
  const locks: NewLock[] = [];
  for (const scope of ["pair", "address", "account"] as const) {
    const lock = await bump(scope, keys[scope], p, now);
    if (lock) locks.push(lock);
  }
  return locks;
}

/**
 * A success clears only its own (account, address) pair: the address and
 * account counters keep running, so one valid account cannot reset the count
 * of an address spraying others, and a guesser elsewhere stays counted.
 */
export async function recordSuccess(keys: ThrottleKeys): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: keys.pair } });
}
