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
    // Suspension defers (4xx) rather than refuses: mail held by senders arrives after resume.
    const live = await ctx.deps.mail.getDomain(ctx.spec.name);
    const toggled = live && live.suspended !== ctx.spec.suspended ? await ctx.deps.mail.setDomainSuspended(ctx.spec.name, ctx.spec.suspended) : 0;
    const action = row.created ? "create" : toggled ? "update" : "unchanged";
    const state = ctx.spec.suspended ? "suspended: mail deferred" : "accepting mail";
    return { changes: [{ system: "mail", action, target: target(ctx), ...(action === "update" ? { fields: ["suspended"] } : {}) }], message: `virtual_domains id ${row.id}, ${state}` };
  },
  async plan(ctx): Promise<Change[]> {
    const row = await ctx.deps.mail.getDomain(ctx.spec.name);
    if (row && row.customerId !== mailOwner(ctx)) throw new PermanentError(`mail DB: ${ctx.spec.name} is already registered to another customer`);
    if (!row) return [{ system: "mail", action: "create", target: target(ctx) }];
    const toggle = row.suspended !== ctx.spec.suspended;
    return [{ system: "mail", action: toggle ? "update" : "unchanged", target: target(ctx), ...(toggle ? { fields: ["suspended"] } : {}) }];
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
