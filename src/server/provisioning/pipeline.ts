import type { Step } from "./step";
import { namespaceStep } from "./steps/namespace";
import { quotaStep } from "./steps/quota";
import { limitsStep } from "./steps/limits";
import { networkPolicyStep } from "./steps/network-policy";
import { storageStep } from "./steps/storage";
import { workloadStep } from "./steps/workload";
import { ingressStep } from "./steps/ingress";
import { dnsZoneStep } from "./steps/dns-zone";
import { dnsRecordsStep } from "./steps/dns-records";
import { mailDomainStep } from "./steps/mail-domain";
import { mailboxesStep } from "./steps/mailboxes";
import { dkimStep } from "./steps/dkim";
import { spfDmarcStep } from "./steps/spf-dmarc";
import { backupLabelsStep } from "./steps/backup-labels";
import { readinessStep } from "./steps/readiness";

/** Seed PROVISIONING-FLOW, in order, plus a network policy and MX (ARCHITECTURE.md). */
export const APPLY_STEPS: Step[] = [
  namespaceStep,
  quotaStep,
  limitsStep,
  networkPolicyStep,
  storageStep,
  workloadStep,
  ingressStep,
  dnsZoneStep,
  dnsRecordsStep,
  mailDomainStep,
  mailboxesStep,
  dkimStep,
  spfDmarcStep,
  backupLabelsStep,
  readinessStep,
];

/** Deleting a domain: the inverses, in reverse order; customer-level steps own nothing of the domain's. */
export const DELETE_STEPS: Step[] = [...APPLY_STEPS].reverse().filter((s) => s.remove !== undefined);
