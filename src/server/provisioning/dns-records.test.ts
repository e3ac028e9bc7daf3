import { describe, expect, it } from "vitest";
import { dkimTxtRecord, fromTxtContent } from "@/server/integrations/dkim/keys";
import type { PdnsRRSet } from "@/server/integrations/powerdns/types";
import {
  type DesiredRecordsInput,
  deleteAllManaged,
  desiredRRSets,
  isManaged,
  MANAGED_ACCOUNT,
  planRRSetChanges,
  rrsetsEqual,
} from "./dns-records";

// A 2048-bit key's SPKI is 294 bytes → 392 base64 characters.
const P = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".padEnd(392, "A");

const input: DesiredRecordsInput = {
  domain: "shop.de",
  ingressIPv4: "203.0.113.10",
  mxHost: "mail.platform.example.com",
  spfInclude: "_spf.platform.example.com",
  dmarcRua: "mailto:dmarc@platform.example.com",
};

const find = (sets: PdnsRRSet[], name: string, type: string) => sets.find((s) => s.name === name && s.type === type);
const keys = (sets: Array<{ name: string; type: string }>) => sets.map((s) => `${s.name} ${s.type}`);
/** What a customer's own rrset looks like: no Berth comment. */
const customers = (name: string, type: string, content: string): PdnsRRSet => ({
  name,
  type,
  ttl: 3600,
  records: [{ content, disabled: false }],
  comments: [],
});
/** What PowerDNS returns for rrsets Berth wrote: comments gain modified_at. */
const asLive = (sets: PdnsRRSet[]): PdnsRRSet[] =>
  sets.map((s) => ({ ...s, comments: (s.comments ?? []).map((c) => ({ ...c, modified_at: 1_700_000_000 })) }));

