import { handlers } from "@/server/auth/config";
import { requestHostsKnown } from "@/server/services/panel-hosts/known-hosts";

/** Auth.js trusts the request's host; only hosts that are a panel's reach it. */
async function guarded(req: Request, handler: (req: Request) => Promise<Response>): Promise<Response> {
  if (!(await requestHostsKnown(req.headers))) {
    return new Response("This host is not a Berth panel.", { status: 421, headers: { "content-type": "text/plain" } });
  }
  return handler(req);
}

export const GET = (req: Request) => guarded(req, handlers.GET as (req: Request) => Promise<Response>);
export const POST = (req: Request) => guarded(req, handlers.POST as (req: Request) => Promise<Response>);
