import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { user, uniq } from "../../../../tests/fixtures";
import { authenticate, INVALID_CREDENTIALS } from "./authenticate";

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("sign-in (against the test database)", () => {
  it("signs in with the right password, case-insensitively on the e-mail", async () => {
    const u = await user();
    const out = await authenticate({ email: u.email.toUpperCase(), password: u.password }, `10.0.0.${1}`);
    expect(out.id).toBe(u.id);
    const after = await db.user.findUniqueOrThrow({ where: { id: u.id }, select: { lastLoginAt: true } });
    expect(after.lastLoginAt).not.toBeNull();
  });

  it("answers a wrong password, an unknown account and a disabled user with the same message", async () => {
    const u = await user();
    const disabled = await user({ disabled: true });
    const addr = `addr-${uniq()}`;
    const wrong = await failure(authenticate({ email: u.email, password: "nope" }, addr));
    const unknown = await failure(authenticate({ email: `nobody-${uniq()}@example.org`, password: "nope" }, addr));
    const off = await failure(authenticate({ email: disabled.email, password: disabled.password }, addr));
    for (const e of [wrong, unknown, off]) {
      expect(e.code).toBe("UNAUTHORIZED");
      expect(e.message).toBe(INVALID_CREDENTIALS);
    }
  });

  it("delays an account from one address after the configured failures, even for the right password, and only there", async () => {
    const u = await user();
    const addr = `addr-${uniq()}`;
    // LOGIN_FAILURES_BEFORE_DELAY is 3 in tests.
    await failure(authenticate({ email: u.email, password: "bad1" }, addr));
    await failure(authenticate({ email: u.email, password: "bad2" }, addr));
    const third = await failure(authenticate({ email: u.email, password: "bad3" }, addr));
    expect(third.code).toBe("TOO_MANY_REQUESTS");
    expect(third.message).toMatch(/Wait \d+ seconds/);
    expect(third.retryAfterSeconds).toBe(30);
    const right = await failure(authenticate({ email: u.email, password: u.password }, addr));
    expect(right.code).toBe("TOO_MANY_REQUESTS");
    const elsewhere = await authenticate({ email: u.email, password: u.password }, `other-${uniq()}`);
    expect(elsewhere.id).toBe(u.id);
  });

  it("locks an unknown account the same way, so locking does not reveal which accounts exist", async () => {
    const email = `ghost-${uniq()}@example.org`;
    const addr = `addr-${uniq()}`;
    await failure(authenticate({ email, password: "a" }, addr));
    await failure(authenticate({ email, password: "b" }, addr));
    expect((await failure(authenticate({ email, password: "c" }, addr))).code).toBe("TOO_MANY_REQUESTS");
  });

  it("resets the account counter after a successful sign-in", async () => {
    const u = await user();
    const addr = `addr-${uniq()}`;
    await failure(authenticate({ email: u.email, password: "bad1" }, addr));
    await failure(authenticate({ email: u.email, password: "bad2" }, addr));
    await authenticate({ email: u.email, password: u.password }, addr);
    const again = await failure(authenticate({ email: u.email, password: "bad3" }, addr));
    expect(again.code).toBe("UNAUTHORIZED");
  });

  it("counts concurrent failures without losing any", async () => {
    const email = `burst-${uniq()}@example.org`;
    await Promise.allSettled(Array.from({ length: 8 }, () => authenticate({ email, password: "x" }, `a-${uniq()}`)));
    const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: `account:${email}` } });
    expect(row.failures).toBe(8);
    // 8 is far below the account-wide threshold (100): no lock.
    expect(row.lockedUntil).toBeNull();
  });
});
