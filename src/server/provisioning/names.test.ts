import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { domainAnnotations, labelValue, namespaceName, objectName } from "./names";

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const sha8 = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 8);

/** A 253-character name: four 63-character labels minus one character. */
const LONGEST = [`a${"b".repeat(62)}`, "c".repeat(63), "d".repeat(63), `${"e".repeat(57)}.com`].join(".");

describe("objectName", () => {
  it("is <prefix>-<readable>-<sha256[0:8] of the full name>", () => {
    expect(objectName("web", "example.com")).toBe(`web-example-com-${sha8("example.com")}`);
  });

  it("keeps names apart that read the same", () => {
    const a = objectName("dkim", "foo-bar.com");
    const b = objectName("dkim", "foo.bar.com");
    expect(a).not.toBe(b);
    expect(a.replace(/-[0-9a-f]{8}$/, "")).toBe(b.replace(/-[0-9a-f]{8}$/, ""));
  });

  it("fits 63 characters for a 253-character domain, as a valid DNS-1035 label", () => {
    expect(LONGEST).toHaveLength(253);
    for (const prefix of ["web", "dkim", "db", "tls", "a"]) {
      const name = objectName(prefix, LONGEST);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(DNS1035);
      expect(name.endsWith(`-${sha8(LONGEST)}`)).toBe(true);
    }
  });

  it("never leaves a dangling hyphen where truncation falls on a separator", () => {
    // For each prefix, some n puts the cut exactly on the "-" that replaced a dot.
    for (let n = 40; n < 60; n++) {
      const domain = `${"x".repeat(n)}.${"y".repeat(20)}.com`;
      for (const prefix of ["web", "dkim", "db", "tls"]) {
        const name = objectName(prefix, domain);
        expect(name).toMatch(DNS1035);
        expect(name).not.toMatch(/--/);
        expect(name.length).toBeLessThanOrEqual(63);
      }
    }
  });

  it("handles IDN A-labels (their `--` collapses, the hash keeps them unique)", () => {
    const name = objectName("web", "xn--bcher-kva.de");
    expect(name).toBe(`web-xn-bcher-kva-de-${sha8("xn--bcher-kva.de")}`);
    expect(name).toMatch(DNS1035);
    expect(name).not.toBe(objectName("web", "xn-bcher-kva.de"));
  });

  it("is stable and insensitive to case and a trailing dot", () => {
    expect(objectName("web", "example.com")).toBe(objectName("web", "example.com"));
    expect(objectName("web", "Example.COM.")).toBe(objectName("web", "example.com"));
    expect(objectName("web", "example.com")).toBe("web-example-com-a379a6f6");
  });

  it("refuses prefixes that would break the label, and empty domains", () => {
    expect(() => objectName("1web", "example.com")).toThrow(/prefix/);
    expect(() => objectName("Web", "example.com")).toThrow(/prefix/);
    expect(() => objectName("web-", "example.com")).toThrow(/prefix/);
    expect(() => objectName("w".repeat(60), "example.com")).toThrow(/prefix/);
    expect(objectName("web", "-.")).toBe(`web-${sha8("-")}`);
    expect(() => objectName("web", "")).toThrow(/empty/);
  });
});

describe("labelValue", () => {
  it("is a valid label value of at most 63 characters", () => {
    for (const domain of ["example.com", "xn--bcher-kva.de", LONGEST]) {
      const value = labelValue(domain);
      expect(value.length).toBeLessThanOrEqual(63);
      expect(value).toMatch(LABEL_VALUE);
      expect(value.endsWith(sha8(domain))).toBe(true);
    }
    expect(labelValue("example.com")).toBe(`example-com-${sha8("example.com")}`);
    expect(labelValue("foo-bar.com")).not.toBe(labelValue("foo.bar.com"));
  });
});

describe("domainAnnotations and namespaceName", () => {
  it("keeps the full name in an annotation", () => {
    expect(domainAnnotations(LONGEST)).toEqual({ "berth.io/domain-name": LONGEST });
  });

  it("names a customer's namespace from its number", () => {
    expect(namespaceName(1001)).toBe("cust-1001");
    expect(() => namespaceName(0)).toThrow();
    expect(() => namespaceName(1.5)).toThrow();
    expect(() => namespaceName(Number.NaN)).toThrow();
  });
});
