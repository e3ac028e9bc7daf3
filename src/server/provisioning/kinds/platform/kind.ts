import "server-only";
import { db } from "@/server/db";
import { PdnsError } from "@/server/integrations/powerdns/client";
import { planRRSetChanges } from "../../dns-records";
import { PermanentError, type Change, type Kind, type Step, type StepContext } from "../../step";
import { platformRRSets } from "./records";
import { requestedDueAt } from "../../engine/tables";

/** The platform's DNS: its desired state is configuration; the row only holds reconcile state. */
export type PlatformSpec = { id: string };

export const PLATFORM_ZONE_ACCOUNT = "berth:platform";

const zoneName = (ctx: StepContext<PlatformSpec>) => ctx.config.platform.zone;

const desired = (ctx: StepContext<PlatformSpec>) => {
  const c = ctx.config;
  return platformRRSets({
    zone: c.platform.zone,
    nameservers: c.nameservers,
    nameserverIPv4: c.platform.nameserverIPv4,
    panelDomain: c.platform.panelDomain,
    ingressIPv4: c.ingressIPv4,
    ingressIPv6: c.ingressIPv6,
    mxHost: c.mxHost,
    mailIPv4: c.platform.mailIPv4,
    spfInclude: c.spfInclude,
    dmarcRua: c.dmarcRua,
  });
};

const notOurs = (name: string, account: string) =>
  new PermanentError(`The platform's zone ${name} exists in PowerDNS with account "${account || "none"}", not ${PLATFORM_ZONE_ACCOUNT}: Berth leaves it alone. Mark it as Berth's, or set PLATFORM_ZONE.`);

const platformZoneStep: Step<PlatformSpec> = {
  name: "platform-zone",
  async ensure(ctx) {
    const name = zoneName(ctx);
    let zone = await ctx.deps.pdns.getZone(name);
    if (!zone) {
      try {
        await ctx.deps.pdns.createZone({ name, kind: "Native", nameservers: ctx.config.nameservers, account: PLATFORM_ZONE_ACCOUNT });
        return { changes: [{ system: "dns", action: "create", target: `zone ${name}.` }] };
      } catch (e) {
        if (!(e instanceof PdnsError && e.isConflict)) throw e;
        zone = await ctx.deps.pdns.getZone(name);
        if (!zone) throw e;
      }
    }
    if (zone.account !== PLATFORM_ZONE_ACCOUNT) throw notOurs(zone.name, zone.account);
    return { changes: [{ system: "dns", action: "unchanged", target: `zone ${name}.` }] };
  },
  async plan(ctx): Promise<Change[]> {
    const zone = await ctx.deps.pdns.getZone(zoneName(ctx));
    if (zone && zone.account !== PLATFORM_ZONE_ACCOUNT) throw notOurs(zone.name, zone.account);
    return [{ system: "dns", action: zone ? "unchanged" : "create", target: `zone ${zoneName(ctx)}.` }];
  },
};

async function recordChanges(ctx: StepContext<PlatformSpec>, apply: boolean): Promise<Change[]> {
  const want = desired(ctx);
  const zone = await ctx.deps.pdns.getZone(zoneName(ctx));
  const live = zone?.rrsets ?? [];
  const writes = planRRSetChanges(want, live, []);
  if (apply) {
    if (!zone) throw new PermanentError(`the platform's zone ${zoneName(ctx)} is missing; the zone step should have created it`);
    await ctx.deps.pdns.patchRRSets(zoneName(ctx), writes);
  }
  return want.map((r) => {
    const written = writes.some((w) => w.name === r.name && w.type === r.type);
    const exists = live.some((l) => l.name === r.name && l.type === r.type);
    return { system: "dns", action: !written ? "unchanged" : exists ? "update" : "create", target: `${r.type} ${r.name}` };
  });
}

const platformRecordsStep: Step<PlatformSpec> = {
  name: "platform-records",
  async ensure(ctx) {
    const changes = await recordChanges(ctx, true);
    const written = changes.filter((c) => c.action !== "unchanged").length;
    return { changes, message: written ? `wrote ${written} of ${changes.length}` : `${changes.length} in place` };
  },
  plan: (ctx) => recordChanges(ctx, false),
};

/** The singleton row; its generation never moves (configuration is read each run), resync repairs drift. */
export const platformKind: Kind<PlatformSpec> = {
  name: "Platform",
  table: "Platform",
  async load(id) {
    const row = await db.platform.findUnique({ where: { id }, select: { id: true } });
    if (!row) return null;
    return { spec: { id: row.id }, subject: "platform DNS", customerId: null, domainId: null, deletionRequested: false, suspended: false };
  },
  steps: [platformZoneStep, platformRecordsStep],
};

/** The platform row exists and is due now (its desired state is configuration, which may have changed). */
export async function platformDueNow(): Promise<void> {
  await db.platform.upsert({ where: { id: "platform" }, create: { id: "platform", dueAt: requestedDueAt() }, update: { dueAt: requestedDueAt() } });
}
