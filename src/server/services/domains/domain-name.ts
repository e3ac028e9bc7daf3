import { domainToASCII, domainToUnicode } from "node:url";
import { parse } from "tldts";

/**
 * Domain names as Berth stores them: UTS-46 (the WHATWG URL host parser, as
 * browsers do) → A-label, lower case, no trailing dot; the Unicode form kept
 * for display. Every refusal carries a reason a person can act on.
 */
export type DomainName = { name: string; displayName: string };
export type DomainNameResult = { ok: true; value: DomainName } | { ok: false; reason: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** RFC 2606 / RFC 6761 (and neighbours) special-use names: never a customer's. */
const SPECIAL_USE: Array<[suffix: string, why: string]> = [
  ["test", "reserved for testing (RFC 2606)"],
  ["example", "reserved for documentation (RFC 2606)"],
  ["invalid", "reserved as always invalid (RFC 2606)"],
  ["localhost", "reserved for the local host (RFC 6761)"],
  ["example.com", "reserved for documentation (RFC 2606)"],
  ["example.net", "reserved for documentation (RFC 2606)"],
  ["example.org", "reserved for documentation (RFC 2606)"],
  ["local", "reserved for multicast DNS (RFC 6762)"],
  ["onion", "reserved for Tor onion services (RFC 7686)"],
  ["arpa", "reserved for infrastructure (RFC 3172)"],
  ["internal", "reserved for private use"],
  ["alt", "reserved for non-DNS names (RFC 9476)"],
];

const within = (name: string, suffix: string) => name === suffix || name.endsWith(`.${suffix}`);

export function normalizeDomainName(input: string, opts: { platformDomains?: string[] } = {}): DomainNameResult {
  const raw = input.trim();
  if (!raw) return { ok: false, reason: "Enter a domain name, like example.com." };
  if (raw.length > 300) return { ok: false, reason: "That is too long to be a domain name (253 characters at most)." };
  if (/[\s/\\:@?#]/.test(raw)) {
    return { ok: false, reason: "Enter just the domain name, like example.com, without spaces, http:// or a path." };
  }
  const noDot = raw.replace(/\.$/, "");
  if (noDot.startsWith(".") || noDot.includes("..")) return { ok: false, reason: "A domain name cannot have empty parts (two dots in a row)." };
  const ascii = domainToASCII(noDot.toLowerCase());
  if (!ascii) return { ok: false, reason: "That is not a valid domain name." };
  if (ascii.length > 253) return { ok: false, reason: "That domain name is too long (253 characters at most)." };
  const labels = ascii.split(".");
  if (labels.length < 2) return { ok: false, reason: "Enter a full domain name with its ending, like example.com." };
  for (const label of labels) {
    if (label.length > 63) return { ok: false, reason: `"${label.slice(0, 20)}…" is longer than 63 characters; each part of a domain name must be shorter.` };
    if (!LABEL.test(label)) {
      return { ok: false, reason: `"${label}" is not allowed: use letters, digits and hyphens, not starting or ending with a hyphen.` };
    }
    if (label.slice(2, 4) === "--" && !label.startsWith("xn--")) {
      return { ok: false, reason: `"${label}" is not allowed: "--" in the third and fourth place is reserved.` };
    }
  }
  const tld = labels[labels.length - 1] ?? "";
  if (/^\d+$/.test(tld)) return { ok: false, reason: "That looks like an IP address; enter a domain name." };

  for (const [suffix, why] of SPECIAL_USE) {
    if (within(ascii, suffix)) return { ok: false, reason: `${ascii} cannot be hosted: .${suffix} is ${why}.` };
  }
  for (const own of opts.platformDomains ?? []) {
    const p = own.toLowerCase().replace(/\.$/, "");
    if (p && within(ascii, p)) return { ok: false, reason: `${ascii} belongs to the platform itself.` };
  }

  const info = parse(ascii, { allowPrivateDomains: true });
  if (!info.isIcann && !info.isPrivate) return { ok: false, reason: `.${tld} is not a domain ending that exists.` };
  if (!info.domain || info.publicSuffix === ascii) {
    return { ok: false, reason: `${ascii} is a public suffix (like .com or .co.uk): register a name under it instead.` };
  }
  return { ok: true, value: { name: ascii, displayName: domainToUnicode(ascii) || ascii } };
}
