import mysql from "mysql2/promise";

/**
 * The mail-system database read by Postfix and Dovecot (k8s/mail/mysql-schema.sql).
 * Parameterised SQL only. Every write is an idempotent ensure/remove, so a
 * reconcile step may run it any number of times.
 */
export class MailDbError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MailDbError";
  }
}

const TRANSIENT = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "PROTOCOL_CONNECTION_LOST", "ER_LOCK_DEADLOCK", "ER_LOCK_WAIT_TIMEOUT"]);

function wrap(what: string, e: unknown): MailDbError {
  const code = (e as { code?: string }).code ?? "";
  // A connection that died under us (fatal, or closed mid-command) is worth another try.
  const lostConnection = (e as { fatal?: boolean }).fatal === true || /connection is in closed state|connection lost/i.test(e instanceof Error ? e.message : "");
  return new MailDbError(`mail DB: ${what}: ${e instanceof Error ? e.message : String(e)}`, TRANSIENT.has(code) || lostConnection, { cause: e });
}

/** Creates a mailbox or brings it to the spec; never moves an address that belongs to another domain. */
const UPSERT_MAILBOX = `INSERT INTO virtual_users (domain_id, email, password, quota_bytes, active, maildir)
  VALUES (?, ?, ?, ?, ?, ?)
  ON DUPLICATE KEY UPDATE
    password = IF(domain_id = VALUES(domain_id), VALUES(password), password),
    quota_bytes = IF(domain_id = VALUES(domain_id), VALUES(quota_bytes), quota_bytes),
    active = IF(domain_id = VALUES(domain_id), VALUES(active), active),
    maildir = IF(domain_id = VALUES(domain_id), VALUES(maildir), maildir)`;

const mailboxParams = (domainId: number, m: MailboxSpec) => [domainId, m.email, m.passwordHash, m.quotaBytes, m.active ? 1 : 0, m.maildir];

export type MailboxSpec = {
  email: string;
  /** bcrypt ($2b$/$2y$), verified by Dovecot as BLF-CRYPT. */
  passwordHash: string;
  quotaBytes: number;
  active: boolean;
  maildir: string;
};

