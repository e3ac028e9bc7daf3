import { authedProcedure } from "@/server/api/trpc";
import { homeFor } from "@/server/auth/viewer";

export const me = authedProcedure.query(({ ctx }) => ({
  userId: ctx.viewer.userId,
  email: ctx.viewer.email,
  name: ctx.viewer.name,
  isPlatformAdmin: ctx.viewer.isPlatformAdmin,
  partnerIds: ctx.viewer.partnerIds,
  customerIds: ctx.viewer.customerIds,
  home: homeFor(ctx.viewer),
}));
