import { isIPv4, isIPv6 } from "node:net";
import { dkimTxtRecord, fromTxtContent, toTxtContent } from "@/server/integrations/dkim/keys";
import type { PdnsComment, PdnsRRSet, PdnsRRSetChange } from "@/server/integrations/powerdns/types";

/**
 * The rrsets Berth writes into a domain's zone (seed PROVISIONING-FLOW steps 7,
 * 9, 10) and the rule for writing them. PowerDNS is the truth: every rrset
 * Berth writes carries a comment with account "berth"; once a customer edits
 * or deletes one, it is theirs (no comment, or listed as released), and a
 * resync never writes over it or deletes it.
 */

export const MANAGED_ACCOUNT = "berth";
const MANAGED_COMMENT: PdnsComment = { content: "managed by berth", account: MANAGED_ACCOUNT };
const DEFAULT_TTL = 300;

export type DesiredRecordsInput = {
  /** Normalised (A-label, lower case), without trailing dot. */
  domain: string;
  ingressIPv4: string;
  ingressIPv6?: string;
  /** The platform's mail exchanger, e.g. "mail.platform.example.com". */
  mxHost: string;
  /** SPF include, e.g. "_spf.platform.example.com". */
  spfInclude: string;
  /** DMARC aggregate report URI(s), e.g. "mailto:dmarc@platform.example.com". */
  dmarcRua: string;
  dkim?: { selector: string; publicKeyBase64: string };
  ttl?: number;
};

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// SPF includes and DKIM selectors may hold service labels such as "_spf".
const SERVICE_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

function isHostname(name: string, label: RegExp): boolean {
  const labels = name.replace(/\.$/, "").split(".");
  return name.length <= 254 && labels.every((l) => label.test(l));
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`DNS records: ${message}`);
}

function validate(input: DesiredRecordsInput): void {
  const { domain, ingressIPv4, ingressIPv6, mxHost, spfInclude, dmarcRua, dkim, ttl } = input;
  check(isHostname(domain, LDH_LABEL) && domain.includes(".") && !domain.endsWith("."), `"${domain}" is not a normalised domain name (lower case, no trailing dot).`);
  check(isIPv4(ingressIPv4), `ingress address "${ingressIPv4}" is not an IPv4 address.`);
  check(ingressIPv6 === undefined || isIPv6(ingressIPv6), `ingress address "${ingressIPv6 ?? ""}" is not an IPv6 address.`);
  check(isHostname(mxHost, LDH_LABEL) && mxHost.includes("."), `MX host "${mxHost}" is not a host name, like mail.example.com.`);
  check(isHostname(spfInclude, SERVICE_LABEL) && spfInclude.includes("."), `SPF include "${spfInclude}" is not a domain name, like _spf.example.com.`);
  // Each rua is a URI; `;` or whitespace would break out of the DMARC tag.
  check(dmarcRua.split(",").every((uri) => /^mailto:[^\s;,@"]+@[^\s;,@"]+$/.test(uri)), `DMARC report address "${dmarcRua}" must be a mailto: URI, like mailto:dmarc@example.com.`);
  check(ttl === undefined || (Number.isInteger(ttl) && ttl >= 1 && ttl <= 2 ** 31 - 1), `TTL ${String(ttl)} is not a positive whole number of seconds.`);
  if (dkim) {
    check(isHostname(dkim.selector, SERVICE_LABEL) && !dkim.selector.endsWith("."), `DKIM selector "${dkim.selector}" is not a valid selector.`);
    check(/^[A-Za-z0-9+/]+={0,2}$/.test(dkim.publicKeyBase64), "the DKIM public key is not base64.");
  }
}

export const absolute = (name: string) => (name.endsWith(".") ? name : `${name}.`).toLowerCase();

/** IPv6 in its RFC 5952 form, as PowerDNS stores it, so equal addresses compare equal. */
export const canonicalIPv6 = (ip: string) => new URL(`http://[${ip}]/`).hostname.slice(1, -1);

export function managedRRSet(name: string, type: string, ttl: number, contents: string[]): PdnsRRSet {
  return {
    name: absolute(name),
    type,
    ttl,
    records: contents.map((content) => ({ content, disabled: false })),
    comments: [{ ...MANAGED_COMMENT }],
  };
}

