import { z } from "zod";
import { customerProcedure } from "@/server/api/trpc";
import { getDomain } from "@/server/services/domains/get-domain";

export const getDomainProcedure = customerProcedure
  .input(z.object({ customerId: z.string().max(64).optional(), domainId: z.string().min(1).max(64) }))
  .query(({ ctx, input }) => getDomain(ctx.scope, input.domainId));
