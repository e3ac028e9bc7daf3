/**
 * The mail system's agent (issue 18), beside Postfix, Dovecot and OpenDKIM:
 *
 *   - DKIM tables: every domain in the mail DB's dkim_selectors, with the private key
 *     from its Secret in mail-system, becomes a KeyTable/SigningTable entry for
 *     OpenDKIM; the newest selector of a domain signs (a rotation adds a row and a
 *     Secret). After a change it sends OpenDKIM SIGUSR1, which re-reads the tables,
 *     then records what is signed in state.json.
 *   - Retention: a deleted domain's maildirs (vhosts/<domain> under the mail volume)
 *     are kept for a retention period after the domain row went (domain_tombstones),
 *     then removed.
 *
 *   tsx scripts/stack/mail-agent.ts run                     loop (the stack runs this)
 *   tsx scripts/stack/mail-agent.ts sync                    DKIM tables once
 *   tsx scripts/stack/mail-agent.ts sweep [RETENTION_S [DOMAIN]]  retention once
 *
 * Configuration from the environment (a standalone program, not the panel): MAIL_RO_DB_URL,
 * KUBECONFIG (else in-cluster), MAIL_NAMESPACE (mail-system), OPENDKIM_TABLE_DIR,
 * OPENDKIM_PID_FILE, OPENDKIM_USER, DOVECOT_VMAIL_DIR, MAIL_RETENTION_SECONDS (30 days),
 * MAIL_AGENT_INTERVAL_MS (1000).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chown, mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import mysql from "mysql2/promise";

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`mail-agent: ${name} is not set`);
  return v;
}

const NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const SELECTOR = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

type Entry = { domain: string; selector: string; keyPem: string };

const log = (msg: string): void => void process.stderr.write(`${new Date().toISOString()} mail-agent: ${msg}\n`);

function kubeApi(): CoreV1Api {
  const kc = new KubeConfig();
  if (process.env.KUBECONFIG) kc.loadFromFile(process.env.KUBECONFIG);
  else kc.loadFromCluster();
  return kc.makeApiClient(CoreV1Api);
}

/** What should be signed: the mail DB's selectors joined with their Secrets' keys. */
async function desired(db: mysql.Pool, core: CoreV1Api, namespace: string): Promise<{ entries: Entry[]; missing: string[] }> {
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    "SELECT d.name, k.selector, k.secret_name, k.id FROM dkim_selectors k JOIN virtual_domains d ON d.id = k.domain_id ORDER BY d.name, k.id",
  );
  const secrets = await core.listNamespacedSecret({ namespace });
  const byName = new Map(secrets.items.map((s) => [s.metadata?.name ?? "", s.data ?? {}]));
  const entries: Entry[] = [];
  const missing: string[] = [];
  for (const r of rows) {
    const domain = String(r.name);
    const selector = String(r.selector);
    if (!NAME.test(domain) || !SELECTOR.test(selector)) {
      missing.push(`${selector}._domainkey.${domain} (not a valid name)`);
      continue;
    }
    const b64 = byName.get(String(r.secret_name))?.["private.key"];
    if (!b64) {
      missing.push(`${selector}._domainkey.${domain} (Secret ${namespace}/${String(r.secret_name)} has no private.key)`);
      continue;
    }
    entries.push({ domain, selector, keyPem: Buffer.from(b64, "base64").toString("utf8") });
  }
  return { entries, missing };
}

async function writeAtomic(file: string, content: string, mode: number, owner?: { uid: number; gid: number }) {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  if (owner) await chown(tmp, owner.uid, owner.gid);
  await rename(tmp, file);
}

