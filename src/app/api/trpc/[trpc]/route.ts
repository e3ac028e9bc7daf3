import { createTRPCContext } from "@/server/api/trpc";
import { handleTrpc } from "./handler";

const handler = (req: Request) => handleTrpc(req, () => createTRPCContext({ headers: req.headers }));

export { handler as GET, handler as POST };
