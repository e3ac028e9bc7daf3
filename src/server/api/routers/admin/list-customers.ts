import { adminProcedure } from "@/server/api/trpc";
import { listCustomers } from "@/server/services/customers/list-customers";
import { listCustomersInput } from "./list-customers.schema";

export const listAllCustomers = adminProcedure
  .input(listCustomersInput)
  .query(({ ctx, input }) => listCustomers(ctx.scope, { search: input?.search }));
