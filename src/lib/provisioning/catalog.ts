/**
 * The one list of reconciled kinds and their steps: names, order, the
 * subsystem each touches, a title for customers in plain words and a
 * technical one. The engine runs steps in this order (each kind's step files
 * are checked against it at start), the panel's live timeline and the
 * preview read the titles, and the tests read the names. No server code
 * here: the client imports it.
 */

export type Subsystem = "Kubernetes" | "DNS" | "Mail" | "Backup" | "Ready";

export type StepInfo = {
  readonly name: string;
  /** For customers: what it gives them, in plain words. */
  readonly title: string;
  /** For admins and the technical view: what it makes, where. */
  readonly technicalTitle: string;
  readonly subsystem: Subsystem;
  /** Runs only when the object is removed (no ensure). */
  readonly removeOnly?: boolean;
};

const step = (name: string, subsystem: Subsystem, title: string, technicalTitle: string, removeOnly = false): StepInfo => ({
  name,
  subsystem,
  title,
  technicalTitle,
  ...(removeOnly ? { removeOnly } : {}),
});

export const STEP_CATALOG = {
  Platform: [
    step("platform-zone", "DNS", "Platform DNS zone", "PowerDNS zone of the platform (account berth:platform), NS = the platform's nameservers"),
    step("platform-records", "DNS", "Platform host names", "A/AAAA of the nameservers, panel and mail host; MX; _spf TXT; DMARC and its report authorisation"),
  ],
  Customer: [
    step("leftovers", "Kubernetes", "Nothing left behind", "Sweep of objects labelled berth.io/customer outside the namespace, zones of account berth:cust-N, mail domains of customer N", true),
    step("namespace", "Kubernetes", "Your private space", "Namespace cust-N (tenant, backup and Pod Security restricted labels)"),
    step("quota", "Kubernetes", "Your plan's resources", "ResourceQuota tenant-quota (CPU, memory, volumes, storage)"),
    step("limits", "Kubernetes", "Fair limits for each app", "LimitRange tenant-limits (per-container defaults and ceilings)"),
    step("network-policy", "Kubernetes", "Network protection", "NetworkPolicies: default deny; DNS, the ingress controller and same-namespace traffic allowed"),
    step("backup-labels", "Backup", "Backups switched on", "Namespace labels backup=true, tenant=true (selected by Velero)"),
  ],
  Domain: [
    step("storage", "Kubernetes", "Storage for your site", "PersistentVolumeClaims web-data (and db-data with a database)"),
    step("workload", "Kubernetes", "Your website's app", "Deployment web-… and its Service (port 80 → 8080)"),
    step("ingress", "Kubernetes", "Web address and HTTPS", "Ingress for the domain and www., TLS by the certificate resolver"),
    step("dns-zone", "DNS", "DNS zone", "PowerDNS zone (Native, account berth:cust-N, the platform's NS)"),
    step("dns-records", "DNS", "Website and mail records", "A/AAAA at the apex, www CNAME, MX to the platform's mail host"),
    step("mail-domain", "Mail", "Mail for your domain", "virtual_domains row in the mail DB (Postfix accepts mail for it)"),
    step("dkim", "Mail", "Mail signing key", "RSA-2048 DKIM key in a Secret in mail-system, <selector>._domainkey TXT, dkim_selectors row"),
    step("spf-dmarc", "DNS", "Protection against forged mail", "SPF TXT at the apex, DMARC TXT at _dmarc"),
    step("readiness", "Ready", "Site online", "Deployment Available with every replica Ready (warning after the deadline)"),
  ],
  Mailbox: [step("mailbox", "Mail", "Mailbox", "virtual_users row (bcrypt hash, quota, maildir, active)")],
  Alias: [step("alias", "Mail", "Forwarder", "virtual_aliases row (source → destination)")],
} as const satisfies Record<string, readonly StepInfo[]>;

export type KindName = keyof typeof STEP_CATALOG;

/** Parents before children: the order in which idle workers look for work. */
export const KIND_ORDER: readonly KindName[] = ["Platform", "Customer", "Domain", "Mailbox", "Alias"];

export function stepInfo(kind: KindName, name: string): StepInfo | undefined {
  const steps: readonly StepInfo[] = STEP_CATALOG[kind];
  return steps.find((s) => s.name === name);
}

/** The steps a run of this kind creates rows for, in order: applying, or removing (reversed). */
export function stepsFor(kind: KindName, action: "APPLY" | "RESYNC" | "DELETE", hasRemove: (name: string) => boolean): StepInfo[] {
  const steps: readonly StepInfo[] = STEP_CATALOG[kind];
  if (action === "DELETE") return [...steps].reverse().filter((s) => hasRemove(s.name));
  return steps.filter((s) => !s.removeOnly);
}
