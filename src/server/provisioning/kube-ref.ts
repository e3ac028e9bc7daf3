import type { KubernetesObject } from "@kubernetes/client-node";
import type { ObjectRef } from "@/server/integrations/kubernetes/client";

/** The reference to a rendered object, for observe/remove/wait. */
export const refOf = (o: KubernetesObject): ObjectRef => ({
  apiVersion: o.apiVersion ?? "v1",
  kind: o.kind ?? "",
  metadata: { name: o.metadata?.name ?? "", namespace: o.metadata?.namespace },
});

/** How long a remove waits for Kubernetes to finish deleting before the step retries. */
export const REMOVE_TIMEOUT_MS = 60_000;