/** Everything Berth publishes for a domain; throws on invalid platform settings. */
export function desiredRRSets(input: DesiredRecordsInput): PdnsRRSet[] {
  validate(input);
  const { domain, ttl = DEFAULT_TTL } = input;
  const apex = absolute(domain);
  const sets = [managedRRSet(apex, "A", ttl, [input.ingressIPv4])];
  if (input.ingressIPv6 !== undefined) sets.push(managedRRSet(apex, "AAAA", ttl, [canonicalIPv6(input.ingressIPv6)]));
  sets.push(
    managedRRSet(`www.${apex}`, "CNAME", ttl, [apex]),
    managedRRSet(apex, "MX", ttl, [`10 ${absolute(input.mxHost)}`]),
    managedRRSet(apex, "TXT", ttl, [toTxtContent(`v=spf1 mx a include:${input.spfInclude} -all`)]),
    managedRRSet(`_dmarc.${apex}`, "TXT", ttl, [toTxtContent(`v=DMARC1; p=quarantine; rua=${input.dmarcRua}`)]),
  );
  if (input.dkim) {
    const { selector, publicKeyBase64 } = input.dkim;
    sets.push(managedRRSet(`${selector}._domainkey.${apex}`, "TXT", ttl, [toTxtContent(dkimTxtRecord(publicKeyBase64))]));
  }
  return sets;
}

export function isManaged(rrset: PdnsRRSet): boolean {
  return (rrset.comments ?? []).some((c) => c.account === MANAGED_ACCOUNT);
}

/**
 * Record content in a form where equal data compares equal whichever way it was
 * written: TXT by its text (chunking and escapes aside), AAAA by address,
 * names case-insensitively.
 */
function canonicalContent(type: string, content: string): string {
  try {
    if (type === "TXT") return fromTxtContent(content);
    if (type === "AAAA") return canonicalIPv6(content);
  } catch {
    return content;
  }
  return content.toLowerCase();
}

/** Same name, type, TTL and records (order-insensitive); comments are not compared. */
export function rrsetsEqual(a: PdnsRRSet, b: PdnsRRSet): boolean {
  if (!sameKey(a, b) || a.ttl !== b.ttl || a.records.length !== b.records.length) return false;
  const canon = (r: PdnsRRSet) =>
    r.records.map((rec) => `${rec.disabled ? "-" : "+"}${canonicalContent(r.type, rec.content)}`).sort();
  const theirs = canon(b);
  return canon(a).every((v, i) => v === theirs[i]);
}

type RRSetKey = { name: string; type: string };
const sameKey = (a: RRSetKey, b: RRSetKey) => absolute(a.name) === absolute(b.name) && a.type.toUpperCase() === b.type.toUpperCase();
const sameName = (a: RRSetKey, b: RRSetKey) => absolute(a.name) === absolute(b.name);

/**
 * The PATCH that brings Berth's records back without touching the customer's:
 * - released (the customer took it over in Berth's DNS editor): skip;
 * - live and not managed: the customer's, skip;
 * - a CNAME and other data at the same name cannot coexist (PowerDNS would
 *   refuse the whole PATCH): if the customer's data holds the name, skip;
 * - live, managed and equal: nothing to write;
 * - otherwise (missing or drifted): REPLACE with the desired rrset.
 * Never DELETE: removing records is teardown's job (deleteAllManaged).
 */
export function planRRSetChanges(desired: PdnsRRSet[], live: PdnsRRSet[], released: RRSetKey[]): PdnsRRSetChange[] {
  const changes: PdnsRRSetChange[] = [];
  for (const want of desired) {
    if (released.some((r) => sameKey(r, want))) continue;
    const current = live.find((l) => sameKey(l, want));
    if (current && !isManaged(current)) continue;
    const cnameClash = live.some(
      (l) => sameName(l, want) && !sameKey(l, want) && !isManaged(l) && (l.type === "CNAME" || want.type === "CNAME"),
    );
    if (cnameClash) continue;
    if (current && rrsetsEqual(current, want)) continue;
    changes.push({ ...want, changetype: "REPLACE" });
  }
  return changes;
}

/** Teardown: delete every rrset Berth manages, but never the zone's SOA or NS. */
export function deleteAllManaged(live: PdnsRRSet[]): PdnsRRSetChange[] {
  return live
    .filter((r) => isManaged(r) && r.type !== "SOA" && r.type !== "NS")
    .map((r) => ({ name: r.name, type: r.type, changetype: "DELETE" as const }));
}
