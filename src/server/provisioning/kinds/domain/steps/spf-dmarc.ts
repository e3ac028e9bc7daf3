import type { Step, StepContext } from "../../../step";
import type { DomainSpec } from "../../../values";
import type { PdnsRRSet } from "@/server/integrations/powerdns/types";
import { absolute, syncRRSets } from "./dns-common";

const pick = (ctx: StepContext<DomainSpec>) => {
  const apex = absolute(ctx.spec.name);
  return (r: PdnsRRSet) => r.type === "TXT" && (r.name === apex || r.name === `_dmarc.${apex}`);
};

/** SPF on the apex and DMARC on _dmarc. */
export const spfDmarcStep: Step<DomainSpec> = {
  name: "spf-dmarc",
  ensure: (ctx) => syncRRSets(ctx, pick(ctx)),
  plan: async (ctx) => (await syncRRSets(ctx, pick(ctx), { dryRun: true })).changes,
};
