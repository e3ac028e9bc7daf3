import { renderOne } from "../templates";
import { templateValues } from "../values";
import type { Step } from "../step";

/** Step 1: the customer's namespace (goes only with the customer, never with a domain). */
export const namespaceStep: Step = {
  name: "namespace",
  title: "Namespace",
  async ensure(ctx) {
    const ns = await ctx.deps.kube.apply(renderOne("namespace", templateValues(ctx)));
    return { message: `namespace ${ns.metadata?.name}` };
  },
};
