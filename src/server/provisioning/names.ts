import { createHash } from "node:crypto";

/**
 * Deterministic names for everything Berth creates for a domain (ARCHITECTURE
 * "Names"): `<prefix>-<readable>-<hash8>`. The readable part is for people and
 * may be truncated or ambiguous (`foo-bar.com` and `foo.bar.com` both read
 * `foo-bar-com`); the hash of the full name keeps names distinct, and the full
 * name itself goes into an annotation. Same input, same name, on every run —
 * reconciliation finds its objects again by name.
 */

/** Kubernetes' limit for DNS-1035 labels and for label values. */
const MAX = 63;
const HASH_LENGTH = 8;
const PREFIX = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

export const DOMAIN_LABEL = "berth.io/domain";
export const DOMAIN_NAME_ANNOTATION = "berth.io/domain-name";

/**
 * Domains reach here already normalised (services/domains/domain-name.ts); this
 * only makes `Example.COM.` and `example.com` the same name instead of two.
 */
function normalise(domain: string): string {
  const name = domain.trim().toLowerCase().replace(/\.$/, "");
  if (!name) throw new Error("Cannot derive an object name from an empty domain name.");
  return name;
}

function hash8(name: string): string {
  return createHash("sha256").update(name).digest("hex").slice(0, HASH_LENGTH);
}

/** The domain as `[a-z0-9-]`, cut to `room` characters, never ending in `-`. */
function readable(name: string, room: number): string {
  return name
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, Math.max(0, room))
    .replace(/-+$/, "");
}

/** `<readable>-<hash8>`, or just the hash when nothing readable fits. */
function withHash(name: string, room: number): string {
  const text = readable(name, room - HASH_LENGTH - 1);
  return text ? `${text}-${hash8(name)}` : hash8(name);
}

/**
 * A DNS-1035 label (≤ 63, starts with a letter, ends alphanumeric) for an
 * object derived from `domain`, e.g. `objectName("web", "example.com")` →
 * `web-example-com-<hash8>`.
 */
export function objectName(prefix: string, domain: string): string {
  // The prefix guarantees the leading letter; leave room for at least a hash.
  if (!PREFIX.test(prefix) || prefix.length > MAX - HASH_LENGTH - 1) {
    throw new Error(`"${prefix}" is not a usable name prefix: use a short lower-case word starting with a letter, like "web".`);
  }
  return `${prefix}-${withHash(normalise(domain), MAX - prefix.length - 1)}`;
}

/** The value of the `berth.io/domain` label: ≤ 63, alphanumeric at both ends. */
export function labelValue(domain: string): string {
  return withHash(normalise(domain), MAX);
}

/** Label values cannot hold a full domain name (253 characters); annotations can. */
export function domainAnnotations(domain: string): Record<string, string> {
  return { [DOMAIN_NAME_ANNOTATION]: normalise(domain) };
}

/** A customer's namespace, from its immutable short customer number. */
export function namespaceName(customerNumber: number): string {
  if (!Number.isSafeInteger(customerNumber) || customerNumber < 1) {
    throw new Error(`Customer number ${String(customerNumber)} is not a positive whole number.`);
  }
  return `cust-${customerNumber}`;
}
