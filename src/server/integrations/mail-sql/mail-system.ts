import { createHash } from "node:crypto";
import mysql from "mysql2/promise";
import { MailDbError } from "./client";

/**
 * What the running mail system (k8s/mail) reads from the mail DB beyond Postfix's
 * maps: each mailbox's Sieve script (Dovecot's Pigeonhole, through an SQL dict on
 * sieve_scripts). A domain's suspension is the client's setDomainSuspended.
 * Parameterised SQL only; every write is an idempotent ensure/remove.
 */

/** A Sieve quoted string (RFC 5228 2.4.2): backslash and double quote are escaped. */
export function sieveString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export type Autoresponder = {
  subject: string;
  body: string;
  /** How long before the same sender is answered again (Pigeonhole clamps it to sieve_vacation_min_period). */
  periodSeconds: number;
  /** The mailbox's other addresses (aliases that deliver to it) that also get answers. */
  addresses?: string[];
};

/**
 * The mailbox's Sieve script with an autoresponder. Pigeonhole's vacation answers
 * each sender once per period and never mailing lists, bulk mail, auto-replies or
 * bounces (null or MAILER-DAEMON senders).
 */
export function autoresponderScript(a: Autoresponder): string {
  if (!Number.isInteger(a.periodSeconds) || a.periodSeconds < 0) throw new Error("autoresponder: the period must be a whole number of seconds");
  const addresses = a.addresses?.length ? ` :addresses [${a.addresses.map(sieveString).join(", ")}]` : "";
  return [
    "# Written by Berth: the mailbox's autoresponder.",
    'require ["vacation", "vacation-seconds"];',
    `vacation :seconds ${a.periodSeconds}${addresses} :subject ${sieveString(a.subject)} ${sieveString(a.body)};`,
    "",
  ].join("\r\n");
}

export function createMailSystemDb(url: string, opts: { connectTimeoutMs?: number } = {}) {
  const pool = mysql.createPool({ uri: url, connectionLimit: 2, connectTimeout: opts.connectTimeoutMs ?? 5_000, flags: ["-FOUND_ROWS"] });

  async function exec(what: string, sql: string, params: Array<string | number>): Promise<mysql.ResultSetHeader> {
    try {
      const [res] = await pool.execute<mysql.ResultSetHeader>(sql, params);
      return res;
    } catch (e) {
      const code = (e as { code?: string }).code ?? "";
      throw new MailDbError(`mail DB: ${what}: ${e instanceof Error ? e.message : String(e)}`, ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"].includes(code), { cause: e });
    }
  }

  return {
    /**
     * The mailbox's script named `name` ("active" is the one Dovecot runs); rows
     * written, 0 when unchanged. data_id changes with the text, so Dovecot recompiles.
     */
    async ensureSieveScript(email: string, name: string, script: string): Promise<number> {
      const dataId = createHash("sha256").update(script).digest("hex");
      const res = await exec(
        `ensure Sieve script ${name} of ${email}`,
        `INSERT INTO sieve_scripts (user_id, email, name, data_id, script)
           SELECT id, email, ?, ?, ? FROM virtual_users WHERE email = ?
         ON DUPLICATE KEY UPDATE data_id = VALUES(data_id), script = VALUES(script)`,
        [name, dataId, script, email],
      );
      if (res.affectedRows === 0) {
        const [rows] = await pool.execute<mysql.RowDataPacket[]>("SELECT 1 FROM virtual_users WHERE email = ?", [email]);
        if (rows.length === 0) throw new MailDbError(`mail DB: no mailbox ${email} for its Sieve script`, false);
      }
      return res.affectedRows;
    },

    async removeSieveScript(email: string, name: string): Promise<number> {
      return (await exec(`remove Sieve script ${name} of ${email}`, "DELETE FROM sieve_scripts WHERE email = ? AND name = ?", [email, name])).affectedRows;
    },

    async close(): Promise<void> {
      await pool.end();
    },
  };
}

export type MailSystemDb = ReturnType<typeof createMailSystemDb>;
