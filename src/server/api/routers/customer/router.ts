import { createTRPCRouter } from "@/server/api/trpc";
import { overview } from "./overview";

export const customerRouter = createTRPCRouter({ overview });
