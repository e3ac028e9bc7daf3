import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { createDovecotAdmin } from "@/server/integrations/dovecot/client";
import { createMailDb } from "@/server/integrations/mail-sql/client";
import { autoresponderScript, createMailSystemDb } from "@/server/integrations/mail-sql/mail-system";
import { createSmtpClient, SmtpError } from "@/server/integrations/smtp/client";
import { header, imapInbox, imapLoginWorks, imapWaitFor, refusal, sinkMessages, sleep, stack, swaks, waitFor } from "../helpers/mail";

/**
 * The running mail system (Postfix + Dovecot from k8s/mail) over mail-DB rows written
 * by Berth's adapters, with real clients: swaks for SMTP, imapflow for IMAP. The
 * provisioning path (addDomain → reconcile → deliver) is in mail-delivery.test.ts.
 */
const run = promisify(execFile);
const uniq = () => randomBytes(5).toString("hex");
const mail = createMailDb(stack.MAIL_DB_URL ?? "");
const system = createMailSystemDb(stack.MAIL_DB_URL ?? "");
const dovecot = createDovecotAdmin({ url: stack.DOVEADM_URL ?? "", apiKey: stack.DOVEADM_API_KEY ?? "" });
const domains: string[] = [];
const PASSWORD = "Correct-Horse-42";

afterAll(async () => {
  for (const d of domains) await mail.removeDomain(d);
  await mail.close();
  await system.close();
});

async function domainWith(localParts: string[], opts: { quotaBytes?: number } = {}) {
  const domain = `ms-${uniq()}.test`;
  domains.push(domain);
  const id = await mail.ensureDomain(domain, "cust-mail-test");
  const hash = await bcrypt.hash(PASSWORD, 10);
  for (const l of localParts) {
    await mail.ensureMailbox(id, { email: `${l}@${domain}`, passwordHash: hash, quotaBytes: opts.quotaBytes ?? 0, active: true, maildir: `vhosts/${domain}/${l}/` });
  }
  return { domain, id };
}

