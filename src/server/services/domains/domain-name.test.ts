import { describe, expect, it } from "vitest";
import { normalizeDomainName } from "./domain-name";

const ok = (input: string, opts?: Parameters<typeof normalizeDomainName>[1]) => {
  const r = normalizeDomainName(input, opts);
  if (!r.ok) throw new Error(`expected ${input} to be accepted, got: ${r.reason}`);
  return r.value;
};
const refused = (input: string, opts?: Parameters<typeof normalizeDomainName>[1]) => {
  const r = normalizeDomainName(input, opts);
  if (r.ok) throw new Error(`expected ${input} to be refused, got ${r.value.name}`);
  return r.reason;
};

describe("domain names: normalised, then validated", () => {
  it("lower-cases, drops one trailing dot and trims", () => {
    expect(ok("  Example-Shop.COM. ")).toEqual({ name: "example-shop.com", displayName: "example-shop.com" });
  });

  it("turns Unicode into the A-label and keeps Unicode for display", () => {
    expect(ok("Bücher.de")).toEqual({ name: "xn--bcher-kva.de", displayName: "bücher.de" });
    expect(ok("xn--bcher-kva.de")).toEqual({ name: "xn--bcher-kva.de", displayName: "bücher.de" });
    expect(ok("ПРИМЕР.рф").name).toBe("xn--e1afmkfd.xn--p1ai");
  });

  it("accepts names under multi-label and private public suffixes", () => {
    expect(ok("shop.co.uk").name).toBe("shop.co.uk");
    expect(ok("blog.alice.github.io").name).toBe("blog.alice.github.io");
    expect(ok("a.b.c.example-shop.com").name).toBe("a.b.c.example-shop.com");
  });

  it("refuses malformed names with a reason", () => {
    expect(refused("")).toMatch(/Enter a domain name/);
    expect(refused("https://example-shop.com/")).toMatch(/without spaces, http/);
    expect(refused("exa mple.com")).toMatch(/without spaces/);
    expect(refused("localhost")).toMatch(/full domain name|local host/);
    expect(refused("shop")).toMatch(/full domain name/);
    expect(refused("-shop.com")).toMatch(/not starting or ending with a hyphen/);
    expect(refused("shop-.com")).toMatch(/hyphen/);
    expect(refused("sh_op.com")).toMatch(/letters, digits and hyphens/);
    expect(refused("ab--cd.com")).toMatch(/reserved/);
    expect(refused("a..b.com")).toMatch(/empty parts/);
    expect(refused("192.168.1.1")).toMatch(/IP address/);
    expect(refused("x'; DROP TABLE domains; --.com")).toBeTruthy();
  });

  it("refuses overlong labels and names", () => {
    expect(refused(`${"a".repeat(64)}.com`)).toMatch(/63 characters/);
    const long = Array.from({ length: 5 }, () => "a".repeat(60)).join(".") + ".com";
    expect(refused(long)).toMatch(/253 characters/);
    expect(ok(`${"a".repeat(63)}.com`).name).toHaveLength(67);
  });

  it("refuses public suffixes themselves and endings that do not exist", () => {
    expect(refused("co.uk")).toMatch(/public suffix/);
    expect(refused("github.io")).toMatch(/public suffix/);
    expect(refused("com.")).toMatch(/full domain name/);
    expect(refused("shop.notarealtld")).toMatch(/not a domain ending that exists/);
  });

  it("refuses RFC 2606 / 6761 special-use names", () => {
    expect(refused("shop.test")).toMatch(/RFC 2606/);
    expect(refused("example.com")).toMatch(/RFC 2606/);
    expect(refused("www.example.org")).toMatch(/RFC 2606/);
    expect(refused("foo.localhost")).toMatch(/RFC 6761/);
    expect(refused("printer.local")).toMatch(/RFC 6762/);
    expect(refused("x.invalid")).toMatch(/invalid/);
    expect(refused("1.0.0.127.in-addr.arpa")).toMatch(/RFC 3172/);
  });

  it("refuses the platform's own domains and names under them", () => {
    const opts = { platformDomains: ["hostco.net", "panel.hostco.io."] };
    expect(refused("hostco.net", opts)).toMatch(/belongs to the platform/);
    expect(refused("evil.hostco.net", opts)).toMatch(/belongs to the platform/);
    expect(refused("panel.hostco.io", opts)).toMatch(/belongs to the platform/);
    expect(ok("hostco.io", opts).name).toBe("hostco.io");
    expect(ok("nothostco.net", opts).name).toBe("nothostco.net");
  });
});
