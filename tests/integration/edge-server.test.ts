import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The standalone output's server.js (scripts/standalone.sh installs it in front of Next's).
import { installClientAddress } from "../../scripts/app/edge-server.mjs";

let server: http.Server;
let port = 0;

/** A GET from one loopback address (all of 127/8 is this machine), with whatever X-Forwarded-For the client chose. */
function get(localAddress: string, forwardedFor?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: "127.0.0.1", port, path: "/", localAddress, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve(body));
      },
    );
    req.on("error", reject);
  });
}

beforeAll(async () => {
  installClientAddress(0);
  // Created after the install, as Next's server is: it sees the header the edge wrote.
  server = http.createServer((req, res) => res.end(String(req.headers["x-forwarded-for"])));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("edge server: the client address comes from the socket", () => {
  it("overwrites a client-sent X-Forwarded-For with the socket's address", async () => {
    expect(await get("127.0.0.5", "203.0.113.7")).toBe("127.0.0.5");
    expect(await get("127.0.0.5", "203.0.113.7, 10.0.0.1")).toBe("127.0.0.5");
  });
  it("tells two clients apart, and fills the header when none was sent", async () => {
    expect(await get("127.0.0.6")).toBe("127.0.0.6");
    expect(await get("127.0.0.7")).toBe("127.0.0.7");
  });
  it("tells the app that the header is the socket's", () => {
    expect(process.env.BERTH_EDGE_SERVER).toBe("true");
  });
});
