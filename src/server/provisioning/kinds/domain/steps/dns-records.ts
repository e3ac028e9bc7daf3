import type { Step } from "../step";
import { absolute, syncRRSets } from "./dns-common";

/** Step 7b: apex A/AAAA to the ingress, www CNAME, MX to the platform's mail host. */
export const dnsRecordsStep: Step = {
  name: "dns-records",
  title: "DNS records",
  async ensure(ctx) {
    const apex = absolute(ctx.domain.name);
    const message = await syncRRSets(
      ctx,
      (r) => (r.name === apex && ["A", "AAAA", "MX"].includes(r.type)) || (r.name === `www.${apex}` && r.type === "CNAME"),
    );
    return { message };
  },
};
