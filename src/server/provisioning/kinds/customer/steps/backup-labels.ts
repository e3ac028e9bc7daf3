import type { KubernetesObject } from "@kubernetes/client-node";
import { renderOne } from "../../../templates";
import { customerValues, type CustomerSpec } from "../../../values";
import { refOf } from "../../../kube-ref";
import type { Change, Step, StepContext } from "../../../step";

const namespace = (ctx: StepContext<CustomerSpec>) => renderOne("namespace", customerValues(ctx.config, ctx.spec));

async function observe(ctx: StepContext<CustomerSpec>): Promise<{ ok: boolean; exists: boolean; target: string }> {
  const want = namespace(ctx);
  const live = await ctx.deps.kube.observe<KubernetesObject>(refOf(want));
  const labels = live?.metadata?.labels ?? {};
  return { ok: labels.backup === "true" && labels.tenant === "true", exists: live !== null, target: `Namespace ${want.metadata?.name} labels backup, tenant` };
}

/** The namespace still carries backup=true and tenant=true (Velero selects on them). */
export const backupLabelsStep: Step<CustomerSpec> = {
  name: "backup-labels",
  async ensure(ctx) {
    const { ok, target } = await observe(ctx);
    if (ok) return { changes: [{ system: "kubernetes", action: "unchanged", target }], message: "in place" };
    await ctx.deps.kube.apply(namespace(ctx));
    return { changes: [{ system: "kubernetes", action: "update", target, fields: ["metadata.labels"] }], message: "restored" };
  },
  async plan(ctx): Promise<Change[]> {
    const { ok, exists, target } = await observe(ctx);
    // A namespace still to be created gets its labels from the namespace step.
    if (ok || !exists) return [{ system: "kubernetes", action: "unchanged", target, ...(exists ? {} : { note: "set with the namespace" }) }];
    return [{ system: "kubernetes", action: "update", target, fields: ["metadata.labels"] }];
  },
};
