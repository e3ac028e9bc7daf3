import { createTRPCRouter } from "@/server/api/trpc";
import { listAllCustomers } from "./list-customers";
import { listAllPartners } from "./list-partners";
import { listAllPlans } from "./list-plans";
import { retryDomainProcedure } from "./retry-domain";
import { listAllDomains } from "./list-domains";
import { deleteCustomerProcedure } from "./delete-customer";
import { changePlanProcedure } from "./change-plan";

export const adminRouter = createTRPCRouter({
  customers: listAllCustomers,
  partners: listAllPartners,
  plans: listAllPlans,
  domains: listAllDomains,
  retryDomain: retryDomainProcedure,
  deleteCustomer: deleteCustomerProcedure,
  changePlan: changePlanProcedure,
});
