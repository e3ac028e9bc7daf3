import { renderTemplate } from "../templates";
import { templateValues } from "../values";
import type { Step } from "../step";

/** Default-deny for the namespace, with DNS, the ingress controller and same-namespace traffic allowed. */
export const networkPolicyStep: Step = {
  name: "network-policy",
  title: "Network policy",
  async ensure(ctx) {
    const objs = renderTemplate("networkpolicy", templateValues(ctx));
    // Independent objects: applied together.
    await Promise.all(objs.map((obj) => ctx.deps.kube.apply(obj)));
    return { message: `${objs.length} policies` };
  },
};
