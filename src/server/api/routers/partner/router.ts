import { createTRPCRouter } from "@/server/api/trpc";
import { listPartnerCustomers } from "./list-customers";

export const partnerRouter = createTRPCRouter({ customers: listPartnerCustomers });
