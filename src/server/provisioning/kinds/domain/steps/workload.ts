import { renderOne } from "../../../templates";
import { domainValues, type DomainSpec } from "../../../values";
import { ensureObjects, planObjects, removeObject } from "../../../kube-changes";
import { REMOVE_TIMEOUT_MS, refOf } from "../../../kube-ref";
import type { Step, StepContext } from "../../../step";

const objects = (ctx: StepContext<DomainSpec>) => {
  const v = domainValues(ctx.config, ctx.spec);
  return { deployment: renderOne("deployment", v), service: renderOne("service", v) };
};

/** The web Deployment and its Service. */
export const workloadStep: Step<DomainSpec> = {
  name: "workload",
  async ensure(ctx) {
    const { deployment, service } = objects(ctx);
    const changes = await ensureObjects(ctx.deps.kube, [deployment, service]);
    return { changes, message: changes.map((c) => `${c.target}: ${c.action}`).join("; ") };
  },
  plan: (ctx) => {
    const { deployment, service } = objects(ctx);
    return planObjects(ctx.deps.kube, [deployment, service]);
  },
  async remove(ctx) {
    const { deployment, service } = objects(ctx);
    const changes = [await removeObject(ctx.deps.kube, service)];
    // Foreground: the Deployment is gone only once its pods are, so the volumes they mount can go next.
    changes.push(await removeObject(ctx.deps.kube, deployment, { propagation: "Foreground" }));
    await ctx.deps.kube.waitGone(refOf(deployment), { timeoutMs: REMOVE_TIMEOUT_MS });
    return { changes };
  },
};
