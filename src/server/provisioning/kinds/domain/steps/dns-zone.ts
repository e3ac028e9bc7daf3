import { PdnsError } from "@/server/integrations/powerdns/client";
import { PermanentError, type Change, type Step, type StepContext } from "../../../step";
import type { DomainSpec } from "../../../values";
import { zoneAccount } from "./dns-common";

const notOurs = (name: string, account: string) =>
  new PermanentError(`The DNS zone ${name} already exists in PowerDNS and is not this customer's (account "${account || "none"}"). Remove it there, or ask support.`);

const target = (ctx: StepContext<DomainSpec>) => `zone ${ctx.spec.name}.`;

/**
 * The domain's zone in PowerDNS, Native, marked with Berth's and the
 * customer's account. A 409 means it exists: Berth checks it is its own and
 * refuses otherwise. A 5xx on create leaves the outcome unknown: the next
 * attempt starts by looking it up, so it never creates twice.
 */
export const dnsZoneStep: Step<DomainSpec> = {
  name: "dns-zone",
  async ensure(ctx) {
    const { pdns } = ctx.deps;
    const account = zoneAccount(ctx);
    let zone = await pdns.getZone(ctx.spec.name);
    if (!zone) {
      try {
        zone = await pdns.createZone({ name: ctx.spec.name, kind: "Native", nameservers: ctx.config.nameservers, account });
        return { changes: [{ system: "dns", action: "create", target: target(ctx) }], message: `created ${zone.name}` };
      } catch (e) {
        if (!(e instanceof PdnsError && e.isConflict)) throw e;
        zone = await pdns.getZone(ctx.spec.name);
        if (!zone) throw e;
      }
    }
    if (zone.account !== account) throw notOurs(zone.name, zone.account);
    return { changes: [{ system: "dns", action: "unchanged", target: target(ctx) }], message: `${zone.name} serial ${zone.serial}` };
  },
  async plan(ctx): Promise<Change[]> {
    const zone = await ctx.deps.pdns.getZone(ctx.spec.name);
    if (zone && zone.account !== zoneAccount(ctx)) throw notOurs(zone.name, zone.account);
    return [{ system: "dns", action: zone ? "unchanged" : "create", target: target(ctx), note: `NS ${ctx.config.nameservers.join(" ")}` }];
  },
  async remove(ctx) {
    const zone = await ctx.deps.pdns.getZone(ctx.spec.name);
    if (!zone) return { message: "already gone" };
    if (zone.account !== zoneAccount(ctx)) return { warning: `zone ${zone.name} is not Berth's: left in place` };
    await ctx.deps.pdns.deleteZone(ctx.spec.name);
    return { changes: [{ system: "dns", action: "delete", target: target(ctx) }] };
  },
};
