import { AppError } from "@/server/errors";

/**
 * Text PostgreSQL cannot store as sent: a NUL byte is refused outright
 * (error 22021, which would surface as a 500), and a lone UTF-16 surrogate
 * cannot be encoded as UTF-8 (it would be silently replaced by U+FFFD, so
 * what is stored is not what was sent). Both are refused at the edge, once,
 * for every string of every input: values and object keys alike.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type UnstorableText = { path: string; reason: string };

function reasonFor(s: string): string | null {
  const m = UNSTORABLE.exec(s);
  if (!m) return null;
  return m[0] === "\u0000" ? "a NUL byte" : "a lone surrogate (broken UTF-16)";
}

/** The first string (or key) in a JSON-like value that cannot be stored, with its path; null if there is none. */
export function findUnstorableText(value: unknown, path: string[] = [], seen = new Set<object>()): UnstorableText | null {
  const at = () => (path.length ? path.join(".") : "input");
  if (typeof value === "string") {
    const reason = reasonFor(value);
    return reason ? { path: at(), reason } : null;
  }
  if (value === null || typeof value !== "object" || seen.has(value)) return null;
  seen.add(value);
  // Iterative over siblings, recursive in depth: inputs are bounded by the body limits.
  const entries: [string, unknown][] =
    value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v]) : value instanceof Set ? [...value].map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, child] of entries) {
    const keyReason = reasonFor(key);
    if (keyReason) return { path: [...path, printable(key)].join("."), reason: `${keyReason} in a field name` };
    const found = findUnstorableText(child, [...path, key], seen);
    if (found) return found;
  }
  return null;
}

/** A key that cannot be stored cannot be shown as-is either: name it with the bad characters escaped. */
const printable = (key: string) => key.replace(/[\u0000\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Throws a 400 naming the field, if any string in the input cannot be stored. */
export function assertStorableText(value: unknown): void {
  const bad = findUnstorableText(value);
  if (!bad) return;
  const field = bad.path.length > 120 ? `${bad.path.slice(0, 117)}…` : bad.path;
  const message = `The field "${field}" contains ${bad.reason}, which cannot be stored. Remove it and try again.`;
  throw new AppError("BAD_REQUEST", message, { fields: { [field]: message } });
}
