import { readFileSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";
import mysql from "mysql2/promise";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile, readStackEnv } from "../setup/stack-env";
import { createToxiproxy, ToxiproxyError } from "./toxiproxy";

// .stack/env gets TOXIPROXY_URL once stack.sh runs the toxiproxy component; until then the
// component's own env file (scripts/stack/toxiproxy.sh up writes it) is read directly.
const stack = readStackEnv();
const stackDir = process.env.STACK_DIR ?? stack.STACK_DIR ?? path.join(process.cwd(), ".stack");
const env = { ...readEnvFile(path.join(stackDir, "toxiproxy", "env")), ...stack };
const need = (key: string): string => {
  const v = env[key];
  if (!v) throw new Error(`${key} is not set: run \`bash scripts/stack/toxiproxy.sh up\` (or scripts/stack.sh up)`);
  return v;
};

const toxi = createToxiproxy(need("TOXIPROXY_URL"));
const pdnsUrl = `${need("TOXI_PDNS_API_URL")}/api/v1/servers/localhost`;
const [dbHost, dbPort] = need("TOXI_MARIADB_ADDRESS").split(":") as [string, string];
const mailDb = new URL(need("MAIL_DB_URL"));

/** One PowerDNS API request through the pdns-api proxy; resolves to the HTTP status. */
async function pdnsThroughProxy(): Promise<number> {
  const res = await fetch(pdnsUrl, {
    headers: { "X-API-Key": need("PDNS_API_KEY") },
    signal: AbortSignal.timeout(5_000),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The error code of a fetch that failed below HTTP (fetch wraps it in `cause`). */
async function connectionError(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(TypeError); // undici: "fetch failed"
  const cause = (e as { cause?: { code?: string } }).cause;
  return cause?.code ?? String(cause);
}

const connectMailDb = () =>
  mysql.createConnection({
    host: dbHost,
    port: Number(dbPort),
    user: decodeURIComponent(mailDb.username),
    password: decodeURIComponent(mailDb.password),
    database: mailDb.pathname.slice(1),
    connectTimeout: 5_000,
  });

beforeAll(async () => {
  await toxi.reset();
});
afterEach(async () => {
  await toxi.reset();
});
afterAll(async () => {
  await toxi.reset();
});

describe("Toxiproxy helper against the local stack", () => {
  it("knows the stack's proxies, enabled and without toxics after reset()", async () => {
    const proxies = await toxi.list();
    expect(Object.keys(proxies).sort()).toEqual(["kube-apiserver", "mariadb", "pdns-api"]);
    for (const p of Object.values(proxies)) {
      expect(p.enabled).toBe(true);
      expect(p.toxics).toEqual([]);
    }
    expect(proxies["pdns-api"]?.upstream).toBe(new URL(need("PDNS_API_URL")).host);
  });

  it("PowerDNS API through pdns-api: works, refused while disabled, works again after enable", async () => {
    expect(await pdnsThroughProxy()).toBe(200);

    const state = await toxi.disable("pdns-api");
    expect(state.enabled).toBe(false);
    expect(await connectionError(pdnsThroughProxy())).toBe("ECONNREFUSED");

    expect((await toxi.enable("pdns-api")).enabled).toBe(true);
    expect(await pdnsThroughProxy()).toBe(200);
  });

  it("a 500 ms latency toxic makes a request take at least 500 ms; removing it makes it fast again", async () => {
    await pdnsThroughProxy(); // warm
    const toxic = await toxi.addToxic("pdns-api", { name: "slow", type: "latency", attributes: { latency: 500 } });
    expect(toxic).toMatchObject({ name: "slow", type: "latency", stream: "downstream", attributes: { latency: 500 } });
    expect((await toxi.get("pdns-api")).toxics.map((t) => t.name)).toEqual(["slow"]);

    let t0 = performance.now();
    expect(await pdnsThroughProxy()).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(500);

    await toxi.removeToxic("pdns-api", "slow");
    t0 = performance.now();
    expect(await pdnsThroughProxy()).toBe(200);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it("API errors are ToxiproxyError with the status (unknown toxic 404, duplicate toxic name 409)", async () => {
    const missing = await toxi.removeToxic("pdns-api", "nope").then(() => null, (e: unknown) => e);
    expect(missing).toBeInstanceOf(ToxiproxyError);
    expect((missing as ToxiproxyError).status).toBe(404);

    await toxi.addToxic("pdns-api", { name: "cut", type: "reset_peer", attributes: { timeout: 0 }, stream: "upstream" });
    const dup = await toxi
      .addToxic("pdns-api", { name: "cut", type: "timeout", attributes: { timeout: 0 } })
      .then(() => null, (e: unknown) => e);
    expect((dup as ToxiproxyError).status).toBe(409);
    // reset_peer: the connection is reset instead of answered.
    expect(await connectionError(pdnsThroughProxy())).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
  });

  it("withProxyDown: an outage in the middle of a retrying caller, which succeeds once the proxy is back", async () => {
    const t0 = performance.now();
    let failures = 0;
    const status = await toxi.withProxyDown("pdns-api", 700, async () => {
      for (;;) {
        try {
          return await pdnsThroughProxy();
        } catch {
          failures++;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    });
    expect(status).toBe(200);
    expect(failures).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(700);
    expect((await toxi.get("pdns-api")).enabled).toBe(true);
  });

  it("withProxyDown re-enables the proxy even when fn throws, and rethrows", async () => {
    const err = await toxi
      .withProxyDown("pdns-api", 50, () => Promise.reject(new Error("boom")))
      .then(() => null, (e: unknown) => e);
    expect((err as Error).message).toBe("boom");
    expect((await toxi.get("pdns-api")).enabled).toBe(true);
  });

  it("MariaDB through mariadb (mysql2): works, the open connection breaks and new ones are refused while disabled", async () => {
    const conn = await connectMailDb();
    try {
      const [rows] = await conn.query("SELECT 1 AS one, DATABASE() AS db");
      expect(rows).toEqual([{ one: 1, db: mailDb.pathname.slice(1) }]);

      await toxi.disable("mariadb");
      await expect(conn.query("SELECT 1")).rejects.toThrow();
      await expect(connectMailDb()).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      conn.destroy();
    }

    await toxi.enable("mariadb");
    const again = await connectMailDb();
    try {
      const [rows] = await again.query("SELECT 2 AS two");
      expect(rows).toEqual([{ two: 2 }]);
    } finally {
      await again.end();
    }
  });

  // The cluster is part of the stack npm test starts.
  const kubeconfig = env.KUBECONFIG ?? path.join(stackDir, "kubeconfig");
  it(
    "kube-apiserver through kube-apiserver: its serving certificate verifies for 127.0.0.1 via the proxy",
    async () => {
      const caData = /certificate-authority-data:\s*(\S+)/.exec(readFileSync(kubeconfig, "utf8"))?.[1];
      expect(caData).toBeTruthy();
      const server = new URL(need("TOXI_KUBE_SERVER"));
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const s = tls.connect({
          host: server.hostname,
          port: Number(server.port),
          ca: Buffer.from(caData ?? "", "base64"),
          rejectUnauthorized: true,
        });
        s.once("secureConnect", () => {
          resolve(s.authorized);
          s.end();
        });
        s.once("error", reject);
      });
      expect(authorized).toBe(true);
    },
  );
});