describe("the mail system delivers from the mail DB", () => {
  it("a catch-all takes unknown local parts, never a mailbox's own mail", async () => {
    const { domain, id } = await domainWith(["alice", "bob"]);
    await mail.ensureAlias(id, `@${domain}`, `bob@${domain}`);
    const s1 = `catch ${uniq()}`;
    const s2 = `own ${uniq()}`;
    expect((await swaks({ from: "sender@outside.test", to: `whoever-${uniq()}@${domain}`, subject: s1 })).ok).toBe(true);
    expect((await swaks({ from: "sender@outside.test", to: `alice@${domain}`, subject: s2 })).ok).toBe(true);
    await imapWaitFor(`bob@${domain}`, PASSWORD, s1);
    await imapWaitFor(`alice@${domain}`, PASSWORD, s2);
    expect((await imapInbox(`bob@${domain}`, PASSWORD)).map((m) => m.subject)).not.toContain(s2);
  });

  it("a disabled mailbox refuses (5xx); a suspended domain defers (4xx) and accepts again after resume", async () => {
    const { domain, id } = await domainWith(["carol"]);
    const to = `carol@${domain}`;
    await mail.ensureMailbox(id, { email: to, passwordHash: await bcrypt.hash(PASSWORD, 10), quotaBytes: 0, active: false, maildir: `vhosts/${domain}/carol/` });
    const off = await swaks({ from: "sender@outside.test", to, subject: "to a disabled mailbox" });
    expect(off.ok).toBe(false);
    expect(refusal(off)).toMatch(/^550 5\.1\.1 /);

    await mail.ensureMailbox(id, { email: to, passwordHash: await bcrypt.hash(PASSWORD, 10), quotaBytes: 0, active: true, maildir: `vhosts/${domain}/carol/` });
    expect(await mail.setDomainSuspended(domain, true)).toBe(1);
    const held = await swaks({ from: "sender@outside.test", to, subject: "while suspended" });
    expect(held.ok).toBe(false);
    expect(refusal(held)).toMatch(/^450 4\.2\.1 .*suspended/);
    expect(await imapLoginWorks(to, PASSWORD)).toBe(false);
    expect(await mail.setDomainSuspended(domain, false)).toBe(1);
    expect(await imapLoginWorks(to, PASSWORD)).toBe(true);
    const subject = `after resume ${uniq()}`;
    expect((await swaks({ from: "sender@outside.test", to, subject })).ok).toBe(true);
    await imapWaitFor(to, PASSWORD, subject);
  });

  it("a mailbox over its quota refuses delivery with 552 and reports itself full", async () => {
    const { domain, id } = await domainWith(["dave"], { quotaBytes: 0 });
    const to = `dave@${domain}`;
    expect(await dovecot.usage(to)).toMatchObject({ usedBytes: 0, limitBytes: null, full: false });
    const subject = `fills it ${uniq()}`;
    expect((await swaks({ from: "sender@outside.test", to, subject, body: "x".repeat(4000) })).ok).toBe(true);
    await imapWaitFor(to, PASSWORD, subject);
    // The plan shrinks below what is stored: the mailbox is now over its quota.
    await mail.ensureMailbox(id, { email: to, passwordHash: await bcrypt.hash(PASSWORD, 10), quotaBytes: 2048, active: true, maildir: `vhosts/${domain}/dave/` });
    const full = await swaks({ from: "sender@outside.test", to, subject: "no room" });
    expect(full.ok).toBe(false);
    expect(refusal(full)).toMatch(/^552 5\.2\.2 .*full/i);
    // What the panel reads: Dovecot's own count, through the doveadm HTTP API.
    const usage = await dovecot.usage(to);
    expect(usage).toMatchObject({ limitBytes: 2048, messages: 1, full: true });
    expect(usage.usedBytes).toBeGreaterThan(4000);
  });

  it("the autoresponder answers once per sender per period, never lists or bounces", async () => {
    const { domain } = await domainWith(["erin"]);
    const to = `erin@${domain}`;
    const away = `Away ${uniq()}`;
    expect(await system.ensureSieveScript(to, "active", autoresponderScript({ subject: away, body: 'Back on "Monday".\nErin', periodSeconds: 86_400 }))).toBe(1);
    const sender = `friend-${uniq()}@outside.test`;
    const other = `other-${uniq()}@outside.test`;
    const list = `list-${uniq()}@outside.test`;
    for (const s of [1, 2]) expect((await swaks({ from: sender, to, subject: `hello ${s}` })).ok).toBe(true);
    expect((await swaks({ from: other, to, subject: "hello from another" })).ok).toBe(true);
    expect((await swaks({ from: list, to, subject: "newsletter", headers: { "List-Id": "<news.outside.test>", Precedence: "list" } })).ok).toBe(true);
    expect((await swaks({ from: "<>", to, subject: "Undelivered Mail Returned to Sender", headers: { "Auto-Submitted": "auto-replied" } })).ok).toBe(true);
    const last = `last ${uniq()}`;
    expect((await swaks({ from: sender, to, subject: last })).ok).toBe(true);
    await imapWaitFor(to, PASSWORD, last);
    const replies = async () => (await sinkMessages()).filter((m) => header(m.source, "Subject") === away);
    await waitFor("two vacation replies in the sink", async () => (await replies()).length >= 2 || undefined, 15_000);
    await sleep(1_000); // nothing more may arrive
    const got = await replies();
    expect(got.map((m) => m.deliveredTo).sort()).toEqual([other, sender].sort());
    expect(header(got[0]?.source ?? "", "Auto-Submitted")).toMatch(/auto-replied/);
    expect(got[0]?.source).toContain('Back on "Monday".');
    // The inbox still got everything.
    expect((await imapInbox(to, PASSWORD)).length).toBe(6);
    expect(await system.removeSieveScript(to, "active")).toBe(1);
  });

  it("an autoresponder's text cannot break out of its Sieve strings (Pigeonhole's sieve-test runs it)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "berth-sieve-"));
    await chmod(dir, 0o755); // sieve-test reads it as the mail user
    try {
      const subject = 'Away"; discard; # \\';
      const body = 'Back soon.\n"quoted" \\ and\r\n.\nend; discard;';
      await writeFile(path.join(dir, "active.sieve"), autoresponderScript({ subject, body, periodSeconds: 3600 }));
      await writeFile(path.join(dir, "in.eml"), "From: a@outside.test\r\nTo: me@inside.test\r\nSubject: hi\r\n\r\nhello\r\n");
      const { stdout } = await run("sieve-test", ["-o", "mail_uid=5000", "-o", "mail_gid=5000", "-o", "first_valid_uid=0", "-x", "+vacation-seconds", path.join(dir, "active.sieve"), path.join(dir, "in.eml")]);
      expect(stdout.match(/send vacation message/g)).toHaveLength(1);
      expect(stdout).toContain(`subject : ${subject}`);
      expect(stdout).not.toMatch(/^\s*\* discard/m);
      expect(stdout).toMatch(/Implicit keep:\s+\* store message in folder: INBOX/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the panel's test message reaches the mailbox; a refusal comes back as the server said it", async () => {
    const { domain } = await domainWith(["frank"]);
    const [host = "", port = ""] = (stack.SMTP_ADDRESS ?? "").split(":");
    const smtp = createSmtpClient({ host, port: Number(port), helo: "panel.berth.test" });
    const subject = `Test message ${uniq()}`;
    const reply = await smtp.send({ from: "no-reply@berth.test", to: `frank@${domain}`, subject, text: "It works.\n.a line that starts with a dot" });
    expect(reply).toMatch(/^250 /);
    const got = await imapWaitFor(`frank@${domain}`, PASSWORD, subject);
    expect(got.source).toContain("\r\n.a line that starts with a dot");
    const refused = await smtp.send({ from: "no-reply@berth.test", to: `nobody@${domain}`, subject, text: "x" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SmtpError);
    expect((refused as SmtpError).code).toBe(550);
    await expect(smtp.send({ from: "no-reply@berth.test", to: `frank@${domain}`, subject: "a\r\nBcc: x@outside.test", text: "x" })).rejects.toThrow(/line break/);
  });
});
