import { execFile } from "node:child_process";
import { Resolver } from "node:dns/promises";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ImapFlow } from "imapflow";
import { dkimVerify } from "mailauth/lib/dkim/verify";
import { readStackEnv } from "../setup/stack-env";

/** Real clients for the local mail system (scripts/stack/{postfix,dovecot,opendkim}.sh). */
const run = promisify(execFile);
export const stack = readStackEnv();

function hostPort(key: string): [string, number] {
  const v = stack[key];
  if (!v) throw new Error(`${key} is missing from .stack/env: run npm run stack -- up`);
  const [host = "", port = ""] = v.split(":");
  return [host, Number(port)];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns something (not undefined/null/false), or fails after `ms`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

export type SmtpResult = { ok: boolean; exitCode: number; transcript: string; lastReply: string };

/**
 * One message through swaks, a real SMTP client (no shell: arguments are passed as-is).
 * `via` picks the service: "smtp" (port 25 role) or "submission" (needs `auth`).
 */
export async function swaks(opts: {
  via?: "smtp" | "submission";
  from: string;
  to: string;
  subject?: string;
  body?: string;
  auth?: { user: string; password: string };
  headers?: Record<string, string>;
}): Promise<SmtpResult> {
  const [host, port] = hostPort(opts.via === "submission" ? "SUBMISSION_ADDRESS" : "SMTP_ADDRESS");
  const args = ["--server", host, "--port", String(port), "--from", opts.from, "--to", opts.to, "--helo", "client.test", "--timeout", "20"];
  if (opts.subject !== undefined) args.push("--header", `Subject: ${opts.subject}`);
  if (opts.body !== undefined) args.push("--body", opts.body);
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push("--add-header", `${k}: ${v}`);
  if (opts.auth) args.push("--auth", "PLAIN", "--auth-user", opts.auth.user, "--auth-password", opts.auth.password);
  let transcript = "";
  let exitCode = 0;
  try {
    transcript = (await run("swaks", args, { timeout: 30_000 })).stdout;
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    exitCode = typeof err.code === "number" ? err.code : -1;
    transcript = err.stdout ?? String(e);
  }
  const replies = transcript.split("\n").filter((l) => /^<[-*~]* ?\d{3}/.test(l) || /^<\*\* /.test(l));
  const lastReply = (replies.at(-2) ?? replies.at(-1) ?? "").replace(/^<[-* ~]*/, "");
  return { ok: exitCode === 0, exitCode, transcript, lastReply };
}

/** The first server reply that refused something (e.g. "550 5.1.1 ... User unknown"). */
export const refusal = (r: SmtpResult): string => /^<\*\* (.*)$/m.exec(r.transcript)?.[1] ?? "";

export type ImapMessage = { uid: number; subject: string; from: string; source: string };

/** Logs in over IMAP and returns the INBOX's messages (source included). */
export async function imapInbox(user: string, password: string): Promise<ImapMessage[]> {
  const [host, port] = hostPort("IMAP_ADDRESS");
  const client = new ImapFlow({ host, port, secure: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
  await client.connect();
  try {
    await client.mailboxOpen("INBOX");
    const out: ImapMessage[] = [];
    if ((client.mailbox && client.mailbox.exists) === 0) return out;
    for await (const m of client.fetch("1:*", { uid: true, envelope: true, source: true })) {
      out.push({
        uid: m.uid,
        subject: m.envelope?.subject ?? "",
        from: m.envelope?.from?.[0]?.address ?? "",
        source: m.source?.toString("utf8") ?? "",
      });
    }
    return out;
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** Whether IMAP accepts this login. */
export async function imapLoginWorks(user: string, password: string): Promise<boolean> {
  try {
    await imapInbox(user, password);
    return true;
  } catch (e) {
    if ((e as { authenticationFailed?: boolean }).authenticationFailed) return false;
    throw e;
  }
}

/** Waits until a message with this subject is in the mailbox, read over IMAP. */
export const imapWaitFor = (user: string, password: string, subject: string, ms = 20_000) =>
  waitFor(`"${subject}" in ${user}'s INBOX`, async () => (await imapInbox(user, password)).find((m) => m.subject === subject), ms, 150);

export type SinkMessage = { file: string; deliveredTo: string; source: string };

/** What reached the outbound sink (everything that would have left the platform). */
export async function sinkMessages(): Promise<SinkMessage[]> {
  const dir = stack.MAIL_SINK_DIR;
  if (!dir) throw new Error("MAIL_SINK_DIR is missing from .stack/env");
  const out: SinkMessage[] = [];
  for (const sub of ["new", "cur"]) {
    const files = await readdir(path.join(dir, sub)).catch(() => [] as string[]);
    for (const f of files) {
      const source = await readFile(path.join(dir, sub, f), "utf8");
      out.push({ file: f, deliveredTo: /^Delivered-To: (.*)$/im.exec(source)?.[1]?.trim() ?? "", source });
    }
  }
  return out;
}

export const header = (source: string, name: string): string | undefined =>
  new RegExp(`^${name}: *(.*(?:\\r?\\n[ \\t].*)*)`, "im").exec(source)?.[1]?.replace(/\r?\n[ \t]+/g, " ").trim();

/** A DNS resolver that asks only the stack's PowerDNS. */
function pdnsResolver(): Resolver {
  const r = new Resolver({ timeout: 2_000, tries: 2 });
  const [host, port] = hostPort("PDNS_DNS_ADDRESS");
  r.setServers([`${host}:${port}`]);
  return r;
}

/** mailauth's DKIM verdicts for a raw message, keys fetched from PowerDNS. */
export async function verifyDkim(source: string) {
  const r = pdnsResolver();
  const resolver = async (name: string, rrtype: string) => {
    if (rrtype !== "TXT") throw Object.assign(new Error(`unexpected ${rrtype} lookup`), { code: "ENOTFOUND" });
    return r.resolveTxt(name);
  };
  return (await dkimVerify(Buffer.from(source), { resolver })).results;
}

/** opendkim-testkey's verdict on the key PowerDNS serves for domain/selector ("key OK" or why not). */
export async function opendkimTestkey(domain: string, selector: string, keyFile?: string): Promise<string> {
  const conf = stack.OPENDKIM_CONF;
  if (!conf) throw new Error("OPENDKIM_CONF is missing from .stack/env");
  const args = ["-x", conf, "-d", domain, "-s", selector, "-vvv"];
  if (keyFile) args.push("-k", keyFile);
  try {
    const { stdout, stderr } = await run("opendkim-testkey", args, { timeout: 20_000 });
    return `${stdout}${stderr}`;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ""}${err.stderr ?? ""}`;
  }
}

/** The signer's view (mail agent's state.json): which selector signs each domain. */
export async function signingSelector(domain: string): Promise<string | undefined> {
  const f = stack.MAIL_AGENT_STATE;
  if (!f) throw new Error("MAIL_AGENT_STATE is missing from .stack/env");
  const state = JSON.parse(await readFile(f, "utf8").catch(() => "{}")) as { signing?: Record<string, string> };
  return state.signing?.[domain];
}
