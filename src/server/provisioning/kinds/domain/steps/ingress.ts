import { renderOne } from "../../../templates";
import { domainValues, type DomainSpec } from "../../../values";
import { ensureObject, planObject, removeObject } from "../../../kube-changes";
import type { Step, StepContext } from "../../../step";

const ingress = (ctx: StepContext<DomainSpec>) => renderOne("ingress", domainValues(ctx.config, ctx.spec));

/** The domain and www. routed to the web Service, TLS by the certificate resolver. */
export const ingressStep: Step<DomainSpec> = {
  name: "ingress",
  async ensure(ctx) {
    const change = await ensureObject(ctx.deps.kube, ingress(ctx));
    return { changes: [change], message: `${ctx.spec.name}, www.${ctx.spec.name}: ${change.action}` };
  },
  plan: async (ctx) => [await planObject(ctx.deps.kube, ingress(ctx))],
  async remove(ctx) {
    return { changes: [await removeObject(ctx.deps.kube, ingress(ctx))] };
  },
};
