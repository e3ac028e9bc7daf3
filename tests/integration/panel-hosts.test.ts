import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/auth/[...nextauth]/route";
import { db } from "@/server/db";
import { forgetPanelHosts, hostnameOf, isKnownPanelHost, requestHostsKnown } from "@/server/services/panel-hosts/known-hosts";
import { partner, uniq } from "../fixtures";

describe("sign-in answers only on panel hosts", () => {
  it("knows loopback, the platform's panel domain and every partner's panel domain", async () => {
    const p = await partner();
    const host = `panel-${uniq()}.hosting.test`;
    await db.partnerDomain.create({ data: { partnerId: p.id, hostname: host } });
    forgetPanelHosts();
    expect(await isKnownPanelHost("127.0.0.1:3000")).toBe(true);
    expect(await isKnownPanelHost("localhost")).toBe(true);
    expect(await isKnownPanelHost("panel.berth.test")).toBe(true);
    expect(await isKnownPanelHost(`${host.toUpperCase()}:443`)).toBe(true);
    expect(await isKnownPanelHost("evil.example.net")).toBe(false);
    expect(await isKnownPanelHost(`x.${host}`)).toBe(false);
    expect(await isKnownPanelHost(null)).toBe(false);
    expect(hostnameOf("[::1]:3000")).toBe("[::1]");
  });

  it("refuses a forged X-Forwarded-Host even on a known Host", async () => {
    expect(await requestHostsKnown(new Headers({ host: "127.0.0.1:3000" }))).toBe(true);
    expect(await requestHostsKnown(new Headers({ host: "127.0.0.1:3000", "x-forwarded-host": "evil.example.net" }))).toBe(false);
    expect(await requestHostsKnown(new Headers())).toBe(false);
  });

  it("the auth route answers 421 for an unknown host and serves a known one", async () => {
    const evil = await GET(new Request("http://127.0.0.1:3000/api/auth/csrf", { headers: { host: "127.0.0.1:3000", "x-forwarded-host": "evil.example.net" } }));
    expect(evil.status).toBe(421);
    const ok = await GET(new Request("http://127.0.0.1:3000/api/auth/csrf", { headers: { host: "127.0.0.1:3000" } }));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { csrfToken?: string }).csrfToken).toBeTruthy();
  });
});
