import { describe, expect, it } from "vitest";
import { fromTxtContent } from "@/server/integrations/dkim/keys";
import { platformRRSets } from "./records";

const base = {
  zone: "berth.test",
  nameservers: ["ns1.berth.test.", "ns2.berth.test."],
  nameserverIPv4: ["192.0.2.1", "192.0.2.2"],
  panelDomain: "panel.berth.test",
  ingressIPv4: "192.0.2.10",
  mxHost: "mail.berth.test.",
  mailIPv4: "192.0.2.25",
  spfInclude: "_spf.berth.test",
  dmarcRua: "mailto:dmarc@berth.test",
};

const show = (sets: ReturnType<typeof platformRRSets>) => sets.map((s) => `${s.name} ${s.type} ${s.records.map((r) => (s.type === "TXT" ? fromTxtContent(r.content) : r.content)).join(" | ")}`);

describe("the platform zone's records", () => {
  it("give every name customers' NS, MX, SPF and DMARC point at, each marked as Berth's", () => {
    const sets = platformRRSets(base);
    expect(show(sets)).toEqual([
      "ns1.berth.test. A 192.0.2.1",
      "ns2.berth.test. A 192.0.2.2",
      "panel.berth.test. A 192.0.2.10",
      "mail.berth.test. A 192.0.2.25",
      "berth.test. MX 10 mail.berth.test.",
      "_spf.berth.test. TXT v=spf1 ip4:192.0.2.25 -all",
      "_dmarc.berth.test. TXT v=DMARC1; p=quarantine; rua=mailto:dmarc@berth.test",
      "*._report._dmarc.berth.test. TXT v=DMARC1",
    ]);
    expect(sets.every((s) => s.comments?.[0]?.account === "berth")).toBe(true);
  });

  it("reuses the last nameserver address, skips names outside the zone, and refuses an address that is not one", () => {
    const sets = platformRRSets({ ...base, nameserverIPv4: ["192.0.2.1"], mxHost: "mx.elsewhere.net.", dmarcRua: "mailto:reports@dmarc.elsewhere.net" });
    expect(show(sets).filter((l) => l.includes(" A "))).toEqual(["ns1.berth.test. A 192.0.2.1", "ns2.berth.test. A 192.0.2.1", "panel.berth.test. A 192.0.2.10"]);
    expect(show(sets).some((l) => l.startsWith("*._report"))).toBe(false);
    expect(() => platformRRSets({ ...base, mailIPv4: "not-an-ip" })).toThrow(/mail host address "not-an-ip" is not an IPv4 address/);
  });
});
