import { renderTemplate } from "../../../templates";
import { customerValues, type CustomerSpec } from "../../../values";
import { ensureObjects, planObjects } from "../../../kube-changes";
import type { Step, StepContext } from "../../../step";

const policies = (ctx: StepContext<CustomerSpec>) => renderTemplate("networkpolicy", customerValues(ctx.config, ctx.spec));

/** Default-deny for the namespace, with DNS, the ingress controller and same-namespace traffic allowed. */
export const networkPolicyStep: Step<CustomerSpec> = {
  name: "network-policy",
  async ensure(ctx) {
    // Independent objects: applied together.
    const changes = await ensureObjects(ctx.deps.kube, policies(ctx));
    const written = changes.filter((c) => c.action !== "unchanged").length;
    return { changes, message: `${changes.length} policies${written ? `, ${written} written` : ", unchanged"}` };
  },
  plan: (ctx) => planObjects(ctx.deps.kube, policies(ctx)),
};
