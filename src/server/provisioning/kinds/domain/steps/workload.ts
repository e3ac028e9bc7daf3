import { renderOne } from "../templates";
import { templateValues } from "../values";
import { REMOVE_TIMEOUT_MS, refOf } from "./kube-ref";
import type { Step, StepContext } from "../step";

const objects = (ctx: StepContext) => {
  const v = templateValues(ctx);
  return { deployment: renderOne("deployment", v), service: renderOne("service", v) };
};

/** Step 5: the web Deployment and its Service. */
export const workloadStep: Step = {
  name: "workload",
  title: "Web app",
  async ensure(ctx) {
    const { deployment, service } = objects(ctx);
    await ctx.deps.kube.apply(deployment);
    await ctx.deps.kube.apply(service);
    return { message: `${deployment.metadata?.name}` };
  },
  async remove(ctx) {
    const { deployment, service } = objects(ctx);
    await ctx.deps.kube.remove(refOf(service));
    // Foreground: the Deployment is gone only once its pods are, so the volumes they mount can go next.
    await ctx.deps.kube.remove(refOf(deployment), { propagation: "Foreground" });
    await ctx.deps.kube.waitGone(refOf(deployment), { timeoutMs: REMOVE_TIMEOUT_MS });
  },
};
