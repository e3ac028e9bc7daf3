import { createTRPCRouter } from "@/server/api/trpc";
import { overview } from "./overview";
import { addDomainProcedure } from "./add-domain";
import { getDomainProcedure } from "./get-domain";
import { deleteDomainProcedure } from "./delete-domain";
import { previewDomainProcedure } from "./preview-domain";
import { changeMailboxPasswordProcedure } from "./change-mailbox-password";

export const customerRouter = createTRPCRouter({
  overview,
  domains: createTRPCRouter({ add: addDomainProcedure, get: getDomainProcedure, delete: deleteDomainProcedure, preview: previewDomainProcedure }),
  mail: createTRPCRouter({ changePassword: changeMailboxPasswordProcedure }),
});
