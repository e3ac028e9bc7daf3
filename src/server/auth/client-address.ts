import { env } from "@/env";

/** What an address is called when it cannot be known (no trusted proxy and no edge server). */
export const UNKNOWN_ADDRESS = "direct";

const ADDRESS = /^[0-9a-fA-F:.]{2,45}$/;

/**
 * The client's address. Next's own server fills X-Forwarded-For from the
 * socket only when the client sent none, so a client-sent header would
 * survive; it is believed only when something trustworthy wrote it:
 *  - TRUSTED_PROXY_HOPS=N: the Nth entry from the right, the one the
 *    outermost trusted proxy appended (what the client wrote is to its left);
 *  - no trusted proxy: the edge server (server.js, scripts/app/edge-server.mjs)
 *    overwrites the header from the socket and says so in BERTH_EDGE_SERVER.
 * Otherwise (e.g. `next dev`) the address is unknown.
 */
export function clientAddress(headers: Headers): string {
  const hops = env.TRUSTED_PROXY_HOPS;
  if (hops === 0 && !env.BERTH_EDGE_SERVER) return UNKNOWN_ADDRESS;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const candidate = chain[chain.length - Math.max(hops, 1)];
  return candidate && ADDRESS.test(candidate) ? candidate : UNKNOWN_ADDRESS;
}
