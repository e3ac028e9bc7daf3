import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import { loadViewer } from "@/server/auth/viewer";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

/** Test data, each call unique, so tests never depend on one another's rows. */
export const uniq = () => randomBytes(5).toString("hex");

export async function plan(slug = "starter") {
  return db.plan.upsert({
    where: { slug },
    create: {
      slug,
      name: slug,
      cpuRequestM: 500,
      cpuLimitM: 1000,
      memoryRequestMi: 512,
      memoryLimitMi: 1024,
      maxPvcs: 2,
      storageGi: 5,
      maxMailboxes: 5,
    },
    update: {},
  });
}

export async function partner(name = `Partner ${uniq()}`) {
  return db.partner.create({ data: { slug: `p-${uniq()}`, name } });
}

export async function customer(partnerId: string, name = `Customer ${uniq()}`) {
  const p = await plan();
  return db.customer.create({ data: { name, partnerId, planId: p.id } });
}

export async function user(opts: { password?: string; disabled?: boolean } = {}) {
  const password = opts.password ?? `pw-${uniq()}-${uniq()}`;
  const u = await db.user.create({
    data: {
      email: `u-${uniq()}@example.org`,
      name: "Test User",
      passwordHash: await hashPassword(password),
      disabled: opts.disabled ?? false,
    },
  });
  return { ...u, password };
}

export async function member(userId: string, scope: { platform?: true; partnerId?: string; customerId?: string }) {
  const role = scope.platform ? "PLATFORM_ADMIN" : scope.partnerId ? "PARTNER_ADMIN" : "CUSTOMER";
  await db.membership.create({
    data: {
      userId,
      role,
      partnerId: scope.partnerId ?? null,
      customerId: scope.customerId ?? null,
      customerRole: role === "CUSTOMER" ? "OWNER" : null,
    },
  });
}

/** A server-side tRPC caller acting as this user (or as nobody). */
export async function callerFor(userId: string | null) {
  const viewer = userId ? await loadViewer(userId, "test-session") : null;
  return createCaller(await createTRPCContext({ headers: new Headers(), viewer }));
}

/** A plan with room for many domains and mailboxes (integration tests, benchmarks); `replicas` gives a variant with more app replicas. */
export async function roomyPlan(replicas = 1) {
  const slug = replicas === 1 ? "test-roomy" : `test-roomy-x${replicas}`;
  return db.plan.upsert({
    where: { slug },
    create: {
      slug,
      name: "Roomy",
      cpuRequestM: 8000,
      cpuLimitM: 16000,
      memoryRequestMi: 16384,
      memoryLimitMi: 32768,
      maxPvcs: 50,
      storageGi: 100,
      maxMailboxes: null,
      maxDomains: null,
      appReplicas: replicas,
    },
    update: {},
  });
}

/** A customer on the roomy plan, with its scope as the services take it. */
export async function roomyCustomer() {
  const p = await partner();
  const plan = await roomyPlan();
  const c = await db.customer.create({ data: { name: `Customer ${uniq()}`, partnerId: p.id, planId: plan.id } });
  return { customer: c, scope: { kind: "customer" as const, customerId: c.id, partnerId: p.id } };
}
