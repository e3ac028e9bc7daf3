import { adminProcedure } from "@/server/api/trpc";
import { listPartners } from "@/server/services/partners/list-partners";

export const listAllPartners = adminProcedure.query(() => listPartners());
