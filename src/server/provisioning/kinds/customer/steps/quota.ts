import { renderOne } from "../../../templates";
import { customerValues, type CustomerSpec } from "../../../values";
import { ensureObject, planObject } from "../../../kube-changes";
import type { Step, StepContext } from "../../../step";

const quota = (ctx: StepContext<CustomerSpec>) => renderOne("resourcequota", customerValues(ctx.config, ctx.spec));

/** The plan's ResourceQuota for the customer's namespace. */
export const quotaStep: Step<CustomerSpec> = {
  name: "quota",
  async ensure(ctx) {
    const v = customerValues(ctx.config, ctx.spec);
    const change = await ensureObject(ctx.deps.kube, quota(ctx));
    return { changes: [change], message: `cpu ${v.cpuRequest}/${v.cpuLimit}, memory ${v.memoryRequest}/${v.memoryLimit}, storage ${v.storage}: ${change.action}` };
  },
  plan: async (ctx) => [await planObject(ctx.deps.kube, quota(ctx))],
};
