import { PermanentError, type Change, type Step, type StepContext } from "../../../step";
import type { DomainSpec } from "../../../values";

/** The mail DB's customer_id of a customer's domains. */
export const mailOwner = (ctx: StepContext<DomainSpec>) => String(ctx.spec.customer.number);

const target = (ctx: StepContext<DomainSpec>) => `virtual_domains ${ctx.spec.name}`;

/** The domain in the mail-system DB (virtual_domains), so Postfix accepts mail for it. */
export const mailDomainStep: Step<DomainSpec> = {
  name: "mail-domain",
  async ensure(ctx) {
    // A domain of another customer is a MailDbError with transient = false: the engine stops on it.
    const row = await ctx.deps.mail.ensureDomainRow(ctx.spec.name, mailOwner(ctx));
    return { changes: [{ system: "mail", action: row.created ? "create" : "unchanged", target: target(ctx) }], message: `virtual_domains id ${row.id}` };
  },
  async plan(ctx): Promise<Change[]> {
    const row = await ctx.deps.mail.getDomain(ctx.spec.name);
    if (row && row.customerId !== mailOwner(ctx)) throw new PermanentError(`mail DB: ${ctx.spec.name} is already registered to another customer`);
    return [{ system: "mail", action: row ? "unchanged" : "create", target: target(ctx) }];
  },
  async remove(ctx) {
    const row = await ctx.deps.mail.getDomain(ctx.spec.name);
    if (!row) return { message: "already gone" };
    if (row.customerId !== mailOwner(ctx)) return { warning: "mail domain belongs to another customer: left in place" };
    // Cascades to virtual_users, virtual_aliases and dkim_selectors.
    await ctx.deps.mail.removeDomain(ctx.spec.name);
    return { changes: [{ system: "mail", action: "delete", target: target(ctx) }] };
  },
};
