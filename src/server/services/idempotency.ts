import "server-only";
import { createHash } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";

/**
 * Idempotency-Key for REST writes (after the IETF httpapi draft): the key is
 * reserved before the work starts, so concurrent repeats cannot both act; the
 * first response is stored and replayed for repeats; the same key with another
 * body is refused; a repeat while the first is still running gets 409.
 */
const IN_PROGRESS = 0;

export async function withIdempotency(
  tokenId: string,
  key: string | null,
  rawBody: string,
  handle: () => Promise<{ status: number; body: Prisma.InputJsonValue }>,
): Promise<{ status: number; body: unknown; replayed: boolean }> {
  if (!key) return { ...(await handle()), replayed: false };
  const requestHash = createHash("sha256").update(rawBody).digest("hex");
  try {
    await db.idempotencyKey.create({ data: { tokenId, key, requestHash, statusCode: IN_PROGRESS, responseBody: {} } });
  } catch (e) {
    if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")) throw e;
    const row = await db.idempotencyKey.findUniqueOrThrow({ where: { tokenId_key: { tokenId, key } } });
    if (row.requestHash !== requestHash) throw new AppError("CONFLICT", "This Idempotency-Key was already used with a different request body.");
    if (row.statusCode === IN_PROGRESS) throw new AppError("CONFLICT", "A request with this Idempotency-Key is still being processed; retry shortly.", { retryAfterSeconds: 1 });
    return { status: row.statusCode, body: row.responseBody, replayed: true };
  }
  let result: { status: number; body: Prisma.InputJsonValue };
  try {
    result = await handle();
  } catch (e) {
    // Nothing worth replaying: free the key so the client can try again.
    await db.idempotencyKey.delete({ where: { tokenId_key: { tokenId, key } } });
    throw e;
  }
  if (result.status >= 500) {
    await db.idempotencyKey.delete({ where: { tokenId_key: { tokenId, key } } });
  } else {
    await db.idempotencyKey.update({ where: { tokenId_key: { tokenId, key } }, data: { statusCode: result.status, responseBody: result.body } });
  }
  return { ...result, replayed: false };
}
