/**
 * Mail delivery benchmark on the local mail system (issue 18), bounded and loopback only:
 *
 *   1. latency: a mailbox is created in the mail DB → one message over SMTP → readable
 *      over IMAP; ROUNDS times, p50/p95 (and SMTP accept → IMAP-visible alone);
 *   2. throughput: MESSAGES messages over CONNECTIONS parallel SMTP sessions to one
 *      domain's mailbox, until Dovecot has stored them all (Postfix → LMTP → maildir).
 *
 *   node_modules/.bin/tsx scripts/bench/mail-delivery.ts [ROUNDS=20] [MESSAGES=500] [CONNECTIONS=4]
 *
 * Reads .stack/env; everything it creates (one domain, ms-bench-*.test) is removed at the end.
 */
import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import bcrypt from "bcryptjs";
import { ImapFlow } from "imapflow";
import mysql from "mysql2/promise";
import { readStackEnv } from "../../tests/setup/stack-env";

const env = readStackEnv();
const need = (k: string) => {
  const v = env[k];
  if (!v) throw new Error(`${k} missing from .stack/env (npm run stack -- up)`);
  return v;
};
const [smtpHost = "", smtpPort = ""] = need("SMTP_ADDRESS").split(":");
const [imapHost = "", imapPort = ""] = need("IMAP_ADDRESS").split(":");
const ROUNDS = Math.min(Number(process.argv[2] ?? 20), 200);
const MESSAGES = Math.min(Number(process.argv[3] ?? 500), 5000);
const CONNECTIONS = Math.min(Number(process.argv[4] ?? 4), 16);
const PASSWORD = "Bench-pass-1234";

/** A minimal SMTP client session: one connection, several messages, no pipelining. */
class Smtp {
  private buf = "";
  private waiters: Array<(line: string) => void> = [];
  private constructor(private sock: net.Socket) {
    sock.setEncoding("utf8");
    sock.on("data", (d: string) => {
      this.buf += d;
      let i: number;
      while ((i = this.buf.indexOf("\r\n")) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        // Only the last line of a multi-line reply ("250 " not "250-") completes it.
        if (/^\d{3} /.test(line)) this.waiters.shift()?.(line);
      }
    });
  }
  static async open(): Promise<Smtp> {
    const sock = net.connect(Number(smtpPort), smtpHost);
    await new Promise<void>((res, rej) => sock.once("connect", res).once("error", rej));
    const s = new Smtp(sock);
    await s.expect(null, "220");
    await s.expect("EHLO bench.test", "250");
    return s;
  }
  private reply(): Promise<string> {
    return new Promise((r) => this.waiters.push(r));
  }
  async expect(cmd: string | null, code: string): Promise<void> {
    const p = this.reply();
    if (cmd !== null) this.sock.write(`${cmd}\r\n`);
    const line = await p;
    if (!line.startsWith(code)) throw new Error(`SMTP ${cmd ?? "greeting"}: ${line}`);
  }
  async send(from: string, to: string, subject: string, body: string): Promise<void> {
    await this.expect(`MAIL FROM:<${from}>`, "250");
    await this.expect(`RCPT TO:<${to}>`, "250");
    await this.expect("DATA", "354");
    const msg = [`From: <${from}>`, `To: <${to}>`, `Subject: ${subject}`, `Message-ID: <${randomBytes(8).toString("hex")}@bench.test>`, "", body, "."].join("\r\n");
    await this.expect(msg, "250");
  }
  async close(): Promise<void> {
    await this.expect("QUIT", "221").catch(() => undefined);
    this.sock.destroy();
  }
}

async function imapHas(user: string, subject: string): Promise<boolean> {
  const c = new ImapFlow({ host: imapHost, port: Number(imapPort), secure: false, auth: { user, pass: PASSWORD }, logger: false, disableAutoIdle: true });
  await c.connect();
  try {
    await c.mailboxOpen("INBOX");
    const found = await c.search({ subject });
    return Array.isArray(found) && found.length > 0;
  } finally {
    await c.logout().catch(() => undefined);
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function countNew(dir: string): Promise<number> {
  return (await readdir(dir).catch(() => [] as string[])).length;
}

async function main() {
  const db = await mysql.createConnection(need("MAIL_DB_URL"));
  const domain = `ms-bench-${randomBytes(4).toString("hex")}.test`;
  const hash = await bcrypt.hash(PASSWORD, 10);
  try {
    await db.execute("INSERT INTO virtual_domains (name, customer_id) VALUES (?, 'bench')", [domain]);
    const [[row]] = await db.query<mysql.RowDataPacket[]>("SELECT id FROM virtual_domains WHERE name = ?", [domain]);
    const domainId = Number(row?.id);
    const addMailbox = (local: string) =>
      db.execute("INSERT INTO virtual_users (domain_id, email, password, quota_bytes, active, maildir) VALUES (?, ?, ?, 0, 1, ?)", [domainId, `${local}@${domain}`, hash, `vhosts/${domain}/${local}/`]);

    // 1. Latency, one round at a time.
    const created: number[] = [];
    const accepted: number[] = [];
    const smtp = await Smtp.open();
    for (let i = 0; i < ROUNDS; i++) {
      const user = `u${i}@${domain}`;
      const t0 = performance.now();
      await addMailbox(`u${i}`);
      const subject = `first ${i}`;
      await smtp.send("bench@outside.test", user, subject, "hello");
      const t1 = performance.now();
      for (let n = 0; !(await imapHas(user, subject)); n++) {
        if (n > 400) throw new Error(`${user}: not visible after 20 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const t2 = performance.now();
      created.push(t2 - t0);
      accepted.push(t2 - t1);
    }
    await smtp.close();
    console.log(`latency over ${ROUNDS} rounds (IMAP polled every 50 ms):`);
    console.log(`  mailbox created → first message readable over IMAP: p50 ${pct(created, 50).toFixed(0)} ms, p95 ${pct(created, 95).toFixed(0)} ms`);
    console.log(`  SMTP accepted → readable over IMAP:                p50 ${pct(accepted, 50).toFixed(0)} ms, p95 ${pct(accepted, 95).toFixed(0)} ms`);

    // 2. Throughput to one mailbox of the domain.
    await addMailbox("load");
    const newDir = path.join(need("DOVECOT_VMAIL_DIR"), "vhosts", domain, "load", "Maildir", "new");
    const body = "x".repeat(2_000);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const s = await Smtp.open();
        while (next < MESSAGES) {
          const i = next++;
          await s.send("bench@outside.test", `load@${domain}`, `load ${i}`, body);
        }
        await s.close();
      }),
    );
    const tAccepted = performance.now();
    for (let n = 0; (await countNew(newDir)) < MESSAGES; n++) {
      if (n > 1200) throw new Error(`only ${await countNew(newDir)} of ${MESSAGES} stored after 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const tStored = performance.now();
    const secs = (tStored - t0) / 1000;
    console.log(`throughput: ${MESSAGES} messages of 2 kB over ${CONNECTIONS} SMTP connections to one mailbox:`);
    console.log(`  all accepted in ${((tAccepted - t0) / 1000).toFixed(2)} s; all stored by Dovecot in ${secs.toFixed(2)} s → ${(MESSAGES / secs).toFixed(1)} messages/s end to end`);
  } finally {
    await db.execute("DELETE FROM virtual_domains WHERE name = ?", [domain]);
    await db.end();
    // The benchmark's own maildirs: no retention for them.
    await rm(path.join(need("DOVECOT_VMAIL_DIR"), "vhosts", domain), { recursive: true, force: true });
    console.log(`removed ${domain} and its maildirs`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
