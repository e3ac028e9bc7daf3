/**
 * Creates this run's accounts in the test database and prints them as JSON.
 * Run by e2e/helpers/global-setup.ts through tsx (it needs the server code).
 */
import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import type { Role } from "@/generated/prisma/client";

const run = randomBytes(4).toString("hex");

async function account(label: string, name: string, role: Role | null, scope: { partnerId?: string; customerId?: string } = {}) {
  const email = `${label}-${run}@e2e.berth.test`;
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const user = await db.user.create({ data: { email, name, passwordHash: await hashPassword(password) } });
  if (role) {
    await db.membership.create({
      data: {
        userId: user.id,
        role,
        partnerId: scope.partnerId ?? null,
        customerId: scope.customerId ?? null,
        customerRole: role === "CUSTOMER" ? "OWNER" : null,
      },
    });
  }
  return { email, password, name };
}

async function main() {
  // Domains an earlier, interrupted run left behind: have the server's worker remove them.
  await db.domain.updateMany({
    where: { customer: { name: { startsWith: "Seaside Cafe " } }, deletionRequested: false },
    data: { deletionRequested: true, generation: { increment: 1 }, dueAt: new Date(0), leaseUntil: null },
  });
  const plan = await db.plan.upsert({
    where: { slug: "starter" },
    create: { slug: "starter", name: "Starter", cpuRequestM: 500, cpuLimitM: 1000, memoryRequestMi: 512, memoryLimitMi: 1024, maxPvcs: 2, storageGi: 5, maxMailboxes: 5, maxDomains: 3 },
    update: {},
  });
  const partner = await db.partner.create({ data: { slug: `e2e-${run}`, name: `Harbour Hosting ${run}` } });
  const customer = await db.customer.create({ data: { name: `Seaside Cafe ${run}`, partnerId: partner.id, planId: plan.id } });
  const out = {
    run,
    partnerName: partner.name,
    customerName: customer.name,
    admin: await account("admin", "Ada Admin", "PLATFORM_ADMIN"),
    partner: await account("partner", "Pat Partner", "PARTNER_ADMIN", { partnerId: partner.id }),
    customer: await account("customer", "Cora Customer", "CUSTOMER", { customerId: customer.id }),
    throttled: await account("throttled", "Theo Throttled", "CUSTOMER", { customerId: customer.id }),
    revoked: await account("revoked", "Rhea Revoked", "CUSTOMER", { customerId: customer.id }),
  };
  process.stdout.write(JSON.stringify(out));
  await db.$disconnect();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
