import "server-only";
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { env } from "@/env";
import { AppError, type AppErrorCode } from "@/server/errors";
import { getViewer, type Viewer } from "@/server/auth/viewer";
import { clientAddress } from "@/server/auth/client-address";
import { assertPlatformAdmin, resolveCustomerScope, resolvePartnerScope } from "@/server/auth/permissions";
import { assertStorableText } from "@/server/validation/storable-text";

export async function createTRPCContext(opts: { headers: Headers; viewer?: Viewer | null }) {
  const viewer = opts.viewer !== undefined ? opts.viewer : await getViewer();
  return { viewer, headers: opts.headers, ip: clientAddress(opts.headers) };
}
export type Context = Awaited<ReturnType<typeof createTRPCContext>>;

const trpcCode: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldErrors =
      cause instanceof ZodError
        ? (z.flattenError(cause).fieldErrors as Record<string, string[] | undefined>)
        : cause instanceof AppError && cause.fields
          ? Object.fromEntries(Object.entries(cause.fields).map(([k, v]) => [k, [v]]))
          : null;
    const hidden = error.code === "INTERNAL_SERVER_ERROR" && !(cause instanceof AppError);
    return {
      ...shape,
      message:
        cause instanceof ZodError
          ? "Some fields need attention."
          : hidden && env.NODE_ENV === "production"
            ? "Something went wrong on our side. It has been logged."
            : shape.message,
      // Only `next dev` shows stacks; tests see the bodies production sends.
      data: { ...shape.data, stack: env.NODE_ENV === "development" ? shape.data.stack : undefined, fieldErrors },
    };
  },
});

/** AppError → the matching tRPC code (and so HTTP status); anything else stays a 500 and is logged. */
const errors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      throw new TRPCError({ code: trpcCode[cause.code], message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path}:`, result.error.cause ?? result.error);
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure (and so every server action calling one): text PostgreSQL cannot store is a 400 naming the field. */
const storableInput = t.middleware(async ({ next, getRawInput }) => {
  assertStorableText(await getRawInput());
  return next();
});

export const publicProcedure = t.procedure.use(errors).use(storableInput);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.viewer) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, viewer: ctx.viewer } });
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) =>
  next({ ctx: { ...ctx, scope: assertPlatformAdmin(ctx.viewer) } }),
);

const idFromInput = async (getRawInput: () => Promise<unknown>, key: string): Promise<string | undefined> => {
  const raw = await getRawInput();
  const value = raw && typeof raw === "object" ? (raw as Record<string, unknown>)[key] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length > 64) throw new AppError("BAD_REQUEST", `Invalid ${key}.`);
  return value;
};

/** Scoped to one partner the viewer administers (or any, for a platform admin naming one). */
export const partnerProcedure = authedProcedure.use(async ({ ctx, next, getRawInput }) =>
  next({ ctx: { ...ctx, scope: resolvePartnerScope(ctx.viewer, await idFromInput(getRawInput, "partnerId")) } }),
);

/** Scoped to one customer the viewer may act on; `customerId` in input is checked, not trusted. */
export const customerProcedure = authedProcedure.use(async ({ ctx, next, getRawInput }) =>
  next({ ctx: { ...ctx, scope: await resolveCustomerScope(ctx.viewer, await idFromInput(getRawInput, "customerId")) } }),
);
