import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { callerFor, customer, member, partner, user } from "../../../tests/fixtures";

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  return (e as TRPCError).code;
}

describe("every procedure is scoped by the session, not by ids in the input", () => {
  it("a customer sees its own overview and gets NOT_FOUND for another customer's id", async () => {
    const p = await partner();
    const mine = await customer(p.id);
    const theirs = await customer(p.id);
    const u = await user();
    await member(u.id, { customerId: mine.id });
    const api = await callerFor(u.id);
    expect((await api.customer.overview()).id).toBe(mine.id);
    expect((await api.customer.overview({ customerId: mine.id })).id).toBe(mine.id);
    expect(await codeOf(api.customer.overview({ customerId: theirs.id }))).toBe("NOT_FOUND");
    // Domains: another customer's domain id is "not found", whichever customer id is named.
    const d = await db.domain.create({ data: { customerId: theirs.id, name: `scope-${Date.now()}.com`, displayName: "x", verificationToken: "t" } });
    expect(await codeOf(api.customer.domains.get({ domainId: d.id }))).toBe("NOT_FOUND");
    expect(await codeOf(api.customer.domains.get({ customerId: theirs.id, domainId: d.id }))).toBe("NOT_FOUND");
    expect(await codeOf(api.customer.domains.delete({ domainId: d.id, confirm: d.name }))).toBe("NOT_FOUND");
    expect((await db.domain.findUniqueOrThrow({ where: { id: d.id } })).deletionRequested).toBe(false);
    await db.domain.delete({ where: { id: d.id } });
  });

  it("a partner admin lists only its own partner's customers, and cannot name another partner", async () => {
    const p1 = await partner();
    const p2 = await partner();
    const c1 = await customer(p1.id);
    const c2 = await customer(p2.id);
    const u = await user();
    await member(u.id, { partnerId: p1.id });
    const api = await callerFor(u.id);
    const ids = (await api.partner.customers()).map((c) => c.id);
    expect(ids).toContain(c1.id);
    expect(ids).not.toContain(c2.id);
    expect(await codeOf(api.partner.customers({ partnerId: p2.id }))).toBe("NOT_FOUND");
    // A partner admin may open its own customers' panel, not other partners' customers.
    expect((await api.customer.overview({ customerId: c1.id })).id).toBe(c1.id);
    expect(await codeOf(api.customer.overview({ customerId: c2.id }))).toBe("NOT_FOUND");
  });

  it("admin procedures refuse customers and partners, and everything refuses the signed-out", async () => {
    const p = await partner();
    const c = await customer(p.id);
    const cu = await user();
    await member(cu.id, { customerId: c.id });
    const pu = await user();
    await member(pu.id, { partnerId: p.id });
    expect(await codeOf((await callerFor(cu.id)).admin.customers())).toBe("FORBIDDEN");
    expect(await codeOf((await callerFor(pu.id)).admin.plans())).toBe("FORBIDDEN");
    expect(await codeOf((await callerFor(cu.id)).admin.retryDomain({ domainId: "x" }))).toBe("FORBIDDEN");
    expect(await codeOf((await callerFor(pu.id)).admin.domains())).toBe("FORBIDDEN");
    const anon = await callerFor(null);
    expect(await codeOf(anon.viewer.me())).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.customer.overview({ customerId: c.id }))).toBe("UNAUTHORIZED");
  });

  it("a platform admin sees every customer; bad input is a 400 with per-field messages", async () => {
    const p = await partner();
    const c = await customer(p.id);
    const u = await user();
    await member(u.id, { platform: true });
    const api = await callerFor(u.id);
    expect((await api.admin.customers()).map((x) => x.id)).toContain(c.id);
    const err = await api.admin.customers({ search: "x".repeat(101) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect(await codeOf(api.customer.overview({ customerId: 42 as unknown as string }))).toBe("BAD_REQUEST");
  });

  it("a user with no membership is refused the customer panel", async () => {
    const u = await user();
    expect(await codeOf((await callerFor(u.id)).customer.overview())).toBe("FORBIDDEN");
  });
});
