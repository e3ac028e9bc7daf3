/**
 * The one error business code throws. `code` decides the HTTP / tRPC status in
 * one place (toHttpStatus / the tRPC error formatter); `message` is written for
 * the person who will read it; `fields` carries per-field messages for forms.
 */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS"
  | "UNAVAILABLE"
  | "INTERNAL";

const httpStatus: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly fields?: Record<string, string>;
  readonly retryAfterSeconds?: number;

  constructor(
    code: AppErrorCode,
    message: string,
    extra?: { fields?: Record<string, string>; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(message, extra?.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = extra?.fields;
    this.retryAfterSeconds = extra?.retryAfterSeconds;
  }

  get httpStatus(): number {
    return httpStatus[this.code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
