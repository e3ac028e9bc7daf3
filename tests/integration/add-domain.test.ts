import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { addDomain } from "@/server/services/domains/add-domain";
import { addDomainInput, type AddDomainInput } from "@/server/services/domains/add-domain.schema";
import { customer as makeCustomer, partner, plan, roomyCustomer, uniq } from "../fixtures";

const actor = { userId: null, ip: "test" };

// These domains are desired state only: drop them before a later file's worker would provision them.
afterAll(async () => {
  await db.domain.deleteMany({ where: { observedGeneration: 0, runs: { none: {} }, customer: { name: { startsWith: "Customer " } } } });
});
const input = (domain: string, extra: Partial<AddDomainInput> = {}): AddDomainInput => addDomainInput.parse({ domain, ...extra });

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** Nothing is written when a request is refused: the customer's rows are the same before and after. */
async function counts(customerId: string) {
  return {
    domains: await db.domain.count({ where: { customerId } }),
    mailboxes: await db.mailbox.count({ where: { domain: { customerId } } }),
    aliases: await db.alias.count({ where: { domain: { customerId } } }),
  };
}

describe("adding a domain records desired state, or refuses clearly and writes nothing", () => {
  it("normalises Unicode, upper case and a trailing dot, and returns pending at once", async () => {
    const { scope } = await roomyCustomer();
    const tag = uniq();
    const d = await addDomain(scope, input(`BÜCHER-${tag}.DE.`), actor);
    expect(d.name).toBe(new URL(`http://bücher-${tag}.de`).hostname);
    expect(d.name.startsWith("xn--")).toBe(true);
    expect(d.displayName).toBe(`bücher-${tag}.de`);
    expect(d.status).toBe("PENDING");
    expect(d.generation).toBe(1);
    const row = await db.domain.findUniqueOrThrow({ where: { id: d.id }, select: { observedGeneration: true, verificationToken: true } });
    expect(row.observedGeneration).toBe(0);
    expect(row.verificationToken).toMatch(/^[0-9a-f]{32}$/);
  });

  it("stores mailboxes with a Dovecot-compatible bcrypt hash, never the password", async () => {
    const { scope } = await roomyCustomer();
    const name = `mail-${uniq()}.com`;
    const d = await addDomain(scope, input(name, { mailUsers: [{ localPart: "Sales", password: "Correct-Horse-9" }], aliases: [{ source: "info", destination: "Someone@Elsewhere.ORG" }] }), actor);
    const mb = await db.mailbox.findFirstOrThrow({ where: { domainId: d.id } });
    expect(mb.address).toBe(`sales@${name}`);
    expect(mb.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(mb.passwordHash).not.toContain("Correct-Horse-9");
    const alias = await db.alias.findFirstOrThrow({ where: { domainId: d.id } });
    expect(alias).toMatchObject({ source: `info@${name}`, destination: "someone@elsewhere.org" });
  });

  it.each([
    ["", /Enter a domain name/],
    ["not a domain", /without spaces/],
    ["http://shop.com/path", /without spaces, http/],
    [`${"a".repeat(64)}.com`, /63 characters/],
    [`${"abcdefghij.".repeat(25)}com`, /253 characters/],
    ["co.uk", /public suffix/],
    ["shop.test", /RFC 2606/],
    ["example.com", /RFC 2606/],
    ["printer.local", /RFC 6762/],
    ["berth.test", /RFC 2606|platform/],
    ["shop.notarealtld", /not a domain ending/],
    ["<script>.com", /not allowed|not a valid/],
  ])("refuses %j with a reason, writing nothing", async (domain, reason) => {
    const { customer, scope } = await roomyCustomer();
    const before = await counts(customer.id);
    const e = await refusal(addDomain(scope, input(domain), actor));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.httpStatus).toBe(400);
    expect(e.fields?.domain).toMatch(reason);
    expect(await counts(customer.id)).toEqual(before);
  });

  it("refuses another customer's domain, its parent and its child, without naming the other customer", async () => {
    const a = await roomyCustomer();
    const b = await roomyCustomer();
    const base = `owned-${uniq()}.co.uk`;
    await addDomain(a.scope, input(`shop.${base}`), actor);
    for (const name of [`shop.${base}`, base, `eu.shop.${base}`]) {
      const e = await refusal(addDomain(b.scope, input(name), actor));
      expect(e.code).toBe("CONFLICT");
      expect(e.httpStatus).toBe(409);
      expect(e.message).not.toContain(a.customer.name);
    }
    expect(await counts(b.customer.id)).toEqual({ domains: 0, mailboxes: 0, aliases: 0 });
    // B's own sub-domain in the way does not hide A's parent: still refused.
    await db.domain.create({ data: { customerId: b.customer.id, name: `x.eu.shop.${base}`, displayName: "x", verificationToken: "t" } });
    expect((await refusal(addDomain(b.scope, input(`eu.shop.${base}`), actor))).code).toBe("CONFLICT");
    await db.domain.deleteMany({ where: { name: `x.eu.shop.${base}` } });
    // The owner itself may add a sub-domain of its own domain; twice is a conflict.
    await addDomain(a.scope, input(`blog.shop.${base}`), actor);
    expect((await refusal(addDomain(a.scope, input(`SHOP.${base}.`), actor))).message).toMatch(/already added/);
  });

  it("refuses hostile mailbox names and weak passwords field by field, writing nothing", async () => {
    const { customer, scope } = await roomyCustomer();
    const name = `hostile-${uniq()}.net`;
    const e = await refusal(
      addDomain(
        scope,
        input(name, {
          mailUsers: [
            { localPart: "../../etc/passwd", password: "Long-enough-pass-1" },
            { localPart: "a b", password: "Long-enough-pass-2" },
            { localPart: "x".repeat(65), password: "Long-enough-pass-3" },
            { email: `eve@other-${uniq()}.net`, password: "Long-enough-pass-4" },
            { localPart: "dup", password: "Long-enough-pass-5" },
            { localPart: "DUP", password: "Long-enough-pass-6" },
            { localPart: "robert", password: "robert-2024-password" },
          ],
          aliases: [{ source: `info@elsewhere-${uniq()}.com`, destination: "x@y.org" }],
        }),
        actor,
      ),
    );
    expect(e.code).toBe("BAD_REQUEST");
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(
      ["aliases.0.source", "mailUsers.0.localPart", "mailUsers.1.localPart", "mailUsers.2.localPart", "mailUsers.3.email", "mailUsers.5.localPart", "mailUsers.6.password"].sort(),
    );
    expect(await counts(customer.id)).toEqual({ domains: 0, mailboxes: 0, aliases: 0 });
    // Schema-level refusals (length, control characters) come from zod before the service.
    expect(addDomainInput.safeParse({ domain: name, mailUsers: [{ localPart: "ok", password: "short" }] }).success).toBe(false);
    expect(addDomainInput.safeParse({ domain: name, mailUsers: [{ localPart: "ok", password: "has\u0000a-null-byte" }] }).success).toBe(false);
    expect(addDomainInput.safeParse({ domain: name, image: "nginx; rm -rf /" }).success).toBe(false);
  });

  it("holds the plan's limits", async () => {
    const p = await partner();
    const c = await makeCustomer(p.id); // starter-like test plan: 5 mailboxes
    expect((await plan()).maxMailboxes).toBe(5);
    const scope = { kind: "customer" as const, customerId: c.id, partnerId: p.id };
    const six = Array.from({ length: 6 }, (_, i) => ({ localPart: `user${i}`, password: `Strong-pass-${i}-xyz` }));
    const e = await refusal(addDomain(scope, input(`limits-${uniq()}.com`, { mailUsers: six }), actor));
    expect(e.code).toBe("PRECONDITION_FAILED");
    expect(e.message).toMatch(/includes 5 mailboxes/);
    expect(await counts(c.id)).toEqual({ domains: 0, mailboxes: 0, aliases: 0 });
  });

  it("refuses a suspended customer", async () => {
    const { customer, scope } = await roomyCustomer();
    await db.customer.update({ where: { id: customer.id }, data: { suspended: true } });
    expect((await refusal(addDomain(scope, input(`susp-${uniq()}.com`), actor))).code).toBe("FORBIDDEN");
  });

  it("lets exactly one of many concurrent requests for the same name in", async () => {
    const { customer, scope } = await roomyCustomer();
    const name = `race-${uniq()}.com`;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => addDomain(scope, input(name), actor)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).code).toBe("CONFLICT");
    expect(await db.domain.count({ where: { customerId: customer.id } })).toBe(1);
  });

  it("lets exactly one of two customers racing for a parent and its child in", async () => {
    const a = await roomyCustomer();
    const b = await roomyCustomer();
    const base = `family-${uniq()}.com`;
    const results = await Promise.allSettled([addDomain(a.scope, input(base), actor), addDomain(b.scope, input(`www2.${base}`), actor)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.domain.count({ where: { OR: [{ name: base }, { name: `www2.${base}` }] } })).toBe(1);
  });
});
