import { z } from "zod";
import { partnerProcedure } from "@/server/api/trpc";
import { listCustomers } from "@/server/services/customers/list-customers";

export const listPartnerCustomers = partnerProcedure
  .input(
    z
      .object({
        partnerId: z.string().max(64).optional(),
        search: z.string().trim().max(100, "Search for at most 100 characters").optional(),
      })
      .optional(),
  )
  .query(({ ctx, input }) => listCustomers(ctx.scope, { search: input?.search }));
