import { handlers } from "@/server/auth/config";
import { requestHostsKnown } from "@/server/services/panel-hosts/known-hosts";

const THROTTLED = /[?&]code=throttled(?::|%3A)(\d+)/i;

/**
 * A throttled sign-in comes back from Auth.js as a redirect (or, for fetch
 * clients, JSON naming the URL) whose `code` carries the wait; say it as
 * Retry-After too, so scripts and proxies see it without parsing the URL.
 */
async function withRetryAfter(res: Response): Promise<Response> {
  let url = res.headers.get("location") ?? "";
  if (!url && /json/.test(res.headers.get("content-type") ?? "")) {
    const body = (await res.clone().json().catch(() => null)) as { url?: unknown } | null;
    url = typeof body?.url === "string" ? body.url : "";
  }
  const m = THROTTLED.exec(url);
  if (!m?.[1]) return res;
  const headers = new Headers(res.headers);
  headers.set("Retry-After", m[1]);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/** Auth.js trusts the request's host; only hosts that are a panel's reach it. */
async function guarded(req: Request, handler: (req: Request) => Promise<Response>): Promise<Response> {
  if (!(await requestHostsKnown(req.headers))) {
    return new Response("This host is not a Berth panel.", { status: 421, headers: { "content-type": "text/plain" } });
  }
  return withRetryAfter(await handler(req));
}

export const GET = (req: Request) => guarded(req, handlers.GET as (req: Request) => Promise<Response>);
export const POST = (req: Request) => guarded(req, handlers.POST as (req: Request) => Promise<Response>);
