import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import type { Context } from "@/server/api/trpc";

/** The tRPC HTTP endpoint, with the context supplied by the caller (the route; tests that act as a role). */
export function handleTrpc(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  return fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext });
}
