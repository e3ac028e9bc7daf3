import { PermanentError, TransientError, type Change, type Step, type StepContext } from "../../step";
import type { MailboxSpec as MailRow } from "@/server/integrations/mail-sql/client";

export type MailboxSpec = {
  id: string;
  address: string;
  localPart: string;
  /** Dovecot-compatible bcrypt, never the password. */
  passwordHash: string;
  quotaMb: number;
  /** Off when the mailbox itself is disabled (5xx); a suspension is the domain's (4xx). */
  active: boolean;
  domain: { id: string; name: string; customerNumber: number };
};

const row = (s: MailboxSpec): MailRow => ({
  email: s.address,
  passwordHash: s.passwordHash,
  quotaBytes: s.quotaMb * 1024 * 1024,
  active: s.active,
  maildir: `vhosts/${s.domain.name}/${s.localPart}/`,
});

const target = (s: MailboxSpec) => `virtual_users ${s.address}`;

async function mailDomainId(ctx: StepContext<MailboxSpec>): Promise<number> {
  const d = await ctx.deps.mail.getDomain(ctx.spec.domain.name);
  if (!d) throw new TransientError(`the mail domain ${ctx.spec.domain.name} is not registered yet`);
  if (d.customerId !== String(ctx.spec.domain.customerNumber)) throw new PermanentError(`mail DB: ${ctx.spec.domain.name} belongs to another customer`);
  return d.id;
}

/** The mailbox's row (Dovecot-compatible bcrypt, quota, active, maildir). */
export const mailboxStep: Step<MailboxSpec> = {
  name: "mailbox",
  async ensure(ctx) {
    const written = await ctx.deps.mail.ensureMailbox(await mailDomainId(ctx), row(ctx.spec));
    const action = written === 0 ? "unchanged" : written === 1 ? "create" : "update";
    return { changes: [{ system: "mail", action, target: target(ctx.spec) }], message: `${ctx.spec.address}: ${action}` };
  },
  async plan(ctx): Promise<Change[]> {
    const live = await ctx.deps.mail.getMailbox(ctx.spec.address);
    if (!live) return [{ system: "mail", action: "create", target: target(ctx.spec) }];
    const want = row(ctx.spec);
    const fields = (["passwordHash", "quotaBytes", "active", "maildir"] as const).filter((k) => live[k] !== want[k]).map((k) => (k === "passwordHash" ? "password" : k));
    return [{ system: "mail", action: fields.length ? "update" : "unchanged", target: target(ctx.spec), ...(fields.length ? { fields } : {}) }];
  },
  async remove(ctx) {
    const d = await ctx.deps.mail.getDomain(ctx.spec.domain.name);
    const removed = d ? await ctx.deps.mail.removeMailbox(d.id, ctx.spec.address) : 0;
    return { changes: [{ system: "mail", action: removed ? "delete" : "unchanged", target: target(ctx.spec) }] };
  },
};
