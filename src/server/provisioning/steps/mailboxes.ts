import { PermanentError, type Step } from "../step";

/** Step 8b: mailboxes (Dovecot-compatible bcrypt, quota, active, maildir) and aliases, in one transaction. */
export const mailboxesStep: Step = {
  name: "mailboxes",
  title: "Mailboxes and aliases",
  async ensure(ctx) {
    const domainId = ctx.state.mailDomainId;
    if (domainId === undefined) throw new PermanentError("the mail domain step did not run");
    const d = ctx.domain;
    const { changed } = await ctx.deps.mail.syncMailboxes(
      domainId,
      d.mailboxes.map((m) => ({
        email: m.address,
        passwordHash: m.passwordHash,
        quotaBytes: m.quotaMb * 1024 * 1024,
        active: m.active && !d.suspended,
        maildir: `vhosts/${d.name}/${m.localPart}/`,
      })),
      d.aliases,
    );
    return { message: `${d.mailboxes.length} mailboxes, ${d.aliases.length} aliases${changed ? `, ${changed} rows written` : ", unchanged"}` };
  },
};
