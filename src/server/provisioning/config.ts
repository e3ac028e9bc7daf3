import "server-only";
import { env } from "@/env";

/** What the engine needs to know about the platform, read once from the environment. */
export type ProvisioningConfig = {
  nameservers: string[];
  mxHost: string;
  spfInclude: string;
  dmarcRua: string;
  ingressIPv4: string;
  ingressIPv6?: string;
  ingressClass: string;
  ingressNamespace: string;
  certResolver: string;
  storageClass: string;
  mailNamespace: string;
  defaultImage: string;
  docroot: string;
  readinessTimeoutMs: number;
  resyncIntervalMs: number;
  leaseMs: number;
  stepMaxAttempts: number;
  runRetention: { keep: number; failureDays: number };
  platform: { zone: string; panelDomain: string; nameserverIPv4: string[]; mailIPv4: string };
};

export function provisioningConfig(): ProvisioningConfig {
  const abs = (h: string) => (h.endsWith(".") ? h : `${h}.`);
  return {
    nameservers: env.PLATFORM_NAMESERVERS.map(abs),
    mxHost: abs(env.PLATFORM_MX_HOST),
    spfInclude: env.PLATFORM_SPF_INCLUDE,
    dmarcRua: env.PLATFORM_DMARC_RUA,
    ingressIPv4: env.INGRESS_IPV4,
    ingressIPv6: env.INGRESS_IPV6,
    ingressClass: env.INGRESS_CLASS,
    ingressNamespace: env.INGRESS_NAMESPACE,
    certResolver: env.TLS_CERT_RESOLVER,
    storageClass: env.STORAGE_CLASS,
    mailNamespace: env.MAIL_NAMESPACE,
    defaultImage: env.DEFAULT_WEB_IMAGE,
    docroot: "/usr/share/nginx/html",
    readinessTimeoutMs: env.READINESS_TIMEOUT_SECONDS * 1000,
    resyncIntervalMs: env.RESYNC_INTERVAL_SECONDS * 1000,
    leaseMs: env.WORKER_LEASE_SECONDS * 1000,
    stepMaxAttempts: env.STEP_MAX_ATTEMPTS,
    runRetention: { keep: env.RUN_RETENTION_COUNT, failureDays: env.RUN_FAILURE_RETENTION_DAYS },
    platform: { zone: env.PLATFORM_ZONE.toLowerCase().replace(/\.$/, ""), panelDomain: env.PANEL_DOMAIN, nameserverIPv4: env.PLATFORM_NAMESERVER_IPV4, mailIPv4: env.PLATFORM_MAIL_IPV4 },
  };
}
