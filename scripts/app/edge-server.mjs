// berth-edge-server: the standalone output's server.js (scripts/standalone.sh
// puts it there and keeps Next's own as next-server.js). Next's server fills
// X-Forwarded-For from the socket only when the client sent none, so with no
// trusted proxy in front a client could name any address and spread or dodge
// the sign-in throttle. Before Next sees a request, this overwrites the header
// with the socket's address, then starts Next's server unchanged in this process.
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** "::ffff:127.0.0.5" (an IPv4 client on a dual-stack socket) → "127.0.0.5". */
export function socketAddress(socket) {
  const a = socket?.remoteAddress ?? "";
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a;
}

/** Makes every HTTP server created from now on overwrite X-Forwarded-For from the socket. */
export function installClientAddress(hops) {
  // Trusted proxies append to the header; src/server/auth/client-address.ts picks their entry.
  if (hops > 0) return;
  const create = http.createServer;
  http.createServer = function createServer(...args) {
    const server = create.apply(this, args);
    // Prepended: runs before Next's own listener, on the same headers object it reads.
    server.prependListener("request", (req) => {
      req.headers["x-forwarded-for"] = socketAddress(req.socket);
    });
    return server;
  };
  // Tells the app (src/env.ts) that the header now comes from the socket.
  process.env.BERTH_EDGE_SERVER = "true";
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === pathToFileURL(self).href) {
  const raw = process.env.TRUSTED_PROXY_HOPS || "0";
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0) {
    console.error(`[berth] TRUSTED_PROXY_HOPS must be a whole number ≥ 0, not ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  installClientAddress(hops);
  await import(pathToFileURL(path.join(path.dirname(self), "next-server.js")).href);
}
