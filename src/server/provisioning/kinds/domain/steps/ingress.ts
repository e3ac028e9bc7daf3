import { renderOne } from "../templates";
import { templateValues } from "../values";
import { refOf } from "./kube-ref";
import type { Step } from "../step";

/** Step 6: the domain and www. routed to the web Service, TLS by Traefik ACME. */
export const ingressStep: Step = {
  name: "ingress",
  title: "Ingress",
  async ensure(ctx) {
    await ctx.deps.kube.apply(renderOne("ingress", templateValues(ctx)));
    return { message: `${ctx.domain.name}, www.${ctx.domain.name}` };
  },
  async remove(ctx) {
    await ctx.deps.kube.remove(refOf(renderOne("ingress", templateValues(ctx))));
  },
};
