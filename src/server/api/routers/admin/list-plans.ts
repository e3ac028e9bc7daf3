import { adminProcedure } from "@/server/api/trpc";
import { listPlans } from "@/server/services/plans/list-plans";

export const listAllPlans = adminProcedure.query(() => listPlans());
