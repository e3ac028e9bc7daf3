import { z } from "zod";
import { customerProcedure } from "@/server/api/trpc";
import { getCustomerOverview } from "@/server/services/customers/get-overview";

export const overview = customerProcedure
  .input(z.object({ customerId: z.string().max(64).optional() }).optional())
  .query(({ ctx }) => getCustomerOverview(ctx.scope));
