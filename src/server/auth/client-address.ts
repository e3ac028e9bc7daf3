import { env } from "@/env";

/**
 * The client's address as seen by the last trusted proxy. With no trusted
 * proxy, X-Forwarded-For is attacker-controlled and is ignored.
 */
export function clientAddress(headers: Headers): string {
  const hops = env.TRUSTED_PROXY_HOPS;
  if (hops > 0) {
    const chain = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const candidate = chain[chain.length - hops];
    if (candidate && /^[0-9a-fA-F:.]{2,45}$/.test(candidate)) return candidate;
  }
  return "direct";
}
