import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/domains/route";
import { DELETE as DELETE_CUSTOMER } from "@/app/api/v1/customers/[customerId]/route";
import { STEP_CATALOG } from "@/lib/provisioning/catalog";
import { db } from "@/server/db";
import { createApiToken } from "@/server/services/api-tokens/tokens";
import { roomyCustomer, uniq } from "../fixtures";

afterAll(async () => {
  await db.domain.deleteMany({ where: { observedGeneration: 0, runs: { none: {} }, customer: { name: { startsWith: "Customer " } } } });
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return POST(
    new Request("http://panel.test/api/v1/domains", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

describe("POST /api/v1/domains", () => {
  it("needs a valid token: none, malformed, unknown and revoked tokens are 401", async () => {
    const { scope } = await roomyCustomer();
    expect((await post({ domain: "x.com" })).status).toBe(401);
    expect((await post({ domain: "x.com" }, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await post({ domain: "x.com" }, { authorization: `Bearer berth_${"A".repeat(43)}` })).status).toBe(401);
    const t = await createApiToken({ name: "revoked", scope });
    await db.apiToken.update({ where: { id: t.id }, data: { revokedAt: new Date() } });
    const res = await post({ domain: "x.com" }, { authorization: `Bearer ${t.token}` });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/not valid/);
  });

  it("stores only the token's hash", async () => {
    const { scope } = await roomyCustomer();
    const t = await createApiToken({ name: "hash", scope });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(t.token);
  });

  it("a customer token adds a domain to its own customer and answers 202 pending at once", async () => {
    const { customer, scope } = await roomyCustomer();
    const t = await createApiToken({ name: "ci", scope });
    const domain = `api-${uniq()}.com`;
    const res = await post(
      { domain, includeDatabase: true, mailUsers: [{ email: `ops@${domain}`, password: "Api-created-box-1" }], aliases: [{ source: `postmaster@${domain}`, destination: `ops@${domain}` }] },
      { authorization: `Bearer ${t.token}` },
    );
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; domain: string; status: string };
    expect(body).toMatchObject({ domain, status: "pending" });
    const row = await db.domain.findUniqueOrThrow({ where: { id: body.id }, include: { mailboxes: true, aliases: true } });
    expect(row.customerId).toBe(customer.id);
    expect(row.options).toMatchObject({ includeDatabase: true });
    expect(row.mailboxes.map((m) => m.address)).toEqual([`ops@${domain}`]);
    const audit = await db.auditEvent.findFirst({ where: { targetId: body.id, action: "domain.add" } });
    expect(audit?.metadata).toMatchObject({ via: "api" });
  });

  it("a customer token cannot name another customer (404), a platform token must name one (400)", async () => {
    const a = await roomyCustomer();
    const b = await roomyCustomer();
    const t = await createApiToken({ name: "a", scope: a.scope });
    const res = await post({ customerId: b.customer.id, domain: `x-${uniq()}.com` }, { authorization: `Bearer ${t.token}` });
    expect(res.status).toBe(404);
    const platform = await createApiToken({ name: "platform", scope: { kind: "platform" } });
    const missing = await post({ domain: `x-${uniq()}.com` }, { authorization: `Bearer ${platform.token}` });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorBody).error.fields?.customerId).toBe("Required");
    const ok = await post({ customerId: b.customer.id, domain: `x-${uniq()}.com` }, { authorization: `Bearer ${platform.token}` });
    expect(ok.status).toBe(202);
    expect(await db.domain.count({ where: { customerId: b.customer.id } })).toBe(1);
    expect(await db.domain.count({ where: { customerId: a.customer.id } })).toBe(0);
  });

  it("answers bad input with 400 and the reason per field, never 500", async () => {
    const { scope } = await roomyCustomer();
    const auth = { authorization: `Bearer ${(await createApiToken({ name: "bad", scope })).token}` };
    const cases: Array<[unknown, Record<string, string>, RegExp]> = [
      ["{not json", auth, /not valid JSON/],
      [{ domain: "ok.com" }, { ...auth, "content-type": "text/plain" }, /Content-Type: application\/json/],
      [{ domain: "co.uk" }, auth, /public suffix/],
      [{ domain: 42 }, auth, /fields need attention/],
      [{ domain: `ok-${uniq()}.com`, image: "$(reboot)" }, auth, /fields need attention/],
      [{ domain: `ok-${uniq()}.com`, mailUsers: [{ localPart: "a/b", password: "Long-enough-pass" }] }, auth, /need attention/],
    ];
    for (const [body, headers, message] of cases) {
      const res = await post(body, headers);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(message);
    }
  });

  it("honours Idempotency-Key: a repeat replays the first answer, a different body with the same key is refused", async () => {
    const { customer, scope } = await roomyCustomer();
    const auth = { authorization: `Bearer ${(await createApiToken({ name: "idem", scope })).token}` };
    const domain = `idem-${uniq()}.com`;
    const key = `order-${uniq()}`;
    const first = await post({ domain }, { ...auth, "idempotency-key": key });
    const again = await post({ domain }, { ...auth, "idempotency-key": key });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await db.domain.count({ where: { customerId: customer.id } })).toBe(1);
    const other = await post({ domain: `other-${uniq()}.com` }, { ...auth, "idempotency-key": key });
    expect(other.status).toBe(409);
    // Concurrent repeats of one new key: one acts; the others replay it or are told it is in progress.
    const k2 = `burst-${uniq()}`;
    const d2 = `burst-${uniq()}.com`;
    const burst = await Promise.all(Array.from({ length: 5 }, () => post({ domain: d2 }, { ...auth, "idempotency-key": k2 })));
    const bodies = (await Promise.all(burst.map((r) => r.json()))) as Array<{ id?: string; error?: { message: string } }>;
    expect(burst.filter((r) => r.status === 202 && r.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    for (const [i, r] of burst.entries()) {
      if (r.status === 409) expect(bodies[i]?.error?.message).toMatch(/still being processed/);
      else expect(r.status).toBe(202);
    }
    expect(await db.domain.count({ where: { name: d2 } })).toBe(1);
    const replay = await post({ domain: d2 }, { ...auth, "idempotency-key": k2 });
    expect(replay.status).toBe(202);
    expect(((await replay.json()) as { domain: string }).domain).toBe(d2);
  });
});

describe("POST /api/v1/domains?dryRun=true and DELETE /api/v1/customers/{id}", () => {
  it("a dry run answers the pipeline's own plan, step by step, and writes nothing", async () => {
    const { customer, scope } = await roomyCustomer();
    const t = await createApiToken({ name: "dry", scope });
    const domain = `dry-${uniq()}.com`;
    const res = await POST(
      new Request("http://panel.test/api/v1/domains?dryRun=true", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${t.token}` },
        body: JSON.stringify({ domain, mailUsers: [{ localPart: "ops", password: "Dry-run-pass-1" }] }),
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { dryRun: boolean; steps: Array<{ kind: string; name: string; title: string; changes: Array<{ action: string; target: string }> }> };
    expect(body.dryRun).toBe(true);
    expect(body.steps.filter((s) => s.kind === "Domain").map((s) => s.name)).toEqual(STEP_CATALOG.Domain.map((s) => s.name));
    expect(body.steps.flatMap((s) => s.changes).map((c) => `${c.action} ${c.target}`)).toEqual(expect.arrayContaining([`create zone ${domain}.`, `create virtual_users ops@${domain}`]));
    expect(await db.domain.count({ where: { customerId: customer.id } })).toBe(0);
  });

  it("only a platform token deletes a customer; 202 at once, and its domains are marked for removal", async () => {
    const { customer, scope } = await roomyCustomer();
    const own = await createApiToken({ name: "own", scope });
    const platform = await createApiToken({ name: "platform", scope: { kind: "platform" } });
    const del = (token: string, id = customer.id) =>
      DELETE_CUSTOMER(new Request(`http://panel.test/api/v1/customers/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ customerId: id }) });
    expect((await del(own.token)).status).toBe(403);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).deletionRequested).toBe(false);
    expect((await del(platform.token, "no-such-customer")).status).toBe(404);
    const res = await del(platform.token);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id: customer.id, status: "deleting", domains: 0 });
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).deletionRequested).toBe(true);
  });
});
