import "server-only";
import { z, ZodError } from "zod";
import { AppError } from "@/server/errors";
import { assertStorableText } from "@/server/validation/storable-text";

/** The REST API's one error shape: { error: { code, message, fields? } }, with AppError's status. */
export function errorResponse(e: unknown): Response {
  if (e instanceof AppError) {
    return Response.json(
      { error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } },
      { status: e.httpStatus, headers: e.retryAfterSeconds ? { "Retry-After": String(e.retryAfterSeconds) } : undefined },
    );
  }
  if (e instanceof ZodError) {
    const fields = Object.fromEntries(e.issues.map((i) => [i.path.join(".") || "body", i.message]));
    return Response.json({ error: { code: "BAD_REQUEST", message: "Some fields need attention.", fields } }, { status: 400 });
  }
  console.error("[api]", e);
  return Response.json({ error: { code: "INTERNAL", message: "Something went wrong on our side. It has been logged." } }, { status: 500 });
}

const MAX_BODY = 256 * 1024;

/** The request body as JSON, refusing what is too large or not JSON with a 4xx. */
export async function readJson(req: Request): Promise<{ raw: string; json: unknown }> {
  if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("BAD_REQUEST", "Send the body as JSON with Content-Type: application/json.");
  }
  const raw = await req.text();
  if (raw.length > MAX_BODY) throw new AppError("BAD_REQUEST", "The request body is too large (256 KiB at most).");
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
  // Before anything reads it: text PostgreSQL cannot store is a 400 naming the field, never a 500.
  assertStorableText(json);
  return { raw, json };
}

export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200, "Idempotency-Key can be 200 characters at most")
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be printable ASCII without spaces");
