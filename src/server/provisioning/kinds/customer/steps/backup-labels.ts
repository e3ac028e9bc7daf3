import type { KubernetesObject } from "@kubernetes/client-node";
import { renderOne } from "../templates";
import { templateValues } from "../values";
import type { Step } from "../step";

/** Step 11: the namespace still carries backup=true and tenant=true (Velero selects on them). */
export const backupLabelsStep: Step = {
  name: "backup-labels",
  title: "Backup labels",
  async ensure(ctx) {
    const want = renderOne("namespace", templateValues(ctx));
    const live = await ctx.deps.kube.observe<KubernetesObject>({ apiVersion: "v1", kind: "Namespace", metadata: { name: want.metadata?.name ?? "" } });
    const labels = live?.metadata?.labels ?? {};
    if (labels.backup === "true" && labels.tenant === "true") return { message: "in place" };
    await ctx.deps.kube.apply(want);
    return { message: "restored" };
  },
};
