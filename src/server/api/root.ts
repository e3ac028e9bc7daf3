import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { viewerRouter } from "@/server/api/routers/viewer/router";
import { adminRouter } from "@/server/api/routers/admin/router";
import { partnerRouter } from "@/server/api/routers/partner/router";
import { customerRouter } from "@/server/api/routers/customer/router";

export const appRouter = createTRPCRouter({
  viewer: viewerRouter,
  admin: adminRouter,
  partner: partnerRouter,
  customer: customerRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
