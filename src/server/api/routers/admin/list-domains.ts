import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { listDomains } from "@/server/services/domains/list-domains";

export const listAllDomains = adminProcedure
  .input(z.object({ status: z.enum(["FAILED", "PROVISIONING", "ACTIVE", "PENDING"]).optional() }).optional())
  .query(({ ctx, input }) => listDomains(ctx.scope, { status: input?.status }));
