import type { KubernetesObject } from "@kubernetes/client-node";
import type { ObjectRef } from "@/server/integrations/kubernetes/client";

/** The reference to a rendered object, for observe/remove/wait. A template without a kind or name is a bug: say so. */
export function refOf(o: KubernetesObject): ObjectRef {
  const kind = o.kind;
  const name = o.metadata?.name;
  if (!kind || !name) throw new Error(`a rendered object lacks its kind or name: ${JSON.stringify(o).slice(0, 200)}`);
  return { apiVersion: o.apiVersion ?? "v1", kind, metadata: { name, namespace: o.metadata?.namespace } };
}

/** How long a remove waits for Kubernetes to finish deleting before the step retries. */
export const REMOVE_TIMEOUT_MS = 60_000;