function userIds(user: string | undefined): { uid: number; gid: number } | undefined {
  if (!user || process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync("id", ["-u", user]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", user]).toString().trim());
  return { uid, gid };
}

/** Writes the tables and keys if they differ from what is there; true if they changed. */
async function writeTables(dir: string, entries: Entry[], owner: { uid: number; gid: number } | undefined): Promise<boolean> {
  const keyDir = path.join(dir, "keys");
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  if (owner) await chown(keyDir, owner.uid, owner.gid);
  const keyFile = (e: Entry) => path.join(keyDir, `${e.domain}.${e.selector}.private`);
  const newest = new Map<string, Entry>();
  for (const e of entries) newest.set(e.domain, e); // rows come ordered by id: the last one wins
  const keyTable = entries.map((e) => `${e.selector}._domainkey.${e.domain} ${e.domain}:${e.selector}:${keyFile(e)}`).join("\n");
  // A plain file: OpenDKIM looks up user@host, then host (the From: domain).
  const signingTable = [...newest.values()].map((e) => `${e.domain} ${e.selector}._domainkey.${e.domain}`).join("\n");
  const digest = createHash("sha256").update(JSON.stringify([entries, keyTable, signingTable])).digest("hex");
  const stampFile = path.join(dir, "tables.sha256");
  const before = await readFile(stampFile, "utf8").catch(() => "");
  if (before === digest) return false;

  const wanted = new Set(entries.map((e) => path.basename(keyFile(e))));
  for (const e of entries) await writeAtomic(keyFile(e), e.keyPem.endsWith("\n") ? e.keyPem : `${e.keyPem}\n`, 0o600, owner);
  await writeAtomic(path.join(dir, "KeyTable"), `${keyTable}\n`, 0o640, owner);
  await writeAtomic(path.join(dir, "SigningTable"), `${signingTable}\n`, 0o640, owner);
  for (const f of await readdir(keyDir)) if (f.endsWith(".private") && !wanted.has(f)) await rm(path.join(keyDir, f), { force: true });
  await writeAtomic(stampFile, digest, 0o644);
  return true;
}

/** SIGUSR1 to the OpenDKIM we started (pid file "PID STARTTIME", as scripts/stack/lib.sh writes). */
async function reloadOpendkim(pidFile: string | undefined): Promise<void> {
  if (!pidFile) return;
  const [pid] = (await readFile(pidFile, "utf8").catch(() => "")).trim().split(/\s+/);
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 1) return log(`no OpenDKIM pid in ${pidFile}: tables written, not reloaded`);
  const comm = (await readFile(`/proc/${n}/comm`, "utf8").catch(() => "")).trim();
  if (comm !== "opendkim") return log(`pid ${n} is not opendkim (${comm || "gone"}): not signalled`);
  process.kill(n, "SIGUSR1");
}

async function sync(db: mysql.Pool, core: CoreV1Api): Promise<void> {
  const dir = need("OPENDKIM_TABLE_DIR");
  const { entries, missing } = await desired(db, core, process.env.MAIL_NAMESPACE ?? "mail-system");
  for (const m of missing) log(`not signing for ${m}`);
  const changed = await writeTables(dir, entries, userIds(process.env.OPENDKIM_USER));
  if (changed) {
    await reloadOpendkim(process.env.OPENDKIM_PID_FILE);
    // OpenDKIM re-reads on the signal; give it a moment before telling waiters it signs.
    await new Promise((r) => setTimeout(r, 200));
    log(`DKIM tables: ${entries.length} keys for ${new Set(entries.map((e) => e.domain)).size} domains`);
  }
  const signing: Record<string, string> = {};
  for (const e of entries) signing[e.domain] = e.selector;
  const state = JSON.stringify({ signing }, null, 1);
  const stateFile = path.join(dir, "state.json");
  if ((await readFile(stateFile, "utf8").catch(() => "")) !== state) await writeAtomic(stateFile, state, 0o644);
}

/** Removes the maildirs of domains deleted longer ago than the retention. */
async function sweep(db: mysql.Pool, retentionSeconds: number, only?: string): Promise<string[]> {
  const vmail = need("DOVECOT_VMAIL_DIR");
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    `SELECT t.name FROM domain_tombstones t
      WHERE t.deleted_at <= NOW() - INTERVAL ? SECOND
        AND NOT EXISTS (SELECT 1 FROM virtual_domains d WHERE d.name = t.name)
        AND (? IS NULL OR t.name = ?)`,
    [retentionSeconds, only ?? null, only ?? null],
  );
  const removed: string[] = [];
  for (const r of rows) {
    const name = String(r.name);
    if (!NAME.test(name)) continue; // never a path outside vhosts/
    const dir = path.join(vmail, "vhosts", name);
    const exists = await readdir(dir).then(() => true, () => false);
    if (!exists) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(name);
    log(`removed the maildirs of ${name} (deleted more than ${retentionSeconds}s ago)`);
  }
  return removed;
}

async function main() {
  const [cmd = "run", arg, only] = process.argv.slice(2);
  const db = mysql.createPool({ uri: need("MAIL_RO_DB_URL"), connectionLimit: 2 });
  const retention = Number(arg ?? process.env.MAIL_RETENTION_SECONDS ?? 30 * 86_400);
  if (!Number.isFinite(retention) || retention < 0) throw new Error(`mail-agent: bad retention ${String(arg)}`);
  try {
    if (cmd === "sync") return await sync(db, kubeApi());
    if (cmd === "sweep") return void process.stdout.write(`${JSON.stringify(await sweep(db, retention, only))}\n`);
    if (cmd !== "run") throw new Error(`mail-agent: unknown command ${cmd} (run | sync | sweep)`);
    const interval = Number(process.env.MAIL_AGENT_INTERVAL_MS ?? 1000);
    const core = kubeApi();
    let lastSweep = 0;
    let lastError = "";
    log(`running: DKIM tables every ${interval} ms, retention ${retention}s`);
    for (;;) {
      try {
        await sync(db, core);
        if (Date.now() - lastSweep > 60_000) {
          await sweep(db, retention);
          lastSweep = Date.now();
        }
        lastError = "";
      } catch (e) {
        // Keep going: the apiserver or the mail DB may come back; log each new error once.
        const msg = e instanceof Error ? e.message : String(e);
        if (msg !== lastError) log(`error (retrying): ${msg}`);
        lastError = msg;
      }
      await new Promise((r) => setTimeout(r, interval));
    }
  } finally {
    await db.end();
  }
}

main().catch((e: unknown) => {
  log(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
