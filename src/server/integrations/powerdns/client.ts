import type { PdnsRRSetChange, PdnsZone, PdnsZoneCreate } from "./types";

/**
 * A typed client for PowerDNS Authoritative's HTTP API. Configuration comes in
 * as arguments (never from process.env). Every failure is a PdnsError that
 * says whether retrying can help: connection errors, timeouts and 5xx are
 * transient; 4xx are not.
 */
export type PowerDnsConfig = {
  baseUrl: string;
  apiKey: string;
  serverId?: string;
  timeoutMs?: number;
};

export class PdnsError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PdnsError";
  }
  get isConflict() {
    return this.status === 409;
  }
  get isNotFound() {
    return this.status === 404;
  }
}

/** "Example.COM" → "example.com." */
export const canonicalZone = (name: string) => `${name.toLowerCase().replace(/\.+$/, "")}.`;

/** PowerDNS zone ids are the canonical name with unsafe characters escaped as =XX. */
const zoneId = (name: string) =>
  encodeURIComponent(canonicalZone(name).replace(/[^A-Za-z0-9.\-_]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`));

export function createPowerDnsClient(config: PowerDnsConfig) {
  const base = `${config.baseUrl.replace(/\/+$/, "")}/api/v1/servers/${encodeURIComponent(config.serverId ?? "localhost")}`;
  const timeoutMs = config.timeoutMs ?? 10_000;

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T | null }> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { "X-API-Key": config.apiKey, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const reason = e instanceof Error && e.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : "could not connect";
      throw new PdnsError(`PowerDNS ${method} ${path}: ${reason}`, null, true, { cause: e });
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text.trim();
      try {
        detail = (JSON.parse(text) as { error?: string }).error ?? detail;
      } catch {
        // PowerDNS answers some errors (409) in plain text.
      }
      throw new PdnsError(`PowerDNS ${method} ${path}: ${res.status} ${detail}`.slice(0, 500), res.status, res.status >= 500);
    }
    return { status: res.status, data: text ? (JSON.parse(text) as T) : null };
  }

  return {
    /** The zone with its rrsets, or null when PowerDNS does not have it. */
    async getZone(name: string): Promise<PdnsZone | null> {
      try {
        return (await call<PdnsZone>("GET", `/zones/${zoneId(name)}`)).data;
      } catch (e) {
        if (e instanceof PdnsError && (e.status === 404 || e.status === 422)) return null;
        throw e;
      }
    },

    async listZones(): Promise<PdnsZone[]> {
      return (await call<PdnsZone[]>("GET", "/zones")).data ?? [];
    },

    /** Creates the zone. A zone that already exists is a PdnsError with isConflict. */
    async createZone(zone: PdnsZoneCreate): Promise<PdnsZone> {
      const res = await call<PdnsZone>("POST", "/zones", { ...zone, name: canonicalZone(zone.name) });
      if (!res.data) throw new PdnsError("PowerDNS created the zone but returned no body", res.status, true);
      return res.data;
    },

    /** Applies rrset changes in one transaction: all or nothing. */
    async patchRRSets(zone: string, rrsets: PdnsRRSetChange[]): Promise<void> {
      if (!rrsets.length) return;
      await call("PATCH", `/zones/${zoneId(zone)}`, { rrsets });
    },

    /** Sets zone metadata fields (e.g. account). */
    async updateZone(zone: string, fields: { account?: string; kind?: string }): Promise<void> {
      await call("PUT", `/zones/${zoneId(zone)}`, fields);
    },

    /** Deletes the zone; one that is already gone is success. */
    async deleteZone(name: string): Promise<void> {
      try {
        await call("DELETE", `/zones/${zoneId(name)}`);
      } catch (e) {
        if (e instanceof PdnsError && (e.status === 404 || e.status === 422)) return;
        throw e;
      }
    },
  };
}

export type PowerDnsClient = ReturnType<typeof createPowerDnsClient>;
