import { z } from "zod";
import { customerProcedure } from "@/server/api/trpc";
import { deleteDomain } from "@/server/services/domains/delete-domain";

export const deleteDomainProcedure = customerProcedure
  .input(z.object({ customerId: z.string().max(64).optional(), domainId: z.string().min(1).max(64), confirm: z.string().max(300) }))
  .mutation(({ ctx, input }) => deleteDomain(ctx.scope, input.domainId, { userId: ctx.viewer.userId, ip: ctx.ip }, input.confirm));
