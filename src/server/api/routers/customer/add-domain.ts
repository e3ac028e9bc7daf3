import { customerProcedure } from "@/server/api/trpc";
import { addDomain } from "@/server/services/domains/add-domain";
import { addDomainInput } from "@/server/services/domains/add-domain.schema";

export const addDomainProcedure = customerProcedure.input(addDomainInput).mutation(async ({ ctx, input }) => {
  const d = await addDomain(ctx.scope, input, { userId: ctx.viewer.userId, ip: ctx.ip });
  return { id: d.id, name: d.name, displayName: d.displayName, status: "pending" as const };
});
