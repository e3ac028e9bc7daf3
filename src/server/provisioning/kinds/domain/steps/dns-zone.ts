import { PdnsError } from "@/server/integrations/powerdns/client";
import { PermanentError, type Step } from "../step";
import { zoneAccount } from "./dns-common";

/**
 * Step 7: the domain's zone in PowerDNS, Native, marked with Berth's and the
 * customer's account. A 409 means it exists: Berth checks it is its own and
 * refuses otherwise. A 5xx on create leaves the outcome unknown: the next
 * attempt starts by looking it up, so it never creates twice.
 */
export const dnsZoneStep: Step = {
  name: "dns-zone",
  title: "DNS zone",
  async ensure(ctx) {
    const { pdns } = ctx.deps;
    const account = zoneAccount(ctx);
    let zone = await pdns.getZone(ctx.domain.name);
    if (!zone) {
      try {
        zone = await pdns.createZone({ name: ctx.domain.name, kind: "Native", nameservers: ctx.config.nameservers, account });
        return { message: `created ${zone.name}` };
      } catch (e) {
        if (!(e instanceof PdnsError && e.isConflict)) throw e;
        zone = await pdns.getZone(ctx.domain.name);
        if (!zone) throw e;
      }
    }
    if (zone.account !== account) {
      throw new PermanentError(
        `The DNS zone ${zone.name} already exists in PowerDNS and is not this customer's (account "${zone.account || "none"}"). Remove it there, or ask support.`,
      );
    }
    return { message: `${zone.name} serial ${zone.serial}` };
  },
  async remove(ctx) {
    const zone = await ctx.deps.pdns.getZone(ctx.domain.name);
    if (!zone) return { message: "already gone" };
    if (zone.account !== zoneAccount(ctx)) return { warning: `zone ${zone.name} is not Berth's: left in place` };
    await ctx.deps.pdns.deleteZone(ctx.domain.name);
  },
};
