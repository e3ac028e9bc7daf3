import "server-only";
import { env } from "@/env";
import { createKubeClient, loadKubeConfig, type KubeClient } from "@/server/integrations/kubernetes/client";
import { createPowerDnsClient, type PowerDnsClient } from "@/server/integrations/powerdns/client";
import { createMailDb, type MailDb } from "@/server/integrations/mail-sql/client";
import { createDkimKeyPool, type DkimKeyPool } from "@/server/integrations/dkim/pool";
import { AppError } from "@/server/errors";

/** The real systems the engine reconciles, built once per process from configuration. */
export type Deps = { kube: KubeClient; pdns: PowerDnsClient; mail: MailDb; dkimKeys: DkimKeyPool };

let deps: Deps | undefined;

export function provisioningDeps(): Deps {
  if (deps) return deps;
  const inCluster = !env.KUBECONFIG && Boolean(env.KUBERNETES_SERVICE_HOST);
  const missing = [
    ["KUBECONFIG", env.KUBECONFIG ?? (inCluster ? "in-cluster" : undefined)],
    ["PDNS_API_URL", env.PDNS_API_URL],
    ["PDNS_API_KEY", env.PDNS_API_KEY],
    ["MAIL_DB_URL", env.MAIL_DB_URL],
  ].filter(([, v]) => !v);
  if (missing.length) {
    throw new AppError("UNAVAILABLE", `Provisioning is not configured: set ${missing.map(([k]) => k).join(", ")}.`);
  }
  deps = {
    // A kubeconfig file when given, else the pod's own service account.
    kube: createKubeClient(loadKubeConfig(env.KUBECONFIG)),
    pdns: createPowerDnsClient({ baseUrl: env.PDNS_API_URL ?? "", apiKey: env.PDNS_API_KEY ?? "" }),
    mail: createMailDb(env.MAIL_DB_URL ?? ""),
    dkimKeys: createDkimKeyPool(4),
  };
  return deps;
}
