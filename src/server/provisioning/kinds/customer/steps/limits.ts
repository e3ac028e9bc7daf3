import { renderOne } from "../templates";
import { templateValues } from "../values";
import type { Step } from "../step";

/** Step 3: per-container defaults and ceilings. */
export const limitsStep: Step = {
  name: "limits",
  title: "Limit range",
  async ensure(ctx) {
    await ctx.deps.kube.apply(renderOne("limitrange", templateValues(ctx)));
  },
};
