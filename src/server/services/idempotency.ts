import "server-only";
import { createHash } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";

/**
 * Idempotency-Key for REST writes: the first response to (token, key) is
 * stored and replayed for repeats; the same key with another body is refused.
 */
export async function withIdempotency(
  tokenId: string,
  key: string | null,
  rawBody: string,
  handle: () => Promise<{ status: number; body: Prisma.InputJsonValue }>,
): Promise<{ status: number; body: unknown; replayed: boolean }> {
  if (!key) return { ...(await handle()), replayed: false };
  const requestHash = createHash("sha256").update(rawBody).digest("hex");
  const stored = async () => {
    const row = await db.idempotencyKey.findUnique({ where: { tokenId_key: { tokenId, key } } });
    if (!row) return null;
    if (row.requestHash !== requestHash) {
      throw new AppError("CONFLICT", "This Idempotency-Key was already used with a different request body.");
    }
    return { status: row.statusCode, body: row.responseBody, replayed: true };
  };
  const before = await stored();
  if (before) return before;
  const result = await handle();
  // Only outcomes worth replaying are kept: successes and the client's own mistakes, not 5xx.
  if (result.status < 500) {
    try {
      await db.idempotencyKey.create({ data: { tokenId, key, requestHash, statusCode: result.status, responseBody: result.body } });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
        const winner = await stored();
        if (winner) return winner;
      }
      throw e;
    }
  }
  return { ...result, replayed: false };
}
