import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { deleteCustomer } from "@/server/services/customers/delete-customer";

export const deleteCustomerInput = z.object({ customerId: z.string().min(1).max(64), confirm: z.string().max(300) });

/** Deletes a customer: its domains first, then its namespace and everything labelled with it. */
export const deleteCustomerProcedure = adminProcedure
  .input(deleteCustomerInput)
  .mutation(({ ctx, input }) => deleteCustomer(ctx.scope, input.customerId, { userId: ctx.viewer.userId, ip: ctx.ip }, input.confirm));
