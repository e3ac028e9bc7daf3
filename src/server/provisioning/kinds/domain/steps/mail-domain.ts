import type { Step } from "../step";

const owner = (n: number) => String(n);

/** Step 8: the domain in the mail-system DB (virtual_domains), so Postfix accepts mail for it. */
export const mailDomainStep: Step = {
  name: "mail-domain",
  title: "Mail domain",
  async ensure(ctx) {
    // A domain of another customer is a MailDbError with transient = false: the engine stops on it.
    ctx.state.mailDomainId = await ctx.deps.mail.ensureDomain(ctx.domain.name, owner(ctx.domain.customer.number));
    return { message: `virtual_domains id ${ctx.state.mailDomainId}` };
  },
  async remove(ctx) {
    const row = await ctx.deps.mail.getDomain(ctx.domain.name);
    if (!row) return { message: "already gone" };
    if (row.customerId !== owner(ctx.domain.customer.number)) return { warning: "mail domain belongs to another customer: left in place" };
    // Cascades to virtual_users, virtual_aliases and dkim_selectors.
    await ctx.deps.mail.removeDomain(ctx.domain.name);
  },
};
