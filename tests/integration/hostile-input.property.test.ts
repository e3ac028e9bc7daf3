import fc from "fast-check";
import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { loadViewer, type Viewer } from "@/server/auth/viewer";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { createApiToken } from "@/server/services/api-tokens/tokens";
import { handleTrpc } from "@/app/api/trpc/[trpc]/handler";
import { POST as restAddDomain } from "@/app/api/v1/domains/route";
import { addDomainInput } from "@/server/services/domains/add-domain.schema";
import { customer, member, partner, user } from "../fixtures";
import { hostileString, shapedLike, structural } from "../helpers/hostile-input";

/**
 * Every tRPC procedure (walked from the router, so procedures added later are
 * covered without touching this file) and every REST route, as every role,
 * with generated hostile inputs: no 5xx, no stack or SQL text in any body, and
 * no row written by a refused call outside the audit, throttle and
 * idempotency tables (the last records the refusal so a retry replays it).
 * Replay a failure with PROPERTY_SEED=<the printed seed>.
 */
const SEED = Number(process.env.PROPERTY_SEED ?? 20261202);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 12);
const ORIGIN = "http://127.0.0.1:3000";
const LEAK = /PrismaClient|prisma\.|\$queryRaw|invalid byte sequence|violates [a-z ]*constraint|relation "[^"]*" does not exist|syntax error at or near|\bat [\w$.<>]+ \([^)]*:\d+:\d+\)|node_modules|22021/;
const UNCOUNTED = new Set(["AuditEvent", "LoginThrottle", "IdempotencyKey", "_prisma_migrations"]);

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: { _zod?: { def: never } }[] } };
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures);

let tables: string[] = [];
async function rowCounts(): Promise<Record<string, number>> {
  const sql = tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM "${t}"`).join(" UNION ALL ");
  const rows = await db.$queryRawUnsafe<{ t: string; n: number }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

const roles: Record<string, Viewer | null> = {};
const tokens: Record<string, string | null> = {};
let pool: string[] = [];

beforeAll(async () => {
  const found = await db.$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
  tables = found.map((r) => r.tablename).filter((t) => !UNCOUNTED.has(t));
  const p = await partner();
  const c = await customer(p.id);
  const admin = await user();
  await member(admin.id, { platform: true });
  const partnerAdmin = await user();
  await member(partnerAdmin.id, { partnerId: p.id });
  const owner = await user();
  await member(owner.id, { customerId: c.id });
  const memberUser = await user();
  await db.membership.create({ data: { userId: memberUser.id, role: "CUSTOMER", customerId: c.id, customerRole: "MEMBER" } });
  for (const [name, id] of Object.entries({ admin: admin.id, partnerAdmin: partnerAdmin.id, owner: owner.id, member: memberUser.id })) {
    roles[name] = await loadViewer(id, "property-test");
  }
  roles.anonymous = null;
  tokens.platform = (await createApiToken({ name: "prop", scope: { kind: "platform" } })).token;
  tokens.customer = (await createApiToken({ name: "prop", scope: { kind: "customer", customerId: c.id, partnerId: p.id } })).token;
  tokens.none = null;
  tokens.garbage = "berth_\u00ff\u00fe not a token";
  pool = [c.id, p.id, "shop.example.com", "starter", "professional", `info@${c.id}.example`];
  console.log(`[property] seed ${SEED}, ${RUNS} runs per procedure and role; replay with PROPERTY_SEED=${SEED}`);
});

function assertSafe(status: number, body: string, what: string) {
  expect(status, `${what} answered ${status}: ${body.slice(0, 300)}`).toBeLessThan(500);
  expect(body, `${what} leaked internals`).not.toMatch(LEAK);
}

function trpcRequest(path: string, type: string, input: unknown, rawBody: string | null): Request {
  const headers = { origin: ORIGIN, host: "127.0.0.1:3000", "sec-fetch-site": "same-origin", "content-type": "application/json" };
  const wire = JSON.stringify(superjson.serialize(input));
  if (type === "query") return new Request(`${ORIGIN}/api/trpc/${path}?input=${encodeURIComponent(rawBody ?? wire)}`, { headers });
  return new Request(`${ORIGIN}/api/trpc/${path}`, { method: "POST", headers, body: rawBody ?? wire });
}

const rawBodies = fc.oneof(
  fc.constant(null),
  fc.constant(null),
  fc.constantFrom("{", "null", "[]", '{"json":{"__proto__":{"x":1}}}', '{"json":1,"meta":{"values":{"":["Date"]}}}', '{"json":"a","meta":{"values":["map"]}}'),
);

describe("hostile input: no 5xx anywhere", { timeout: 600_000 }, () => {
  it("walks every tRPC procedure as every role", async () => {
    expect(procedures.length).toBeGreaterThan(10);
    for (const [path, proc] of procedures) {
      if (proc._def.type === "subscription") continue;
      const input = fc.oneof({ weight: 6, arbitrary: shapedLike(proc._def.inputs[0]?._zod?.def, pool) }, { weight: 1, arbitrary: structural });
      for (const [role, viewer] of Object.entries(roles)) {
        await fc.assert(
          fc.asyncProperty(input, rawBodies, async (value, raw) => {
            const before = await rowCounts();
            const res = await handleTrpc(trpcRequest(path, proc._def.type, value, raw), () => createTRPCContext({ headers: new Headers(), viewer }));
            const body = await res.text();
            assertSafe(res.status, body, `${role} ${path}`);
            if (res.status >= 400) expect(await rowCounts(), `${role} ${path} was refused (${res.status}) but wrote rows`).toEqual(before);
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
      }
    }
  });

  it("walks POST /api/v1/domains as every kind of token", async () => {
    const key = fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."ab-_ é\u00ff%0\t".split("")), maxLength: 210 }) },
    );
    const body = fc.oneof(
      { weight: 8, arbitrary: shapedLike(addDomainInput._zod.def as never, pool).map((v) => JSON.stringify(v) ?? "") },
      { weight: 1, arbitrary: structural.map((v) => JSON.stringify(v) ?? "") },
      { weight: 1, arbitrary: hostileString() },
    );
    for (const [kind, token] of Object.entries(tokens)) {
      await fc.assert(
        fc.asyncProperty(body, key, fc.boolean(), async (raw, idem, dryRun) => {
          const headers = new Headers({ "content-type": "application/json" });
          if (token) headers.set("authorization", `Bearer ${token}`);
          if (idem !== undefined) headers.set("idempotency-key", idem);
          const before = await rowCounts();
          const res = await restAddDomain(new Request(`${ORIGIN}/api/v1/domains${dryRun ? "?dryRun=true" : ""}`, { method: "POST", headers, body: raw }));
          const text = await res.text();
          assertSafe(res.status, text, `${kind} token POST /api/v1/domains`);
          if (res.status >= 400) expect(await rowCounts(), `refused (${res.status}) but wrote rows`).toEqual(before);
        }),
        { seed: SEED, numRuns: RUNS * 10, endOnFailure: true },
      );
    }
  });
});