export function createMailDb(url: string, opts: { connectTimeoutMs?: number } = {}) {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: 5,
    connectTimeout: opts.connectTimeoutMs ?? 5_000,
    waitForConnections: true,
    // Count rows actually changed, not rows matched, so "unchanged" can be told apart.
    flags: ["-FOUND_ROWS"],
    // Timestamps are compared, never interpreted: keep them as the server stores them.
    dateStrings: true,
  });

  async function run<T>(what: string, fn: (conn: mysql.PoolConnection) => Promise<T>): Promise<T> {
    let conn: mysql.PoolConnection | undefined;
    try {
      conn = await pool.getConnection();
      return await fn(conn);
    } catch (e) {
      throw e instanceof MailDbError ? e : wrap(what, e);
    } finally {
      conn?.release();
    }
  }

  return {
    async getDomain(name: string): Promise<{ id: number; customerId: string } | null> {
      return run(`read domain ${name}`, async (c) => {
        const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT id, customer_id FROM virtual_domains WHERE name = ?", [name]);
        const r = rows[0];
        return r ? { id: Number(r.id), customerId: String(r.customer_id) } : null;
      });
    },

    /** The domain row's id; refuses a domain that belongs to another customer. */
    async ensureDomain(name: string, customerId: string): Promise<number> {
      return run(`ensure domain ${name}`, async (c) => {
        await c.execute("INSERT IGNORE INTO virtual_domains (name, customer_id) VALUES (?, ?)", [name, customerId]);
        const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT id, customer_id FROM virtual_domains WHERE name = ?", [name]);
        const r = rows[0];
        if (!r) throw new MailDbError(`mail DB: domain ${name} vanished while being created`, true);
        if (String(r.customer_id) !== customerId) {
          throw new MailDbError(`mail DB: ${name} is already registered to another customer`, false);
        }
        return Number(r.id);
      });
    },

    /** Creates or updates one mailbox; writes nothing when it already matches. */
    async ensureMailbox(domainId: number, m: MailboxSpec): Promise<void> {
      await run(`ensure mailbox ${m.email}`, async (c) => {
        await c.execute(
          UPSERT_MAILBOX,
          mailboxParams(domainId, m),
        );
      });
    },

    async removeMailbox(email: string): Promise<void> {
      await run(`remove mailbox ${email}`, (c) => c.execute("DELETE FROM virtual_users WHERE email = ?", [email]));
    },

    async ensureAlias(domainId: number, source: string, destination: string): Promise<void> {
      await run(`ensure alias ${source}`, (c) =>
        c.execute("INSERT IGNORE INTO virtual_aliases (domain_id, source, destination) VALUES (?, ?, ?)", [domainId, source, destination]),
      );
    },

    async removeAlias(source: string, destination: string): Promise<void> {
      await run(`remove alias ${source}`, (c) =>
        c.execute("DELETE FROM virtual_aliases WHERE source = ? AND destination = ?", [source, destination]),
      );
    },

    /**
     * Makes the domain's mailboxes and aliases exactly these, in one
     * transaction: upserts what is wanted, deletes what is not. Rows that
     * already match are not touched (their updated_at stays).
     */
    async syncMailboxes(domainId: number, mailboxes: MailboxSpec[], aliases: Array<{ source: string; destination: string }>): Promise<{ changed: number }> {
      return run(`sync mailboxes of domain ${domainId}`, async (c) => {
        await c.beginTransaction();
        try {
          let changed = 0;
          for (const m of mailboxes) {
            const [res] = await c.execute<mysql.ResultSetHeader>(
              UPSERT_MAILBOX,
              mailboxParams(domainId, m),
            );
            // affectedRows: 1 inserted, 2 updated, 0 unchanged.
            changed += res.affectedRows;
          }
          const [owner] = await c.execute<mysql.RowDataPacket[]>(
            `SELECT email FROM virtual_users WHERE email IN (${mailboxes.map(() => "?").join(",") || "NULL"}) AND domain_id <> ?`,
            [...mailboxes.map((m) => m.email), domainId],
          );
          if (owner.length) throw new MailDbError(`mail DB: ${String(owner[0]?.email)} belongs to another domain`, false);
          const keep = mailboxes.map((m) => m.email);
          const [del] = await c.execute<mysql.ResultSetHeader>(
            `DELETE FROM virtual_users WHERE domain_id = ?${keep.length ? ` AND email NOT IN (${keep.map(() => "?").join(",")})` : ""}`,
            [domainId, ...keep],
          );
          changed += del.affectedRows;
          for (const a of aliases) {
            const [res] = await c.execute<mysql.ResultSetHeader>(
              "INSERT IGNORE INTO virtual_aliases (domain_id, source, destination) VALUES (?, ?, ?)",
              [domainId, a.source, a.destination],
            );
            changed += res.affectedRows;
          }
          const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT id, source, destination FROM virtual_aliases WHERE domain_id = ?", [domainId]);
          const wanted = new Set(aliases.map((a) => `${a.source}\n${a.destination}`));
          for (const r of rows) {
            if (!wanted.has(`${String(r.source)}\n${String(r.destination)}`)) {
              await c.execute("DELETE FROM virtual_aliases WHERE id = ?", [r.id]);
              changed += 1;
            }
          }
          await c.commit();
          return { changed };
        } catch (e) {
          // On a dead connection rollback fails too; the server rolls back by itself. Keep the real error.
          await c.rollback().catch(() => undefined);
          throw e;
        }
      });
    },

    async ensureDkimSelector(domainId: number, selector: string, secretName: string): Promise<void> {
      await run(`ensure DKIM selector ${selector}`, (c) =>
        c.execute(
          `INSERT INTO dkim_selectors (domain_id, selector, secret_name) VALUES (?, ?, ?)
           ON DUPLICATE KEY UPDATE secret_name = VALUES(secret_name)`,
          [domainId, selector, secretName],
        ),
      );
    },

    /** Removes the domain and, by ON DELETE CASCADE, its mailboxes, aliases and DKIM rows. */
    async removeDomain(name: string): Promise<void> {
      await run(`remove domain ${name}`, (c) => c.execute("DELETE FROM virtual_domains WHERE name = ?", [name]));
    },

    async close(): Promise<void> {
      await pool.end();
    },
  };
}

export type MailDb = ReturnType<typeof createMailDb>;
