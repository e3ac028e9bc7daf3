/**
 * Dovecot's doveadm HTTP API (k8s/mail/dovecot/dovecot.conf, `service doveadm`), for
 * what only the mail system knows: how much of its quota a mailbox uses. Read-only.
 */
export class DovecotError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DovecotError";
  }
}

export type MailboxUsage = {
  /** Bytes stored (Dovecot counts kilobytes). */
  usedBytes: number;
  /** null: no limit. */
  limitBytes: number | null;
  messages: number;
  /** Of the storage limit; 100 or more means full. 0 without a limit. */
  percent: number;
  full: boolean;
};

type QuotaRow = { root?: string; type?: string; value?: string; limit?: string; percent?: string };

export function createDovecotAdmin(opts: { url: string; apiKey: string; timeoutMs?: number }) {
  const auth = `X-Dovecot-API ${Buffer.from(opts.apiKey).toString("base64")}`;

  async function call(command: string, params: Record<string, string>): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${opts.url.replace(/\/$/, "")}/doveadm/v1`, {
        method: "POST",
        headers: { Authorization: auth, "Content-Type": "application/json" },
        body: JSON.stringify([[command, params, "c1"]]),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      });
    } catch (e) {
      throw new DovecotError(`doveadm ${command}: ${e instanceof Error ? e.message : String(e)}`, true, { cause: e });
    }
    if (!res.ok) throw new DovecotError(`doveadm ${command}: HTTP ${res.status}`, res.status >= 500);
    const body = (await res.json()) as Array<[string, unknown, string]>;
    const [kind, payload] = body[0] ?? [];
    if (kind === "error") {
      const exitCode = (payload as { exitCode?: number }).exitCode;
      // 67: no such user (EX_NOUSER); 75: temporary failure (EX_TEMPFAIL).
      throw new DovecotError(`doveadm ${command}: ${exitCode === 67 ? "no such mailbox" : `exit code ${String(exitCode)}`}`, exitCode === 75);
    }
    if (kind !== "doveadmResponse") throw new DovecotError(`doveadm ${command}: unexpected answer ${JSON.stringify(body).slice(0, 200)}`, false);
    return payload;
  }

  return {
    /** Storage used and allowed for one mailbox, as Dovecot's quota plugin counts it. */
    async usage(email: string): Promise<MailboxUsage> {
      const rows = (await call("quotaGet", { user: email })) as QuotaRow[];
      const storage = rows.find((r) => r.type === "STORAGE");
      const messages = rows.find((r) => r.type === "MESSAGE");
      if (!storage) throw new DovecotError(`doveadm quotaGet: no STORAGE row for ${email}`, false);
      const limited = storage.limit !== undefined && storage.limit !== "-" && storage.limit !== "";
      const percent = Number(storage.percent ?? 0);
      return {
        usedBytes: Number(storage.value ?? 0) * 1024,
        limitBytes: limited ? Number(storage.limit) * 1024 : null,
        messages: Number(messages?.value ?? 0),
        percent,
        full: limited && percent >= 100,
      };
    },
  };
}

export type DovecotAdmin = ReturnType<typeof createDovecotAdmin>;
