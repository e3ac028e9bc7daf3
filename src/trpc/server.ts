import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

/** tRPC for React Server Components: the same procedures, same checks, no HTTP hop. */
const context = cache(async () => createTRPCContext({ headers: new Headers(await headers()) }));

/** Signed-in pages only: without a session, go to sign-in rather than render an error. */
export const api = async () => {
  const ctx = await context();
  if (!ctx.viewer) redirect("/login");
  return createCaller(ctx);
};
