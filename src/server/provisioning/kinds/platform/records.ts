import { isIPv4 } from "node:net";
import { toTxtContent } from "@/server/integrations/dkim/keys";
import { absolute, canonicalIPv6, managedRRSet } from "../../dns-records";
import type { PdnsRRSet } from "@/server/integrations/powerdns/types";

export type PlatformRecordsInput = {
  /** The platform's zone, e.g. "berth.test". */
  zone: string;
  nameservers: string[];
  nameserverIPv4: string[];
  panelDomain: string;
  ingressIPv4: string;
  ingressIPv6?: string;
  mxHost: string;
  mailIPv4: string;
  spfInclude: string;
  dmarcRua: string;
  ttl?: number;
};

const inZone = (name: string, zone: string) => absolute(name) === absolute(zone) || absolute(name).endsWith(`.${absolute(zone)}`);

/**
 * What every customer's records point at, published in the platform's own
 * zone: the nameservers' addresses (glue for NS), the panel, the mail host
 * (and MX of the zone itself, so report mail is deliverable), the SPF include
 * customers' SPF names, DMARC of the zone, and the authorisation that lets
 * every customer domain send its DMARC reports here (RFC 7489 §7.1:
 * *._report._dmarc). Names outside the zone are someone else's: skipped.
 */
export function platformRRSets(input: PlatformRecordsInput): PdnsRRSet[] {
  const { zone, ttl = 300 } = input;
  const ipv4 = (v: string, what: string) => {
    if (!isIPv4(v)) throw new Error(`platform DNS: ${what} "${v}" is not an IPv4 address`);
    return v;
  };
  if (!input.nameserverIPv4.length) throw new Error("platform DNS: PLATFORM_NAMESERVER_IPV4 names no address");
  const sets: PdnsRRSet[] = [];
  const add = (name: string, type: string, contents: string[]) => {
    if (!inZone(name, zone)) return;
    const existing = sets.find((s) => s.name === absolute(name) && s.type === type);
    if (existing) existing.records.push(...contents.filter((c) => !existing.records.some((r) => r.content === c)).map((content) => ({ content, disabled: false })));
    else sets.push(managedRRSet(name, type, ttl, contents));
  };
  input.nameservers.forEach((ns, i) => {
    const addr = input.nameserverIPv4[Math.min(i, input.nameserverIPv4.length - 1)] ?? "";
    add(ns, "A", [ipv4(addr, "nameserver address")]);
  });
  add(input.panelDomain, "A", [ipv4(input.ingressIPv4, "ingress address")]);
  if (input.ingressIPv6) add(input.panelDomain, "AAAA", [canonicalIPv6(input.ingressIPv6)]);
  add(input.mxHost, "A", [ipv4(input.mailIPv4, "mail host address")]);
  add(zone, "MX", [`10 ${absolute(input.mxHost)}`]);
  add(input.spfInclude, "TXT", [toTxtContent(`v=spf1 ip4:${input.mailIPv4} -all`)]);
  add(`_dmarc.${zone}`, "TXT", [toTxtContent(`v=DMARC1; p=quarantine; rua=${input.dmarcRua}`)]);
  for (const uri of input.dmarcRua.split(",")) {
    const host = uri.replace(/^mailto:[^@]+@/, "").replace(/!.*$/, "");
    add(`*._report._dmarc.${host}`, "TXT", [toTxtContent("v=DMARC1")]);
  }
  return sets;
}
