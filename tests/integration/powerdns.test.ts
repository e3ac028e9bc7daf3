import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createPowerDnsClient, PdnsError } from "@/server/integrations/powerdns/client";
import { readStackEnv } from "../setup/stack-env";
import { uniq } from "../fixtures";

const run = promisify(execFile);
const stack = readStackEnv();
const pdns = createPowerDnsClient({ baseUrl: stack.PDNS_API_URL ?? "", apiKey: stack.PDNS_API_KEY ?? "" });
const [dnsHost, dnsPort] = (stack.PDNS_DNS_ADDRESS ?? "127.0.0.1:53").split(":");
const zones: string[] = [];

/** What PowerDNS serves over DNS, asked with dig; retried because its packet cache can lag a change. */
async function dig(name: string, type: string, want: (lines: string[]) => boolean): Promise<string[]> {
  let lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    const { stdout } = await run("dig", [`@${dnsHost}`, "-p", String(dnsPort), "+short", "+norecurse", name, type]);
    lines = stdout.trim().split("\n").filter(Boolean);
    if (want(lines)) return lines;
    await new Promise((r) => setTimeout(r, 250));
  }
  return lines;
}

async function failure(p: Promise<unknown>): Promise<PdnsError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(PdnsError);
  return e as PdnsError;
}

afterAll(async () => {
  for (const z of zones) await pdns.deleteZone(z);
});

describe("PowerDNS client against the local PowerDNS", () => {
  it("creates a zone (201), and a second create is a conflict (409), not a duplicate", async () => {
    const name = `pdns-${uniq()}.example.org`;
    zones.push(name);
    const zone = await pdns.createZone({ name, kind: "Native", nameservers: ["ns1.berth.test.", "ns2.berth.test."], account: "berth:test" });
    expect(zone.name).toBe(`${name}.`);
    expect(zone.account).toBe("berth:test");
    const again = await failure(pdns.createZone({ name, kind: "Native", nameservers: ["ns1.berth.test."] }));
    expect(again.isConflict).toBe(true);
    expect(again.transient).toBe(false);
    expect((await pdns.listZones()).map((z) => z.name)).toContain(`${name}.`);
  });

  it("replaces rrsets with PATCH and serves them over DNS", async () => {
    const name = `rr-${uniq()}.example.org`;
    zones.push(name);
    await pdns.createZone({ name, kind: "Native", nameservers: ["ns1.berth.test."] });
    await pdns.patchRRSets(name, [
      { name: `${name}.`, type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "192.0.2.10", disabled: false }] },
      { name: `www.${name}.`, type: "CNAME", ttl: 300, changetype: "REPLACE", records: [{ content: `${name}.`, disabled: false }] },
      { name: `${name}.`, type: "TXT", ttl: 300, changetype: "REPLACE", records: [{ content: '"v=spf1 mx -all"', disabled: false }], comments: [{ content: "managed", account: "berth" }] },
    ]);
    const zone = await pdns.getZone(name);
    const a = zone?.rrsets?.find((r) => r.type === "A");
    expect(a?.records.map((r) => r.content)).toEqual(["192.0.2.10"]);
    expect(zone?.rrsets?.find((r) => r.type === "TXT")?.comments?.[0]?.account).toBe("berth");
    expect(await dig(name, "A", (l) => l.includes("192.0.2.10"))).toContain("192.0.2.10");
    expect(await dig(`www.${name}`, "CNAME", (l) => l.length > 0)).toContain(`${name}.`);
    // Repeating the same REPLACE is accepted and changes nothing.
    const serial = zone?.serial;
    await pdns.patchRRSets(name, [
      { name: `${name}.`, type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "192.0.2.10", disabled: false }] },
    ]);
    expect((await pdns.getZone(name))?.rrsets?.find((r) => r.type === "A")?.records).toHaveLength(1);
    expect(serial).toBeGreaterThan(0);
  });

  it("applies a PATCH all or nothing: one bad rrset is a 422 and nothing changes", async () => {
    const name = `tx-${uniq()}.example.org`;
    zones.push(name);
    await pdns.createZone({ name, kind: "Native", nameservers: ["ns1.berth.test."] });
    const bad = await failure(
      pdns.patchRRSets(name, [
        { name: `good.${name}.`, type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "192.0.2.1", disabled: false }] },
        { name: `bad.${name}.`, type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "not-an-ip", disabled: false }] },
      ]),
    );
    expect(bad.status).toBe(422);
    expect(bad.transient).toBe(false);
    const zone = await pdns.getZone(name);
    expect(zone?.rrsets?.some((r) => r.name === `good.${name}.`)).toBe(false);
  });

  it("reads a missing zone as null and deletes idempotently", async () => {
    const name = `gone-${uniq()}.example.org`;
    expect(await pdns.getZone(name)).toBeNull();
    await pdns.createZone({ name, kind: "Native", nameservers: ["ns1.berth.test."] });
    await pdns.deleteZone(name);
    await pdns.deleteZone(name);
    expect(await pdns.getZone(name)).toBeNull();
  });

  it("reports a wrong API key as a permanent 401 and an unreachable server as transient", async () => {
    const wrongKey = createPowerDnsClient({ baseUrl: stack.PDNS_API_URL ?? "", apiKey: "wrong" });
    const e401 = await failure(wrongKey.listZones());
    expect(e401.status).toBe(401);
    expect(e401.transient).toBe(false);
    const down = createPowerDnsClient({ baseUrl: "http://127.0.0.1:9", apiKey: "x", timeoutMs: 2000 });
    const eDown = await failure(down.listZones());
    expect(eDown.transient).toBe(true);
    expect(eDown.status).toBeNull();
  });
});
