import { createTRPCRouter } from "@/server/api/trpc";
import { me } from "./me";

export const viewerRouter = createTRPCRouter({ me });
