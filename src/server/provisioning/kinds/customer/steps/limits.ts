import { renderOne } from "../../../templates";
import { customerValues, type CustomerSpec } from "../../../values";
import { ensureObject, planObject } from "../../../kube-changes";
import type { Step, StepContext } from "../../../step";

const limits = (ctx: StepContext<CustomerSpec>) => renderOne("limitrange", customerValues(ctx.config, ctx.spec));

/** Per-container defaults and ceilings. */
export const limitsStep: Step<CustomerSpec> = {
  name: "limits",
  async ensure(ctx) {
    const change = await ensureObject(ctx.deps.kube, limits(ctx));
    return { changes: [change], message: change.action };
  },
  plan: async (ctx) => [await planObject(ctx.deps.kube, limits(ctx))],
};
