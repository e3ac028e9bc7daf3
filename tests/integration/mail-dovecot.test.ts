import { execFile } from "node:child_process";
import { promisify } from "node:util";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { createMailDb, MailDbError } from "@/server/integrations/mail-sql/client";
import { readStackEnv } from "../setup/stack-env";
import { uniq } from "../fixtures";

const run = promisify(execFile);
const stack = readStackEnv();
const mail = createMailDb(stack.MAIL_DB_URL ?? "");
const domains: string[] = [];

/** Dovecot's own verdict: `doveadm auth test` exits 0 on success and 77 on failure. */
async function dovecotAuth(user: string, password: string): Promise<number> {
  try {
    await run("doveadm", ["-c", stack.DOVECOT_CONF ?? "", "auth", "test", user, password], { timeout: 20_000 });
    return 0;
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
}

afterAll(async () => {
  for (const d of domains) await mail.removeDomain(d);
  await mail.close();
});

describe("mail DB written with mysql2, read by Dovecot", () => {
  it("a mailbox with a bcrypt hash logs in through Dovecot; a wrong password is refused", async () => {
    const domain = `mail-${uniq()}.example.org`;
    domains.push(domain);
    const id = await mail.ensureDomain(domain, "cust-test");
    const email = `alice@${domain}`;
    await mail.ensureMailbox(id, {
      email,
      passwordHash: await bcrypt.hash("S3cret-pass!", 10),
      quotaBytes: 1024 ** 3,
      active: true,
      maildir: `vhosts/${domain}/alice/`,
    });
    expect(await dovecotAuth(email, "S3cret-pass!")).toBe(0);
    expect(await dovecotAuth(email, "wrong-pass")).toBe(77);
  });

  it("a deactivated mailbox no longer logs in, and removing the domain removes its mailboxes", async () => {
    const domain = `off-${uniq()}.example.org`;
    domains.push(domain);
    const id = await mail.ensureDomain(domain, "cust-test");
    const email = `bob@${domain}`;
    const spec = { email, passwordHash: await bcrypt.hash("pw-bob-123", 10), quotaBytes: 0, active: true, maildir: `vhosts/${domain}/bob/` };
    await mail.ensureMailbox(id, spec);
    expect(await dovecotAuth(email, "pw-bob-123")).toBe(0);
    await mail.ensureMailbox(id, { ...spec, active: false });
    expect(await dovecotAuth(email, "pw-bob-123")).toBe(77);
    await mail.ensureMailbox(id, spec);
    await mail.removeDomain(domain);
    expect(await mail.getDomain(domain)).toBeNull();
    expect(await dovecotAuth(email, "pw-bob-123")).toBe(77);
  });

  it("ensureDomain is idempotent and refuses a domain registered to another customer", async () => {
    const domain = `own-${uniq()}.example.org`;
    domains.push(domain);
    const a = await mail.ensureDomain(domain, "cust-1");
    expect(await mail.ensureDomain(domain, "cust-1")).toBe(a);
    expect(await mail.ensureDomainRow(domain, "cust-1")).toEqual({ id: a, created: false });
    const err = await mail.ensureDomain(domain, "cust-2").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailDbError);
    expect((err as MailDbError).transient).toBe(false);
  });
});
