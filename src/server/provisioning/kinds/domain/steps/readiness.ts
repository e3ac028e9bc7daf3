import type { KubernetesObject } from "@kubernetes/client-node";
import { deploymentAvailable, KubeError } from "@/server/integrations/kubernetes/client";
import { domainNames, type DomainSpec } from "../../../values";
import type { Step } from "../../../step";

/**
 * The site answers — its Deployment Available with every replica Ready —
 * within a deadline. Missing the deadline is a warning, not a failure (seed
 * TENANT-PROVISIONING-ARCHITECTURE): the rest is in place and resync keeps
 * watching. It only waits: it changes nothing, so it plans nothing.
 */
export const readinessStep: Step<DomainSpec> = {
  name: "readiness",
  async ensure(ctx) {
    if (ctx.spec.suspended) return { message: "suspended: scaled to zero" };
    const n = domainNames(ctx.spec.name, ctx.spec.customer.number);
    try {
      await ctx.deps.kube.waitFor<KubernetesObject & Parameters<typeof deploymentAvailable>[0]>(
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: n.web, namespace: n.namespace } },
        deploymentAvailable,
        { timeoutMs: ctx.config.readinessTimeoutMs, intervalMs: 100, what: "Available" },
      );
      return { message: "Deployment Available, pods Ready" };
    } catch (e) {
      if (e instanceof KubeError && e.reason === "Timeout") return { warning: e.message };
      throw e;
    }
  },
  plan: async () => [],
};
