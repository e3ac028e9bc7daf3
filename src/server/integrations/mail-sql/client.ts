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

  /** ensureDomain, telling whether this call created the row. */
  async function ensureDomainRow(name: string, customerId: string): Promise<{ id: number; created: boolean }> {
    return run(`ensure domain ${name}`, async (c) => {
      const [ins] = await c.execute<mysql.ResultSetHeader>("INSERT IGNORE INTO virtual_domains (name, customer_id) VALUES (?, ?)", [name, customerId]);
      const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT id, customer_id FROM virtual_domains WHERE name = ?", [name]);
      const r = rows[0];
      if (!r) throw new MailDbError(`mail DB: domain ${name} vanished while being created`, true);
      if (String(r.customer_id) !== customerId) {
        throw new MailDbError(`mail DB: ${name} is already registered to another customer`, false);
      }
      return { id: Number(r.id), created: ins.affectedRows > 0 };
    });
  }


  return {
    ensureDomainRow,

    async getDomain(name: string): Promise<{ id: number; customerId: string; suspended: boolean } | null> {
      return run(`read domain ${name}`, async (c) => {
        const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT id, customer_id, suspended FROM virtual_domains WHERE name = ?", [name]);
        const r = rows[0];
        return r ? { id: Number(r.id), customerId: String(r.customer_id), suspended: Number(r.suspended) === 1 } : null;
      });
    },

    /**
     * A suspended domain's mail is deferred (Postfix answers 450, the sender retries)
     * and its mailboxes cannot log in; resuming delivers what was held. Rows written.
     */
    async setDomainSuspended(name: string, suspended: boolean): Promise<number> {
      return run(`set suspension of ${name}`, async (c) => {
        const [res] = await c.execute<mysql.ResultSetHeader>("UPDATE virtual_domains SET suspended = ? WHERE name = ?", [suspended ? 1 : 0, name]);
        return res.affectedRows;
      });
    },

    /** The domain row's id; refuses a domain that belongs to another customer. */
    async ensureDomain(name: string, customerId: string): Promise<number> {
      return (await ensureDomainRow(name, customerId)).id;
    },

    /** Domain names of a customer's mail domains that were removed (the sweep when a customer goes). */
    async removeDomainsOfCustomer(customerId: string): Promise<string[]> {
      return run(`remove mail domains of customer ${customerId}`, async (c) => {
        const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT name FROM virtual_domains WHERE customer_id = ?", [customerId]);
        if (rows.length) await c.execute("DELETE FROM virtual_domains WHERE customer_id = ?", [customerId]);
        return rows.map((r) => String(r.name));
      });
    },

    async getMailbox(email: string): Promise<(MailboxSpec & { domainId: number }) | null> {
      return run(`read mailbox ${email}`, async (c) => {
        const [rows] = await c.execute<mysql.RowDataPacket[]>(
          "SELECT domain_id, email, password, quota_bytes, active, maildir FROM virtual_users WHERE email = ?",
          [email],
        );
        const r = rows[0];
        return r
          ? { domainId: Number(r.domain_id), email: String(r.email), passwordHash: String(r.password), quotaBytes: Number(r.quota_bytes), active: Number(r.active) === 1, maildir: String(r.maildir) }
          : null;
      });
    },

    /**
     * Creates a mailbox or brings it to the spec; writes nothing when it
     * already matches. Returns the rows changed (0 unchanged, 1 created, 2
     * updated); an address held by another domain is refused.
     */
    async ensureMailbox(domainId: number, m: MailboxSpec): Promise<number> {
      return run(`ensure mailbox ${m.email}`, async (c) => {
        const [res] = await c.execute<mysql.ResultSetHeader>(UPSERT_MAILBOX, mailboxParams(domainId, m));
        if (res.affectedRows === 0) {
          const [owner] = await c.execute<mysql.RowDataPacket[]>("SELECT domain_id FROM virtual_users WHERE email = ?", [m.email]);
          if (owner[0] && Number(owner[0].domain_id) !== domainId) throw new MailDbError(`mail DB: ${m.email} belongs to another domain`, false);
        }
        return res.affectedRows;
      });
    },

    /** Removes a mailbox of this domain (never another domain's address); the rows removed. */
    async removeMailbox(domainId: number, email: string): Promise<number> {
      return run(`remove mailbox ${email}`, async (c) => {
        const [res] = await c.execute<mysql.ResultSetHeader>("DELETE FROM virtual_users WHERE email = ? AND domain_id = ?", [email, domainId]);
        return res.affectedRows;
      });
    },

    async hasAlias(source: string, destination: string): Promise<boolean> {
      return run(`read alias ${source}`, async (c) => {
        const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT id FROM virtual_aliases WHERE source = ? AND destination = ?", [source, destination]);
        return rows.length > 0;
      });
    },

    /** The rows written: 1 created, 0 already there. */
    async ensureAlias(domainId: number, source: string, destination: string): Promise<number> {
      return run(`ensure alias ${source}`, async (c) => {
        const [res] = await c.execute<mysql.ResultSetHeader>(
          "INSERT IGNORE INTO virtual_aliases (domain_id, source, destination) VALUES (?, ?, ?)",
          [domainId, source, destination],
        );
        return res.affectedRows;
      });
    },

    async removeAlias(source: string, destination: string): Promise<number> {
      return run(`remove alias ${source}`, async (c) => {
        const [res] = await c.execute<mysql.ResultSetHeader>("DELETE FROM virtual_aliases WHERE source = ? AND destination = ?", [source, destination]);
        return res.affectedRows;
      });
    },

    async getDkimSelector(domainId: number, selector: string): Promise<{ secretName: string } | null> {
      return run(`read DKIM selector ${selector}`, async (c) => {
        const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT secret_name FROM dkim_selectors WHERE domain_id = ? AND selector = ?", [domainId, selector]);
        const r = rows[0];
        return r ? { secretName: String(r.secret_name) } : null;
      });
    },

    /** The rows written: 0 when it already names this Secret. */
    async ensureDkimSelector(domainId: number, selector: string, secretName: string): Promise<number> {
      return run(`ensure DKIM selector ${selector}`, async (c) => {
        const [res] = await c.execute<mysql.ResultSetHeader>(
          `INSERT INTO dkim_selectors (domain_id, selector, secret_name) VALUES (?, ?, ?)
           ON DUPLICATE KEY UPDATE secret_name = VALUES(secret_name)`,
          [domainId, selector, secretName],
        );
        return res.affectedRows;
      });
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
