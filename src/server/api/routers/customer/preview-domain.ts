import { customerProcedure } from "@/server/api/trpc";
import { addDomainInput } from "@/server/services/domains/add-domain.schema";
import { previewDomain } from "@/server/services/domains/preview-domain";

/** The plan of changes adding this domain would make, written nowhere. A mutation (POST) only so that mailbox passwords never travel in a URL. */
export const previewDomainProcedure = customerProcedure.input(addDomainInput).mutation(({ ctx, input }) => previewDomain(ctx.scope, input));
