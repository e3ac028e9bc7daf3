import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { retryDomain } from "@/server/services/domains/retry-domain";

export const retryDomainProcedure = adminProcedure
  .input(z.object({ domainId: z.string().min(1).max(64) }))
  .mutation(({ ctx, input }) => retryDomain(ctx.scope, input.domainId, { userId: ctx.viewer.userId, ip: ctx.ip }));
