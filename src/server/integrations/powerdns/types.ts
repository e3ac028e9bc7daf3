/** The subset of the PowerDNS Authoritative HTTP API (v1) that Berth uses. */

export type PdnsRecord = { content: string; disabled: boolean };
export type PdnsComment = { content: string; account: string; modified_at?: number };

export type PdnsRRSet = {
  /** Absolute name with trailing dot, e.g. "www.example.com." */
  name: string;
  type: string;
  ttl?: number;
  records: PdnsRecord[];
  comments?: PdnsComment[];
};

export type PdnsRRSetChange =
  | (PdnsRRSet & { changetype: "REPLACE" })
  | { name: string; type: string; changetype: "DELETE" };

export type PdnsZoneKind = "Native" | "Master" | "Slave" | "Producer" | "Consumer";

export type PdnsZone = {
  id: string;
  name: string;
  kind: PdnsZoneKind;
  serial: number;
  account: string;
  dnssec?: boolean;
  rrsets?: PdnsRRSet[];
};

export type PdnsZoneCreate = {
  name: string;
  kind: PdnsZoneKind;
  nameservers: string[];
  account?: string;
  rrsets?: PdnsRRSet[];
  soa_edit_api?: string;
};
