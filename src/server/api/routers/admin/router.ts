import { createTRPCRouter } from "@/server/api/trpc";
import { listAllCustomers } from "./list-customers";
import { listAllPartners } from "./list-partners";
import { listAllPlans } from "./list-plans";
import { retryDomainProcedure } from "./retry-domain";

export const adminRouter = createTRPCRouter({
  customers: listAllCustomers,
  partners: listAllPartners,
  plans: listAllPlans,
  retryDomain: retryDomainProcedure,
});
