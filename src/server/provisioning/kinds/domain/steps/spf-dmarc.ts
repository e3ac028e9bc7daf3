import type { Step } from "../step";
import { absolute, syncRRSets } from "./dns-common";

/** Step 10: SPF on the apex and DMARC on _dmarc. */
export const spfDmarcStep: Step = {
  name: "spf-dmarc",
  title: "SPF and DMARC",
  async ensure(ctx) {
    const apex = absolute(ctx.domain.name);
    const message = await syncRRSets(ctx, (r) => r.type === "TXT" && (r.name === apex || r.name === `_dmarc.${apex}`));
    return { message };
  },
};
