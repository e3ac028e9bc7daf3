import { renderOne } from "../templates";
import { templateValues } from "../values";
import type { Step } from "../step";

/** Step 2: the plan's ResourceQuota for the customer's namespace. */
export const quotaStep: Step = {
  name: "quota",
  title: "Resource quota",
  async ensure(ctx) {
    const v = templateValues(ctx);
    await ctx.deps.kube.apply(renderOne("resourcequota", v));
    return { message: `cpu ${v.cpuRequest}/${v.cpuLimit}, memory ${v.memoryRequest}/${v.memoryLimit}, storage ${v.storage}` };
  },
};
