import { labelValue, namespaceName, objectName } from "./names";
import type { StepContext } from "./step";
import type { TemplateValues } from "./templates";

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

/** The values every tenant template is rendered with. */
export function templateValues(ctx: StepContext): TemplateValues {
  const { domain, config } = ctx;
  const plan = domain.customer.plan;
  const n = domainNames(domain.name, domain.customer.number);
  return {
    namespace: n.namespace,
    customerNumber: String(domain.customer.number),
    cpuRequest: cpu(plan.cpuRequestM),
    cpuLimit: cpu(plan.cpuLimitM),
    memoryRequest: mem(plan.memoryRequestMi),
    memoryLimit: mem(plan.memoryLimitMi),
    maxPvcs: String(plan.maxPvcs),
    storage: `${plan.storageGi}Gi`,
    ingressNamespace: config.ingressNamespace,
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
