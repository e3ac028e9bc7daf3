import "server-only";
import { env } from "@/env";
import { db } from "@/server/db";

/**
 * The hosts the panel answers sign-in on: the platform's panel domain, the
 * partners' panel domains, and loopback (local development and tests).
 * Auth.js trusts the request's host (several partner hosts need that), so
 * anything else is refused before it reaches Auth.js.
 */
const CACHE_MS = 30_000;
let cache: { at: number; hosts: Set<string> } | undefined;

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

async function partnerHosts(): Promise<Set<string>> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.hosts;
  const rows = await db.partnerDomain.findMany({ select: { hostname: true } });
  const hosts = new Set([env.PANEL_DOMAIN, ...rows.map((r) => r.hostname)].map((h) => h.toLowerCase()));
  cache = { at: Date.now(), hosts };
  return hosts;
}

/** "Panel.Acme.test:443" → "panel.acme.test"; "[::1]:3000" → "[::1]". */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.replace(/:\d+$/, "");
}

export async function isKnownPanelHost(hostHeader: string | null): Promise<boolean> {
  if (!hostHeader) return false;
  const host = hostnameOf(hostHeader);
  if (LOOPBACK.includes(host)) return true;
  return (await partnerHosts()).has(host);
}

/** Every host a request names (Host and, behind a proxy, X-Forwarded-Host) must be known. */
export async function requestHostsKnown(headers: Headers): Promise<boolean> {
  const named = [headers.get("host"), ...(headers.get("x-forwarded-host")?.split(",") ?? [])].filter((h): h is string => Boolean(h?.trim()));
  if (!named.length) return false;
  for (const h of named) if (!(await isKnownPanelHost(h))) return false;
  return true;
}

/** For tests: forget the cached partner hosts. */
export function forgetPanelHosts(): void {
  cache = undefined;
}
