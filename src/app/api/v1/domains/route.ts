import { AppError } from "@/server/errors";
import { errorResponse, idempotencyKeyHeader, readJson } from "@/server/api/rest/respond";
import { clientAddress } from "@/server/auth/client-address";
import { authenticateToken, customerScopeForToken } from "@/server/services/api-tokens/tokens";
import { addDomain } from "@/server/services/domains/add-domain";
import { addDomainInput } from "@/server/services/domains/add-domain.schema";
import { previewDomain } from "@/server/services/domains/preview-domain";
import { withIdempotency } from "@/server/services/idempotency";

/**
 * POST /api/v1/domains — seed PROVISIONING-FLOW "Automation":
 * { customerId, domain, image?, mailUsers?, aliases?, includeDatabase? }
 * → 202 { id, domain, status: "pending" } at once; provisioning follows.
 * With ?dryRun=true: 200 { dryRun: true, domain, steps } — the pipeline's own
 * plan of what adding it would change, step by step; nothing is written.
 */
export async function POST(req: Request): Promise<Response> {
  try {
    const principal = await authenticateToken(req.headers.get("authorization"));
    const keyHeader = req.headers.get("idempotency-key");
    const key = keyHeader === null ? null : idempotencyKeyHeader.parse(keyHeader);
    const { raw, json } = await readJson(req);
    if (new URL(req.url).searchParams.get("dryRun") === "true") {
      const input = addDomainInput.parse(json);
      const scope = await customerScopeForToken(principal, input.customerId);
      return Response.json({ dryRun: true, ...(await previewDomain(scope, input)) });
    }
    const result = await withIdempotency(principal.tokenId, key, raw, async () => {
      try {
        const input = addDomainInput.parse(json);
        const scope = await customerScopeForToken(principal, input.customerId);
        const d = await addDomain(scope, input, { tokenId: principal.tokenId, ip: clientAddress(req.headers) });
        return { status: 202, body: { id: d.id, domain: d.name, displayName: d.displayName, status: "pending", generation: d.generation } };
      } catch (e) {
        if (e instanceof AppError && e.httpStatus < 500) {
          const res = errorResponse(e);
          return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
        }
        throw e;
      }
    });
    return Response.json(result.body, { status: result.status, headers: result.replayed ? { "Idempotent-Replayed": "true" } : undefined });
  } catch (e) {
    return errorResponse(e);
  }
}
