import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { changePlan } from "@/server/services/customers/change-plan";

export const changePlanInput = z.object({ customerId: z.string().min(1).max(64), plan: z.string().min(1).max(64) });

/** Moves a customer to another plan; its quota and its domains' workloads follow. */
export const changePlanProcedure = adminProcedure
  .input(changePlanInput)
  .mutation(({ ctx, input }) => changePlan(ctx.scope, input.customerId, input.plan, { userId: ctx.viewer.userId, ip: ctx.ip }));
