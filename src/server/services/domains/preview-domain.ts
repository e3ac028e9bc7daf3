import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Scope } from "@/server/auth/permissions";
import { KubeError } from "@/server/integrations/kubernetes/client";
import { provisioningConfig } from "@/server/provisioning/config";
import { provisioningDeps } from "@/server/provisioning/deps";
import { desiredRRSets, planRRSetChanges } from "@/server/provisioning/dns-records";
import { DKIM_SELECTOR } from "@/server/provisioning/steps/dns-common";
import type { StepContext } from "@/server/provisioning/step";
import { renderOne, renderTemplate } from "@/server/provisioning/templates";
import { domainNames, templateValues } from "@/server/provisioning/values";
import type { AddDomainInput } from "./add-domain.schema";
import { clashError, findClash, validateNewDomain } from "./add-domain";

export type PlannedObject = { kind: string; name: string; namespace?: string; action: "create" | "update" | "unchanged"; note?: string };

/**
 * What adding this domain would write, without writing anything: Kubernetes
 * objects checked by the API server (server-side dry run), the DNS rrsets,
 * and the mail rows.
 */
export async function previewDomain(scope: Scope & { kind: "customer" }, input: AddDomainInput) {
  const v = await validateNewDomain(input);
  const clash = await findClash(db, v.name, scope.customerId);
  if (clash) throw clashError(clash, v.name, v.displayName, scope.customerId);
  const customer = await db.customer.findUniqueOrThrow({
    where: { id: scope.customerId },
    select: { id: true, number: true, plan: { select: { cpuRequestM: true, cpuLimitM: true, memoryRequestMi: true, memoryLimitMi: true, maxPvcs: true, storageGi: true, appReplicas: true } } },
  });
  const config = provisioningConfig();
  const deps = provisioningDeps();
  const ctx: StepContext = {
    config,
    deps,
    state: {},
    domain: {
      id: "preview",
      name: v.name,
      generation: 1,
      suspended: false,
      options: { image: input.image, includeDatabase: input.includeDatabase },
      releasedRRSets: [],
      customer: { id: customer.id, number: customer.number, plan: customer.plan },
      mailboxes: [],
      aliases: [],
    },
  };
  const values = templateValues(ctx);
  const n = domainNames(v.name, customer.number);
  const objects: KubernetesObject[] = [
    renderOne("namespace", values),
    renderOne("resourcequota", values),
    renderOne("limitrange", values),
    ...renderTemplate("networkpolicy", values),
    renderOne("pvc", { ...values, pvcName: n.webPvc, volume: "web-data", size: "1Gi" }),
    ...(input.includeDatabase ? [renderOne("pvc", { ...values, pvcName: n.dbPvc, volume: "db-data", size: "1Gi" })] : []),
    renderOne("deployment", values),
    renderOne("service", values),
    renderOne("ingress", values),
    renderOne("dkim-secret", { ...values, selector: DKIM_SELECTOR, privateKey: "(generated when applied)" }),
  ];

  const kubernetes: PlannedObject[] = [];
  for (const obj of objects) {
    const ref = { apiVersion: obj.apiVersion ?? "v1", kind: obj.kind ?? "", metadata: { name: obj.metadata?.name ?? "", namespace: obj.metadata?.namespace } };
    const base = { kind: ref.kind, name: ref.metadata.name, namespace: ref.metadata.namespace };
    const live = await deps.kube.observe(ref);
    try {
      const dry = await deps.kube.apply(obj, { dryRun: true });
      kubernetes.push({ ...base, action: !live ? "create" : dry.metadata?.resourceVersion === live.metadata?.resourceVersion ? "unchanged" : "update" });
    } catch (e) {
      // A namespaced object cannot be dry-run before its namespace exists: it is created after it.
      if (e instanceof KubeError && e.status === 404 && !live) kubernetes.push({ ...base, action: "create", note: "validated once its namespace exists" });
      else if (e instanceof KubeError && !e.transient) throw new AppError("BAD_REQUEST", `Kubernetes would refuse this: ${e.message}`);
      else throw e;
    }
  }

  const desired = desiredRRSets({
    domain: v.name,
    ingressIPv4: config.ingressIPv4,
    ingressIPv6: config.ingressIPv6,
    mxHost: config.mxHost,
    spfInclude: config.spfInclude,
    dmarcRua: config.dmarcRua,
  });
  const zone = await deps.pdns.getZone(v.name);
  const changes = planRRSetChanges(desired, zone?.rrsets ?? [], []);
  const dns = {
    zone: { name: `${v.name}.`, action: zone ? "exists" : "create", nameservers: config.nameservers },
    rrsets: [
      ...desired.map((r) => ({
        name: r.name,
        type: r.type,
        ttl: r.ttl,
        records: r.records.map((x) => x.content),
        action: changes.some((c) => c.name === r.name && c.type === r.type) ? "write" : "unchanged",
      })),
      { name: `${DKIM_SELECTOR}._domainkey.${v.name}.`, type: "TXT", ttl: 300, records: ["v=DKIM1; k=rsa; p=(generated when applied)"], action: "write" },
    ],
  };

  const mail = {
    virtual_domains: [{ name: v.name, customer_id: String(customer.number) }],
    virtual_users: v.mailboxes.map((m) => ({ email: m.address, maildir: `vhosts/${v.name}/${m.localPart}/`, quota_bytes: m.quotaMb * 1024 * 1024 })),
    virtual_aliases: v.aliases,
    dkim_selectors: [{ selector: DKIM_SELECTOR, secret_name: n.dkimSecret }],
  };
  return { domain: { name: v.name, displayName: v.displayName }, kubernetes, dns, mail };
}
