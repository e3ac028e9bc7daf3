import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_DKIM_SELECTOR,
  type DkimKey,
  dkimTxtRecord,
  fromTxtContent,
  generateDkimKey,
  keyMatches,
  publicKeyFromPrivatePem,
  toTxtContent,
} from "./keys";

/** The character-strings of TXT content, still escaped, without their quotes. */
const strings = (content: string) => [...content.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? "");
/** Wire length of one escaped character-string. */
const wireBytes = (s: string) => Buffer.byteLength(s.replace(/\\(\d{3}|.)/g, "x"), "utf8");

let key: DkimKey;
let other: DkimKey;

beforeAll(async () => {
  [key, other] = await Promise.all([generateDkimKey(), generateDkimKey()]);
});

describe("generateDkimKey", () => {
  it("takes Node's native path: well under 2 s per key, even several at once", async () => {
    const started = performance.now();
    await Promise.all([generateDkimKey(), generateDkimKey(), generateDkimKey()]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("refuses to fall back to node-forge's pure-JS generator (seconds, blocking)", async () => {
    const options = (forge as unknown as { options: { usePureJavaScript: boolean } }).options;
    options.usePureJavaScript = true;
    try {
      await expect(generateDkimKey()).rejects.toThrow(/native/);
    } finally {
      options.usePureJavaScript = false;
    }
  });

  it("makes an RSA-2048 key with e = 65537, its public half as base64 DER SPKI", () => {
    const pub = createPublicKey({ key: Buffer.from(key.publicKeyBase64, "base64"), format: "der", type: "spki" });
    expect(pub.asymmetricKeyType).toBe("rsa");
    expect(pub.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    // forge reads the same bytes back to the same modulus.
    const asn1 = forge.asn1.fromDer(forge.util.decode64(key.publicKeyBase64));
    const forgePub = forge.pki.publicKeyFromAsn1(asn1) as forge.pki.rsa.PublicKey;
    expect(forgePub.n.equals(forge.pki.privateKeyFromPem(key.privateKeyPem).n)).toBe(true);
    expect(key.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(key.privateKeyPem).not.toContain("\r");
    expect(key.publicKeyBase64).not.toBe(other.publicKeyBase64);
  });

  it("signs with the private key; the published TXT's key verifies it", () => {
    const message = Buffer.from("From: a@example.org\r\nSubject: hi\r\n");
    const signature = sign("sha256", message, createPrivateKey(key.privateKeyPem));
    const published = fromTxtContent(toTxtContent(dkimTxtRecord(key.publicKeyBase64)));
    const p = /p=([A-Za-z0-9+/=]+)$/.exec(published)?.[1] ?? "";
    const pub = createPublicKey({ key: Buffer.from(p, "base64"), format: "der", type: "spki" });
    expect(verify("sha256", message, pub, signature)).toBe(true);
    expect(verify("sha256", Buffer.from("tampered"), pub, signature)).toBe(false);
  });
});

describe("publicKeyFromPrivatePem", () => {
  it("derives the same p= from a stored key, PKCS#1 or PKCS#8", () => {
    expect(publicKeyFromPrivatePem(key.privateKeyPem)).toBe(key.publicKeyBase64);
    const pkcs8 = createPrivateKey(key.privateKeyPem).export({ type: "pkcs8", format: "pem" }).toString();
    expect(pkcs8).toMatch(/BEGIN PRIVATE KEY/);
    expect(publicKeyFromPrivatePem(pkcs8)).toBe(key.publicKeyBase64);
  });
});

describe("dkim TXT", () => {
  it("is v=DKIM1; k=rsa; p=… and the default selector is 'default'", () => {
    expect(dkimTxtRecord("QUJD")).toBe("v=DKIM1; k=rsa; p=QUJD");
    expect(DEFAULT_DKIM_SELECTOR).toBe("default");
  });

  it("keyMatches: its own record yes, another key's no, junk no", () => {
    const own = toTxtContent(dkimTxtRecord(key.publicKeyBase64));
    expect(keyMatches(key.privateKeyPem, own)).toBe(true);
    expect(keyMatches(other.privateKeyPem, own)).toBe(false);
    // Whitespace inside p= is allowed by RFC 6376.
    const spaced = toTxtContent(`v=DKIM1; k=rsa; p=${key.publicKeyBase64.replace(/(.{64})/g, "$1 ")}`);
    expect(keyMatches(key.privateKeyPem, spaced)).toBe(true);
    expect(keyMatches(key.privateKeyPem, toTxtContent("v=DKIM1; k=rsa; p="))).toBe(false); // revoked
    expect(keyMatches(key.privateKeyPem, toTxtContent(`v=DKIM1; k=ed25519; p=${key.publicKeyBase64}`))).toBe(false);
    expect(keyMatches(key.privateKeyPem, toTxtContent("v=spf1 -all"))).toBe(false);
    expect(keyMatches(key.privateKeyPem, "not quoted")).toBe(false);
  });
});

describe("toTxtContent / fromTxtContent", () => {
  it("chunks a DKIM record into ≤ 255-byte strings that re-join exactly", () => {
    const text = dkimTxtRecord(key.publicKeyBase64);
    expect(text.length).toBeGreaterThan(255);
    const content = toTxtContent(text);
    const parts = strings(content);
    expect(parts.length).toBe(2);
    for (const part of parts) expect(wireBytes(part)).toBeLessThanOrEqual(255);
    expect(parts.join("")).toBe(text);
    expect(content).toBe(parts.map((s) => `"${s}"`).join(" "));
    expect(fromTxtContent(content)).toBe(text);
  });

  it("keeps short text in one string", () => {
    expect(toTxtContent("v=spf1 mx a -all")).toBe('"v=spf1 mx a -all"');
    expect(toTxtContent("")).toBe('""');
    expect(fromTxtContent('""')).toBe("");
    expect(toTxtContent("x".repeat(255))).toBe(`"${"x".repeat(255)}"`);
    expect(strings(toTxtContent("x".repeat(256)))).toEqual(["x".repeat(255), "x"]);
  });

  it("escapes quotes, backslashes and control bytes (RFC 1035)", () => {
    expect(toTxtContent('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(toTxtContent("a\nb")).toBe('"a\\010b"');
    for (const text of ['say "hi" \\ bye', "a\nb\t\u007f", "\\\\\"\""]) expect(fromTxtContent(toTxtContent(text))).toBe(text);
  });

  it("counts bytes, not escapes: 255 quotes fit one string", () => {
    const parts = strings(toTxtContent('"'.repeat(300)));
    expect(parts.map(wireBytes)).toEqual([255, 45]);
    expect(fromTxtContent(toTxtContent('"'.repeat(300)))).toBe('"'.repeat(300));
  });

  it("never splits a UTF-8 character between strings", () => {
    const text = `${"a".repeat(254)}ü${"€".repeat(100)}`;
    const parts = strings(toTxtContent(text));
    for (const part of parts) {
      expect(wireBytes(part)).toBeLessThanOrEqual(255);
      expect(part).not.toContain("\uFFFD");
    }
    expect(parts[0]).toBe("a".repeat(254));
    expect(fromTxtContent(toTxtContent(text))).toBe(text);
  });

  it("reads what PowerDNS may send back: \\DDD byte escapes, several spaces", () => {
    expect(fromTxtContent('"a\\059b"   "c\\195\\188"')).toBe("a;bcü");
    expect(fromTxtContent('"v=DKIM1; k=rsa; " "p=AB"')).toBe("v=DKIM1; k=rsa; p=AB");
  });

  it("rejects content that is not quoted strings", () => {
    expect(() => fromTxtContent("v=spf1 -all")).toThrow(/quoted/);
    expect(() => fromTxtContent('"open')).toThrow(/unterminated/);
    expect(() => fromTxtContent('"a\\')).toThrow();
    expect(() => fromTxtContent('"\\999"')).toThrow(/escape/);
  });
});
