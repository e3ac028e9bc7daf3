/**
 * Seeds what a fresh Berth needs (plans, the platform's own partner, a platform
 * admin) and, unless BERTH_SEED_DEMO=0, a demo partner with one customer.
 * Idempotent: a second run changes nothing. Passwords are generated on first
 * run, stored hashed in the DB and in clear only in .stack/demo-logins (mode
 * 0600, for the developer's eyes), and printed.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import type { Role } from "@/generated/prisma/client";

export const PLANS = [
  {
    slug: "starter",
    name: "Starter",
    description: "One small site with mail.",
    cpuRequestM: 500,
    cpuLimitM: 1000,
    memoryRequestMi: 512,
    memoryLimitMi: 1024,
    maxPvcs: 2,
    storageGi: 5,
    maxMailboxes: 5,
    maxDomains: 3,
    maxDatabases: 2,
    appReplicas: 1,
    priceCents: 900,
    sortOrder: 1,
  },
  {
    slug: "professional",
    name: "Professional",
    description: "Busy sites, two app replicas, room for a team's mail.",
    cpuRequestM: 2000,
    cpuLimitM: 4000,
    memoryRequestMi: 2048,
    memoryLimitMi: 4096,
    maxPvcs: 5,
    storageGi: 50,
    maxMailboxes: 50,
    maxDomains: 25,
    maxDatabases: 10,
    appReplicas: 2,
    priceCents: 4900,
    sortOrder: 2,
  },
  {
    slug: "enterprise",
    name: "Enterprise",
    description: "Large workloads; no mailbox, domain or database caps.",
    cpuRequestM: 4000,
    cpuLimitM: 8000,
    memoryRequestMi: 8192,
    memoryLimitMi: 16384,
    maxPvcs: 20,
    storageGi: 200,
    maxMailboxes: null,
    maxDomains: null,
    maxDatabases: null,
    appReplicas: 2,
    priceCents: 19900,
    sortOrder: 3,
  },
] as const;

type Login = { role: string; email: string; password: string };
const loginsFile = path.join(process.cwd(), ".stack", "demo-logins");

function storedLogins(): Map<string, string> {
  if (!existsSync(loginsFile)) return new Map();
  return new Map(
    readFileSync(loginsFile, "utf8")
      .split("\n")
      .map((l) => l.split(" "))
      .filter((p): p is [string, string, string] => p.length === 3)
      .map(([, email, pw]) => [email, pw]),
  );
}

async function ensureUser(email: string, name: string, known: Map<string, string>): Promise<{ id: string; password: string }> {
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  const stored = known.get(email);
  if (existing && stored) return { id: existing.id, password: stored };
  // New user, or its password was lost with .stack/: (re)generate one.
  const password = randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const user = await db.user.upsert({
    where: { email },
    create: { email, name, passwordHash },
    update: { passwordHash },
    select: { id: true },
  });
  return { id: user.id, password };
}

async function ensureMembership(userId: string, role: Role, scope: { partnerId?: string; customerId?: string }) {
  const where = { userId, role, partnerId: scope.partnerId ?? null, customerId: scope.customerId ?? null };
  const found = await db.membership.findFirst({ where, select: { id: true } });
  if (!found) {
    await db.membership.create({ data: { ...where, customerRole: role === "CUSTOMER" ? "OWNER" : null } });
  }
}

async function main() {
  const demo = process.env.BERTH_SEED_DEMO !== "0";
  for (const plan of PLANS) {
    await db.plan.upsert({ where: { slug: plan.slug }, create: plan, update: {} });
  }
  await db.partner.upsert({
    where: { slug: "platform" },
    create: { slug: "platform", name: "Berth", isPlatform: true },
    update: {},
  });

  const known = storedLogins();
  const logins: Login[] = [];
  const admin = await ensureUser("admin@berth.test", "Platform Admin", known);
  await ensureMembership(admin.id, "PLATFORM_ADMIN", {});
  logins.push({ role: "platform-admin", email: "admin@berth.test", password: admin.password });

  if (demo) {
    const partner = await db.partner.upsert({
      where: { slug: "acme-hosting" },
      create: {
        slug: "acme-hosting",
        name: "Acme Hosting",
        domains: { create: { hostname: "panel.acme-hosting.test", primary: true } },
        branding: { create: { productName: "Acme Panel", primaryColor: "#7c3aed", accentColor: "#db2777" } },
      },
      update: {},
      select: { id: true },
    });
    const partnerAdmin = await ensureUser("partner@acme-hosting.test", "Paula Partner", known);
    await ensureMembership(partnerAdmin.id, "PARTNER_ADMIN", { partnerId: partner.id });
    logins.push({ role: "partner-admin", email: "partner@acme-hosting.test", password: partnerAdmin.password });

    const starter = await db.plan.findUniqueOrThrow({ where: { slug: "starter" }, select: { id: true } });
    const existing = await db.customer.findFirst({ where: { partnerId: partner.id, name: "Bakery Bros" }, select: { id: true } });
    const customer =
      existing ??
      (await db.customer.create({ data: { name: "Bakery Bros", partnerId: partner.id, planId: starter.id }, select: { id: true } }));
    const owner = await ensureUser("owner@bakerybros.test", "Olivia Owner", known);
    await ensureMembership(owner.id, "CUSTOMER", { customerId: customer.id });
    logins.push({ role: "customer", email: "owner@bakerybros.test", password: owner.password });
  }

  mkdirSync(path.dirname(loginsFile), { recursive: true });
  writeFileSync(loginsFile, logins.map((l) => `${l.role} ${l.email} ${l.password}`).join("\n") + "\n", { mode: 0o600 });
  console.log("Sign-in accounts (also in .stack/demo-logins):");
  for (const l of logins) console.log(`  ${l.role.padEnd(15)} ${l.email.padEnd(28)} ${l.password}`);
}

main()
  .then(() => db.$disconnect())
  .catch(async (e: unknown) => {
    console.error(e);
    await db.$disconnect();
    process.exit(1);
  });
