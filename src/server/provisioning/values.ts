import { labelValue, namespaceName, objectName } from "./names";
import type { ProvisioningConfig } from "./config";
import type { TemplateValues } from "./templates";

/** The plan values tenant objects are rendered with. */
export type PlanValues = {
  cpuRequestM: number;
  cpuLimitM: number;
  memoryRequestMi: number;
  memoryLimitMi: number;
  maxPvcs: number;
  storageGi: number;
  appReplicas: number;
};

export const PLAN_VALUES_SELECT = {
  cpuRequestM: true,
  cpuLimitM: true,
  memoryRequestMi: true,
  memoryLimitMi: true,
  maxPvcs: true,
  storageGi: true,
  appReplicas: true,
} as const;

/** A customer as its own objects and its domains' objects need it. */
export type CustomerSpec = { id: string; number: number; suspended: boolean; plan: PlanValues };

export type DomainOptions = { image?: string; includeDatabase?: boolean; storageGi?: number };

/** Everything a domain's steps need, read from the panel DB. */
export type DomainSpec = {
  id: string;
  name: string;
  generation: number;
  /** The domain's own suspension or its customer's. */
  suspended: boolean;
  options: DomainOptions;
  releasedRRSets: Array<{ name: string; type: string }>;
  customer: CustomerSpec;
};

const cpu = (m: number) => `${m}m`;
const mem = (mi: number) => `${mi}Mi`;

/** Per-pod resources: small requests so many sites share the plan's quota, limits capped by the plan. */
const POD_CPU_REQUEST_M = 50;
const POD_MEMORY_REQUEST_MI = 64;
const POD_CPU_LIMIT_M = 250;
const POD_MEMORY_LIMIT_MI = 256;

/** Names of everything Berth creates for a domain: deterministic, collision-free, ≤ 63 characters. */
export function domainNames(domain: string, customerNumber: number) {
  return {
    namespace: namespaceName(customerNumber),
    web: objectName("web", domain),
    webPvc: objectName("web", domain),
    dbPvc: objectName("db", domain),
    tlsSecret: objectName("tls", domain),
    dkimSecret: objectName("dkim", domain),
    label: labelValue(domain),
  };
}

/** Values of the customer's own templates (namespace, quota, limits, network policy). */
export function customerValues(config: ProvisioningConfig, customer: CustomerSpec): TemplateValues {
  const plan = customer.plan;
  return {
    namespace: namespaceName(customer.number),
    customerNumber: String(customer.number),
    cpuRequest: cpu(plan.cpuRequestM),
    cpuLimit: cpu(plan.cpuLimitM),
    memoryRequest: mem(plan.memoryRequestMi),
    memoryLimit: mem(plan.memoryLimitMi),
    maxPvcs: String(plan.maxPvcs),
    storage: `${plan.storageGi}Gi`,
    ingressNamespace: config.ingressNamespace,
  };
}

/** Values of a domain's templates: its customer's, and its own. */
export function domainValues(config: ProvisioningConfig, domain: DomainSpec): TemplateValues {
  const plan = domain.customer.plan;
  const n = domainNames(domain.name, domain.customer.number);
  return {
    ...customerValues(config, domain.customer),
    domain: domain.name,
    wwwDomain: `www.${domain.name}`,
    domainLabel: n.label,
    webName: n.web,
    webPvcName: n.webPvc,
    tlsSecretName: n.tlsSecret,
    storageClass: config.storageClass,
    image: domain.options.image ?? config.defaultImage,
    replicas: domain.suspended ? 0 : plan.appReplicas,
    podCpuRequest: cpu(Math.min(POD_CPU_REQUEST_M, plan.cpuRequestM)),
    podMemoryRequest: mem(Math.min(POD_MEMORY_REQUEST_MI, plan.memoryRequestMi)),
    podCpuLimit: cpu(Math.min(POD_CPU_LIMIT_M, plan.cpuLimitM)),
    podMemoryLimit: mem(Math.min(POD_MEMORY_LIMIT_MI, plan.memoryLimitMi)),
    docroot: config.docroot,
    ingressClass: config.ingressClass,
    certResolver: config.certResolver,
    mailNamespace: config.mailNamespace,
    dkimSecretName: n.dkimSecret,
  };
}
