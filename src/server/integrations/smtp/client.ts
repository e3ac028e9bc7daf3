import { randomBytes } from "node:crypto";
import net from "node:net";

/**
 * A small SMTP client for the panel's own messages (the mailbox page's "send a test
 * message"): one plain connection to the platform's MTA, one message, no auth. The
 * MTA (Postfix, k8s/mail) does the rest, so its refusals (unknown, disabled, full,
 * suspended) come back to the caller as they are.
 */
export class SmtpError extends Error {
  constructor(
    message: string,
    /** The server's reply code, when it answered. */
    readonly code: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SmtpError";
  }
  /** 4xx or no answer: worth another try later. */
  get transient(): boolean {
    return this.code === null || (this.code >= 400 && this.code < 500);
  }
}

export type OutgoingMessage = { from: string; to: string; subject: string; text: string; headers?: Record<string, string> };

const ADDRESS = /^[^\s<>@]+@[^\s<>@]+$/;
const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Header values never carry a line break (no header injection); long ones stay as given. */
function headerValue(v: string): string {
  if (/[\r\n]/.test(v)) throw new SmtpError("a header value contains a line break", null);
  return v;
}

/** RFC 5322 body: CRLF line ends, and a line starting with "." doubled (RFC 5321 4.5.2). */
function bodyLines(text: string): string {
  return text
    .replace(/\r?\n/g, "\r\n")
    .split("\r\n")
    .map((l) => (l.startsWith(".") ? `.${l}` : l))
    .join("\r\n");
}

export function renderMessage(m: OutgoingMessage, now = new Date()): string {
  const domain = m.from.slice(m.from.lastIndexOf("@") + 1);
  const headers: Array<[string, string]> = [
    ["From", `<${m.from}>`],
    ["To", `<${m.to}>`],
    ["Subject", m.subject],
    ["Date", now.toUTCString().replace("GMT", "+0000")],
    ["Message-ID", `<${randomBytes(12).toString("hex")}@${domain}>`],
    ["MIME-Version", "1.0"],
    ["Content-Type", "text/plain; charset=utf-8"],
    ["Content-Transfer-Encoding", "8bit"],
    ...Object.entries(m.headers ?? {}),
  ];
  for (const [k] of headers) if (!HEADER_NAME.test(k)) throw new SmtpError(`bad header name ${k}`, null);
  return `${headers.map(([k, v]) => `${k}: ${headerValue(v)}`).join("\r\n")}\r\n\r\n${bodyLines(m.text)}`;
}

export function createSmtpClient(opts: { host: string; port: number; helo: string; timeoutMs?: number }) {
  return {
    /** Sends one message; resolves with the server's final reply ("250 2.0.0 Ok: queued as …"). */
    async send(m: OutgoingMessage): Promise<string> {
      if (!ADDRESS.test(m.from) || !ADDRESS.test(m.to)) throw new SmtpError("sender and recipient must be plain addresses", null);
      const data = renderMessage(m);
      const sock = net.connect({ host: opts.host, port: opts.port });
      sock.setTimeout(opts.timeoutMs ?? 15_000);
      sock.setEncoding("utf8");
      let buf = "";
      const waiting: Array<{ resolve: (l: string) => void; reject: (e: Error) => void }> = [];
      const fail = (e: Error) => {
        for (const w of waiting.splice(0)) w.reject(e);
      };
      sock.on("data", (d: string) => {
        buf += d;
        let i: number;
        while ((i = buf.indexOf("\r\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (/^\d{3} /.test(line)) waiting.shift()?.resolve(line); // last line of a reply
        }
      });
      sock.on("error", (e) => fail(new SmtpError(`SMTP ${opts.host}:${opts.port}: ${e.message}`, null, { cause: e })));
      sock.on("timeout", () => {
        fail(new SmtpError(`SMTP ${opts.host}:${opts.port}: no answer in time`, null));
        sock.destroy();
      });
      sock.on("close", () => fail(new SmtpError(`SMTP ${opts.host}:${opts.port}: connection closed`, null)));
      const step = async (cmd: string | null, want: number): Promise<string> => {
        const reply = new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
        if (cmd !== null) sock.write(`${cmd}\r\n`);
        const line = await reply;
        const code = Number(line.slice(0, 3));
        if (Math.floor(code / 100) !== Math.floor(want / 100)) throw new SmtpError(`SMTP ${cmd?.split(" ")[0] ?? "greeting"}: ${line}`, code);
        return line;
      };
      try {
        await step(null, 220);
        await step(`EHLO ${opts.helo}`, 250);
        await step(`MAIL FROM:<${m.from}>`, 250);
        await step(`RCPT TO:<${m.to}>`, 250);
        await step("DATA", 354);
        const done = await step(`${data}\r\n.`, 250);
        await step("QUIT", 221).catch(() => undefined);
        return done;
      } finally {
        sock.destroy();
      }
    },
  };
}

export type SmtpClient = ReturnType<typeof createSmtpClient>;
