import forge from "node-forge";
import { rsaKeyPair } from "@/server/threads/pool";

/**
 * DKIM keys (RFC 6376) and the TXT record that publishes them. The private key
 * is stored (a Kubernetes Secret in mail-system) and the TXT is always derived
 * from it again, so a key read back later publishes exactly the same record.
 */

export const DEFAULT_DKIM_SELECTOR = "default";

export type DkimKey = { privateKeyPem: string; publicKeyBase64: string };

// @types/node-forge lacks `forge.options` and `forge.util.isNodejs` (TOOLCHAIN.md).
type ForgeRuntime = { options?: { usePureJavaScript?: boolean }; util: { isNodejs?: unknown } };

/**
 * node-forge hands RSA generation to Node's crypto (~100–300 ms, off the event
 * loop) only under these conditions; otherwise it silently runs its pure-JS
 * generator, which takes seconds and blocks every other request meanwhile.
 * Refuse loudly instead of degrading quietly.
 */
function assertNativeKeygen(): void {
  const runtime = forge as unknown as ForgeRuntime;
  if (runtime.options?.usePureJavaScript === true || !runtime.util.isNodejs) {
    throw new Error("DKIM key generation needs node-forge's native Node.js path (forge.options.usePureJavaScript is set, or this is not Node.js).");
  }
}

/**
 * RSA-2048, e = 65537: what every DKIM verifier accepts (RFC 8301). node-forge
 * generates it with Node's native generator in a worker thread
 * (src/server/threads/pool.ts), so neither the generation nor forge's PEM
 * encoding ever holds the event loop.
 */
export async function generateDkimKey(): Promise<DkimKey> {
  assertNativeKeygen();
  try {
    return await rsaKeyPair(2048);
  } catch (e) {
    throw new Error(`generate DKIM key: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Base64 of the DER SubjectPublicKeyInfo: the form DKIM's `p=` tag wants. */
function spkiBase64(publicKey: forge.pki.PublicKey): string {
  return forge.util.encode64(forge.asn1.toDer(forge.pki.publicKeyToAsn1(publicKey)).getBytes());
}

/** The `p=` value for a stored private key (PKCS#1 or PKCS#8 PEM). */
export function publicKeyFromPrivatePem(privateKeyPem: string): string {
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  return spkiBase64(forge.pki.setRsaPublicKey(key.n, key.e));
}

export function dkimTxtRecord(publicKeyBase64: string): string {
  return `v=DKIM1; k=rsa; p=${publicKeyBase64}`;
}

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Text → TXT record content as PowerDNS takes it: RFC 1035 character-strings of
 * at most 255 bytes each, quoted, space-separated. `"` and `\` are escaped, and
 * control bytes written as `\DDD`. A UTF-8 character is never split across two
 * strings, so every chunk stays valid text.
 */
export function toTxtContent(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const chunks: string[] = [];
  let start = 0;
  do {
    let end = Math.min(start + 255, bytes.length);
    // Back off from UTF-8 continuation bytes (10xxxxxx) so a character stays whole.
    while (end < bytes.length && end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    chunks.push(`"${escape(bytes.subarray(start, end))}"`);
    start = end;
  } while (start < bytes.length);
  return chunks.join(" ");
}

function escape(bytes: Buffer): string {
  let out = "";
  let plain = 0;
  const flush = (to: number) => {
    out += bytes.subarray(plain, to).toString("utf8");
  };
  bytes.forEach((b, i) => {
    if (b === QUOTE || b === BACKSLASH) {
      flush(i);
      out += `\\${String.fromCharCode(b)}`;
      plain = i + 1;
    } else if (b < 0x20 || b === 0x7f) {
      flush(i);
      out += `\\${String(b).padStart(3, "0")}`;
      plain = i + 1;
    }
  });
  flush(bytes.length);
  return out;
}

/**
 * TXT record content → text: the character-strings joined without separator
 * (as DKIM and SPF read them), `\X` and `\DDD` unescaped. Throws on content
 * that is not a sequence of quoted strings.
 */
export function fromTxtContent(content: string): string {
  // Work on UTF-8 bytes: `\DDD` counts bytes, and multi-byte characters
  // (all bytes ≥ 0x80) can never be mistaken for a quote, backslash or space.
  const input = Buffer.from(content, "utf8");
  const out: number[] = [];
  let i = 0;
  while (i < input.length) {
    const b = input[i];
    if (b === SPACE || b === TAB) {
      i++;
      continue;
    }
    if (b !== QUOTE) throw new Error(`TXT content is not a list of quoted strings: ${content.slice(0, 40)}`);
    i++;
    while (input[i] !== QUOTE) {
      const c = input[i];
      if (c === undefined) throw new Error("TXT content has an unterminated quoted string.");
      if (c !== BACKSLASH) {
        out.push(c);
        i++;
        continue;
      }
      const digits = input.subarray(i + 1, i + 4).toString("latin1");
      const next = input[i + 1];
      if (/^\d{3}$/.test(digits)) {
        if (Number(digits) > 255) throw new Error(`TXT content has an invalid escape \\${digits}.`);
        out.push(Number(digits));
        i += 4;
      } else if (next !== undefined) {
        out.push(next); // \X is X, whatever X is
        i += 2;
      } else {
        throw new Error("TXT content ends in a lone backslash.");
      }
    }
    i++; // the closing quote
  }
  return Buffer.from(out).toString("utf8");
}

/**
 * Does the DKIM record in `txtContent` (PowerDNS TXT content) publish the
 * public half of `privateKeyPem`? Compares the key bytes, so line breaks or
 * spaces inside `p=` (allowed by RFC 6376) do not matter. A TXT that is not a
 * DKIM record does not match; a private key that cannot be read throws.
 */
export function keyMatches(privateKeyPem: string, txtContent: string): boolean {
  const expected = Buffer.from(publicKeyFromPrivatePem(privateKeyPem), "base64");
  let text: string;
  try {
    text = fromTxtContent(txtContent);
  } catch {
    return false;
  }
  const tags = new Map(
    text
      .split(";")
      .filter((tag) => tag.includes("="))
      .map((tag) => {
        const eq = tag.indexOf("=");
        return [tag.slice(0, eq).trim(), tag.slice(eq + 1).replace(/\s+/g, "")] as const;
      }),
  );
  const p = tags.get("p");
  if (!p || (tags.get("k") ?? "rsa") !== "rsa") return false;
  return Buffer.from(p, "base64").equals(expected);
}
