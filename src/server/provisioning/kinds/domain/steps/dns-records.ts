import type { Step, StepContext } from "../../../step";
import type { DomainSpec } from "../../../values";
import type { PdnsRRSet } from "@/server/integrations/powerdns/types";
import { absolute, syncRRSets } from "./dns-common";

const pick = (ctx: StepContext<DomainSpec>) => {
  const apex = absolute(ctx.spec.name);
  return (r: PdnsRRSet) => (r.name === apex && ["A", "AAAA", "MX"].includes(r.type)) || (r.name === `www.${apex}` && r.type === "CNAME");
};

/** Apex A/AAAA to the ingress, www CNAME, MX to the platform's mail host. */
export const dnsRecordsStep: Step<DomainSpec> = {
  name: "dns-records",
  ensure: (ctx) => syncRRSets(ctx, pick(ctx)),
  plan: async (ctx) => (await syncRRSets(ctx, pick(ctx), { dryRun: true })).changes,
};
