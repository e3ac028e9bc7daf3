import { desiredRRSets, planRRSetChanges } from "../dns-records";
import { PermanentError, type StepContext } from "../step";
import type { PdnsRRSet } from "@/server/integrations/powerdns/types";

/** PowerDNS `account` of a zone Berth owns: Berth's and the customer's. */
export const zoneAccount = (ctx: StepContext) => `berth:cust-${ctx.domain.customer.number}`;

export const absolute = (name: string) => `${name}.`;

/** All rrsets Berth wants for the domain (DKIM included once its key is known). */
export function allDesired(ctx: StepContext): PdnsRRSet[] {
  const c = ctx.config;
  return desiredRRSets({
    domain: ctx.domain.name,
    ingressIPv4: c.ingressIPv4,
    ingressIPv6: c.ingressIPv6,
    mxHost: c.mxHost,
    spfInclude: c.spfInclude,
    dmarcRua: c.dmarcRua,
    dkim: ctx.state.dkimPublicKey ? { selector: DKIM_SELECTOR, publicKeyBase64: ctx.state.dkimPublicKey } : undefined,
  });
}

export const DKIM_SELECTOR = "default";

/**
 * Writes the subset of desired rrsets that `pick` selects, but only what
 * differs from PowerDNS (no write, no SOA serial bump, when all is in place),
 * and never an rrset the customer has taken over.
 */
export async function syncRRSets(ctx: StepContext, pick: (r: PdnsRRSet) => boolean): Promise<string> {
  const zone = await ctx.deps.pdns.getZone(ctx.domain.name);
  if (!zone) throw new PermanentError(`the DNS zone ${ctx.domain.name} is missing; the zone step should have created it`);
  if (zone.account !== zoneAccount(ctx)) throw new PermanentError(`the DNS zone ${ctx.domain.name} is not Berth's`);
  const desired = allDesired(ctx).filter(pick);
  const changes = planRRSetChanges(desired, zone.rrsets ?? [], ctx.domain.releasedRRSets);
  await ctx.deps.pdns.patchRRSets(ctx.domain.name, changes);
  const names = desired.map((r) => `${r.type} ${r.name}`).join(", ");
  return changes.length ? `wrote ${changes.length} of ${desired.length}: ${names}` : `${desired.length} in place: ${names}`;
}
