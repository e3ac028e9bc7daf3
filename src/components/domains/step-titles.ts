/** What each provisioning step is called in the panel (names match src/server/provisioning/steps). */
export const STEP_TITLES: Record<string, string> = {
  namespace: "Namespace",
  quota: "Resource quota",
  limits: "Limit range",
  "network-policy": "Network policy",
  storage: "Storage",
  workload: "Web app",
  ingress: "Ingress and TLS",
  "dns-zone": "DNS zone",
  "dns-records": "DNS records",
  "mail-domain": "Mail domain",
  mailboxes: "Mailboxes and aliases",
  dkim: "DKIM key",
  "spf-dmarc": "SPF and DMARC",
  "backup-labels": "Backup labels",
  readiness: "Site ready",
};
