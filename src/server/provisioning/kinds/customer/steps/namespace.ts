import { renderOne } from "../../../templates";
import { customerValues } from "../../../values";
import { ensureObject, planObject, removeObject } from "../../../kube-changes";
import { REMOVE_TIMEOUT_MS, refOf } from "../../../kube-ref";
import type { Step, StepContext } from "../../../step";
import type { CustomerSpec } from "../../../values";

const namespace = (ctx: StepContext<CustomerSpec>) => renderOne("namespace", customerValues(ctx.config, ctx.spec));

/**
 * The customer's namespace. It goes only with the customer: removing it
 * takes everything inside (Kubernetes deletes the contents), and the step
 * waits until it is gone.
 */
export const namespaceStep: Step<CustomerSpec> = {
  name: "namespace",
  async ensure(ctx) {
    const change = await ensureObject(ctx.deps.kube, namespace(ctx));
    return { changes: [change], message: `${change.target}: ${change.action}` };
  },
  plan: async (ctx) => [await planObject(ctx.deps.kube, namespace(ctx))],
  async remove(ctx) {
    const ns = namespace(ctx);
    const change = await removeObject(ctx.deps.kube, ns);
    await ctx.deps.kube.waitGone(refOf(ns), { timeoutMs: REMOVE_TIMEOUT_MS * 3 });
    return { changes: [change], message: `${change.target}: ${change.action === "delete" ? "deleted" : "already gone"}` };
  },
};
