import { z } from "zod";
import { errorResponse } from "@/server/api/rest/respond";
import { clientAddress } from "@/server/auth/client-address";
import { authenticateToken } from "@/server/services/api-tokens/tokens";
import { deleteCustomer } from "@/server/services/customers/delete-customer";

const customerId = z.string().min(1).max(64);

/**
 * DELETE /api/v1/customers/{customerId} — platform tokens only: every domain
 * of the customer is removed, then its namespace and everything labelled
 * with it; 202 { id, number, status: "deleting", domains } at once.
 */
export async function DELETE(req: Request, ctx: { params: Promise<{ customerId: string }> }): Promise<Response> {
  try {
    const principal = await authenticateToken(req.headers.get("authorization"));
    const id = customerId.parse((await ctx.params).customerId);
    const r = await deleteCustomer(principal.scope, id, { tokenId: principal.tokenId, ip: clientAddress(req.headers) });
    return Response.json(r, { status: 202 });
  } catch (e) {
    return errorResponse(e);
  }
}