describe("desiredRRSets", () => {
  it("publishes A, www CNAME, MX, SPF and DMARC, absolute names, TTL 300, marked managed", () => {
    const sets = desiredRRSets(input);
    expect(keys(sets)).toEqual(["shop.de. A", "www.shop.de. CNAME", "shop.de. MX", "shop.de. TXT", "_dmarc.shop.de. TXT"]);
    expect(find(sets, "shop.de.", "A")?.records).toEqual([{ content: "203.0.113.10", disabled: false }]);
    expect(find(sets, "www.shop.de.", "CNAME")?.records[0]?.content).toBe("shop.de.");
    expect(find(sets, "shop.de.", "MX")?.records[0]?.content).toBe("10 mail.platform.example.com.");
    expect(find(sets, "shop.de.", "TXT")?.records[0]?.content).toBe('"v=spf1 mx a include:_spf.platform.example.com -all"');
    expect(find(sets, "_dmarc.shop.de.", "TXT")?.records[0]?.content).toBe(
      '"v=DMARC1; p=quarantine; rua=mailto:dmarc@platform.example.com"',
    );
    for (const s of sets) {
      expect(s.ttl).toBe(300);
      expect(s.comments).toEqual([{ content: "managed by berth", account: MANAGED_ACCOUNT }]);
      expect(isManaged(s)).toBe(true);
    }
  });

  it("adds AAAA only when an IPv6 ingress is given (in canonical form)", () => {
    expect(desiredRRSets(input).some((s) => s.type === "AAAA")).toBe(false);
    const sets = desiredRRSets({ ...input, ingressIPv6: "2001:DB8:0:0::10" });
    expect(find(sets, "shop.de.", "AAAA")?.records).toEqual([{ content: "2001:db8::10", disabled: false }]);
  });

  it("adds the DKIM TXT at <selector>._domainkey, in ≤ 255-byte strings", () => {
    const sets = desiredRRSets({ ...input, dkim: { selector: "default", publicKeyBase64: P }, ttl: 600 });
    const dkim = find(sets, "default._domainkey.shop.de.", "TXT");
    const content = dkim?.records[0]?.content ?? "";
    const strings = [...content.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(strings.length).toBe(2);
    for (const s of strings) expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
    expect(fromTxtContent(content)).toBe(dkimTxtRecord(P));
    expect(dkim?.ttl).toBe(600);
  });

  it("refuses invalid platform settings with a clear message", () => {
    expect(() => desiredRRSets({ ...input, ingressIPv4: "203.0.113.300" })).toThrow(/not an IPv4 address/);
    expect(() => desiredRRSets({ ...input, ingressIPv4: "2001:db8::1" })).toThrow(/not an IPv4 address/);
    expect(() => desiredRRSets({ ...input, ingressIPv6: "203.0.113.10" })).toThrow(/not an IPv6 address/);
    expect(() => desiredRRSets({ ...input, mxHost: "mail platform" })).toThrow(/MX host/);
    expect(() => desiredRRSets({ ...input, mxHost: "-mail.example.com" })).toThrow(/MX host/);
    expect(() => desiredRRSets({ ...input, mxHost: "localhost" })).toThrow(/MX host/);
    expect(() => desiredRRSets({ ...input, spfInclude: "a b.com" })).toThrow(/SPF include/);
    expect(() => desiredRRSets({ ...input, dmarcRua: "dmarc@platform.example.com" })).toThrow(/mailto:/);
    expect(() => desiredRRSets({ ...input, dmarcRua: "mailto:a@b.com; p=none" })).toThrow(/mailto:/);
    expect(() => desiredRRSets({ ...input, domain: "Shop.DE." })).toThrow(/normalised/);
    expect(() => desiredRRSets({ ...input, ttl: 0 })).toThrow(/TTL/);
    expect(() => desiredRRSets({ ...input, dkim: { selector: "bad selector", publicKeyBase64: P } })).toThrow(/selector/);
    expect(() => desiredRRSets({ ...input, dkim: { selector: "default", publicKeyBase64: 'x"y' } })).toThrow(/base64/);
  });

  it("accepts an absolute MX host and several rua URIs", () => {
    const sets = desiredRRSets({ ...input, mxHost: "mx.example.net.", dmarcRua: "mailto:a@x.org,mailto:b@y.org!10m" });
    expect(find(sets, "shop.de.", "MX")?.records[0]?.content).toBe("10 mx.example.net.");
  });
});

describe("rrsetsEqual", () => {
  const a: PdnsRRSet = {
    name: "shop.de.",
    type: "A",
    ttl: 300,
    records: [
      { content: "192.0.2.1", disabled: false },
      { content: "192.0.2.2", disabled: false },
    ],
  };

  it("ignores record order and comments (modified_at included)", () => {
    const b = { ...a, records: [...a.records].reverse(), comments: [{ content: "x", account: "y", modified_at: 5 }] };
    expect(rrsetsEqual(a, b)).toBe(true);
  });

  it("sees different TTL, contents, disabled flags, names and types", () => {
    expect(rrsetsEqual(a, { ...a, ttl: 60 })).toBe(false);
    expect(rrsetsEqual(a, { ...a, records: a.records.slice(1) })).toBe(false);
    expect(rrsetsEqual(a, { ...a, records: [a.records[0] ?? { content: "", disabled: false }, { content: "192.0.2.3", disabled: false }] })).toBe(false);
    expect(rrsetsEqual(a, { ...a, records: a.records.map((r) => ({ ...r, disabled: true })) })).toBe(false);
    expect(rrsetsEqual(a, { ...a, name: "www.shop.de." })).toBe(false);
    expect(rrsetsEqual(a, { ...a, type: "AAAA" })).toBe(false);
  });

  it("compares TXT by text and AAAA by address, as PowerDNS may re-format them", () => {
    const txt: PdnsRRSet = { name: "x.de.", type: "TXT", ttl: 300, records: [{ content: '"ab" "c"', disabled: false }] };
    expect(rrsetsEqual(txt, { ...txt, records: [{ content: '"abc"', disabled: false }] })).toBe(true);
    expect(rrsetsEqual(txt, { ...txt, records: [{ content: '"abd"', disabled: false }] })).toBe(false);
    const aaaa: PdnsRRSet = { name: "x.de.", type: "AAAA", ttl: 300, records: [{ content: "2001:db8::1", disabled: false }] };
    expect(rrsetsEqual(aaaa, { ...aaaa, records: [{ content: "2001:0DB8:0:0:0:0:0:1", disabled: false }] })).toBe(true);
  });
});

describe("planRRSetChanges", () => {
  const desired = desiredRRSets({ ...input, dkim: { selector: "default", publicKeyBase64: P } });

  it("creates everything in an empty zone, with the managed comment", () => {
    const changes = planRRSetChanges(desired, [], []);
    expect(keys(changes)).toEqual(keys(desired));
    for (const c of changes) {
      expect(c.changetype).toBe("REPLACE");
      if (c.changetype === "REPLACE") expect(isManaged(c)).toBe(true);
    }
  });

  it("writes nothing when the zone already matches (modified_at on live comments)", () => {
    expect(planRRSetChanges(desired, asLive(desired), [])).toEqual([]);
  });

  it("recreates a managed rrset that went missing", () => {
    const live = asLive(desired).filter((s) => s.type !== "MX");
    expect(keys(planRRSetChanges(desired, live, []))).toEqual(["shop.de. MX"]);
  });

  it("replaces a managed rrset that drifted", () => {
    const live = asLive(desired).map((s) =>
      s.type === "A" ? { ...s, records: [{ content: "198.51.100.7", disabled: false }] } : s,
    );
    const changes = planRRSetChanges(desired, live, []);
    expect(changes).toEqual([{ ...find(desired, "shop.de.", "A"), changetype: "REPLACE" }]);
  });

  it("leaves the customer's rrset alone (same name and type, no Berth comment)", () => {
    const spf = customers("shop.de.", "TXT", '"v=spf1 include:_spf.google.com ~all"');
    const live = [...asLive(desired).filter((s) => !(s.name === "shop.de." && s.type === "TXT")), spf];
    expect(planRRSetChanges(desired, live, [])).toEqual([]);
    // A comment from someone else does not make it Berth's either.
    const commented = { ...spf, comments: [{ content: "mine", account: "alice" }] };
    expect(planRRSetChanges(desired, [commented], []).some((c) => c.name === "shop.de." && c.type === "TXT")).toBe(false);
  });

  it("does not bring back an rrset the customer released, even when it is missing", () => {
    const live = asLive(desired).filter((s) => s.name !== "_dmarc.shop.de.");
    const released = [{ name: "_dmarc.shop.de.", type: "TXT" }, { name: "SHOP.DE", type: "mx" }];
    const drifted = live.map((s) => (s.type === "MX" ? { ...s, ttl: 60 } : s));
    expect(planRRSetChanges(desired, drifted, released)).toEqual([]);
  });

  it("skips the www CNAME when the customer has other data at www (PowerDNS would refuse the PATCH)", () => {
    const live = [...asLive(desired).filter((s) => s.type !== "CNAME"), customers("www.shop.de.", "A", "192.0.2.50")];
    expect(planRRSetChanges(desired, live, [])).toEqual([]);
  });

  it("never emits DELETE", () => {
    const extra = asLive(desiredRRSets({ ...input, domain: "other.de" }));
    const changes = planRRSetChanges(desired, [...extra, ...asLive(desired).slice(2)], []);
    expect(changes.every((c) => c.changetype === "REPLACE")).toBe(true);
    expect(keys(changes)).toEqual(["shop.de. A", "www.shop.de. CNAME"]);
  });
});

describe("deleteAllManaged", () => {
  it("deletes Berth's rrsets, not the customer's, never SOA or NS", () => {
    const soa: PdnsRRSet = { ...customers("shop.de.", "SOA", "ns1.p.example. h.p.example. 1 10800 3600 604800 3600"), comments: [{ content: "managed by berth", account: "berth" }] };
    const ns: PdnsRRSet = { ...customers("shop.de.", "NS", "ns1.p.example."), comments: soa.comments };
    const live = [...asLive(desiredRRSets(input)), customers("blog.shop.de.", "CNAME", "ghs.example."), soa, ns];
    expect(deleteAllManaged(live)).toEqual(
      desiredRRSets(input).map((s) => ({ name: s.name, type: s.type, changetype: "DELETE" })),
    );
  });
});
