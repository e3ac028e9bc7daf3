import { desiredRRSets, planRRSetChanges } from "../../../dns-records";
import { PermanentError, type Change, type StepContext } from "../../../step";
import type { DomainSpec } from "../../../values";
import type { PdnsRRSet } from "@/server/integrations/powerdns/types";

/** PowerDNS `account` of a zone Berth owns for a customer. */
export const customerZoneAccount = (customerNumber: number) => `berth:cust-${customerNumber}`;
export const zoneAccount = (ctx: StepContext<DomainSpec>) => customerZoneAccount(ctx.spec.customer.number);

export const absolute = (name: string) => `${name}.`;

export const DKIM_SELECTOR = "default";

/** All rrsets Berth wants for the domain (the DKIM TXT once its key is known). */
export function allDesired(ctx: StepContext<DomainSpec>, dkimPublicKey?: string): PdnsRRSet[] {
  const c = ctx.config;
  return desiredRRSets({
    domain: ctx.spec.name,
    ingressIPv4: c.ingressIPv4,
    ingressIPv6: c.ingressIPv6,
    mxHost: c.mxHost,
    spfInclude: c.spfInclude,
    dmarcRua: c.dmarcRua,
    dkim: dkimPublicKey ? { selector: DKIM_SELECTOR, publicKeyBase64: dkimPublicKey } : undefined,
  });
}

const rrTarget = (r: { type: string; name: string }) => `${r.type} ${r.name}`;

/**
 * Writes (or, with `dryRun`, only plans) the desired rrsets that `pick`
 * selects, and only what differs from PowerDNS (no write, no SOA serial bump,
 * when all is in place), never an rrset the customer has taken over. A zone
 * not there yet (a plan for a new domain) means every rrset is created.
 */
export async function syncRRSets(
  ctx: StepContext<DomainSpec>,
  pick: (r: PdnsRRSet) => boolean,
  opts: { dryRun?: boolean; dkimPublicKey?: string } = {},
): Promise<{ changes: Change[]; message: string }> {
  const desired = allDesired(ctx, opts.dkimPublicKey).filter(pick);
  const zone = await ctx.deps.pdns.getZone(ctx.spec.name);
  if (!zone) {
    if (opts.dryRun) return { changes: desired.map((r) => ({ system: "dns", action: "create", target: rrTarget(r) })), message: "zone to be created" };
    throw new PermanentError(`the DNS zone ${ctx.spec.name} is missing; the zone step should have created it`);
  }
  if (zone.account !== zoneAccount(ctx)) throw new PermanentError(`the DNS zone ${ctx.spec.name} is not Berth's`);
  const writes = planRRSetChanges(desired, zone.rrsets ?? [], ctx.spec.releasedRRSets);
  if (!opts.dryRun) await ctx.deps.pdns.patchRRSets(ctx.spec.name, writes);
  const live = zone.rrsets ?? [];
  const changes: Change[] = desired.map((r) => {
    const written = writes.some((w) => w.name === r.name && w.type === r.type);
    const exists = live.some((l) => l.name === r.name && l.type === r.type);
    if (!written) {
      const theirs = exists || ctx.spec.releasedRRSets.some((x) => x.name === r.name && x.type === r.type);
      return { system: "dns", action: "unchanged", target: rrTarget(r), ...(theirs && !exists ? { note: "released to the customer" } : {}) };
    }
    return { system: "dns", action: exists ? "update" : "create", target: rrTarget(r) };
  });
  const names = desired.map(rrTarget).join(", ");
  return { changes, message: writes.length ? `wrote ${writes.length} of ${desired.length}: ${names}` : `${desired.length} in place: ${names}` };
}
