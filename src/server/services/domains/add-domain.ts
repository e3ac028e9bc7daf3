import "server-only";
import { randomBytes } from "node:crypto";
import { getDomain as registrableDomain } from "tldts";
import { Prisma } from "@/generated/prisma/client";
import { env } from "@/env";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Scope } from "@/server/auth/permissions";
import { recordAudit } from "@/server/services/audit/record";
import { bcryptHash } from "@/server/threads/pool";
import { requestedDueAt } from "@/server/provisioning/engine/tables";
import { WORK_CHANNEL, wakeLocal } from "@/server/provisioning/wake";
import { normalizeDomainName } from "./domain-name";
import { localPart as localPartSchema, type AddDomainInput } from "./add-domain.schema";

const BCRYPT_COST = 10;

export type Actor = { userId?: string | null; realUserId?: string | null; tokenId?: string | null; ip?: string | null };

/** "info@Example.com" → { local: "info", domain: "example.com" }; a bare local part is at `fallback`. */
function splitAddress(address: string, fallback: string): { local: string; domain: string | null } {
  const at = address.lastIndexOf("@");
  if (at < 0) return { local: address, domain: fallback };
  const dom = normalizeDomainName(address.slice(at + 1));
  return { local: address.slice(0, at), domain: dom.ok ? dom.value.name : null };
}

/** Turns the input's mailboxes and aliases into rows for this domain, or refuses with per-field messages. */
function mailRows(domain: string, input: AddDomainInput) {
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  const mailboxes: Array<{ localPart: string; address: string; passwordHash: string; quotaMb: number }> = [];
  for (const [i, m] of input.mailUsers.entries()) {
    let local = m.localPart;
    if (m.email !== undefined) {
      const addr = splitAddress(m.email, "");
      if (!m.email.includes("@") || addr.domain !== domain) {
        fields[`mailUsers.${i}.email`] = `The address must end in @${domain}`;
        continue;
      }
      local = addr.local;
    }
    const parsed = localPartSchema.safeParse(local ?? "");
    if (!parsed.success) {
      fields[`mailUsers.${i}.localPart`] = parsed.error.issues[0]?.message ?? "Invalid address";
      continue;
    }
    const address = `${parsed.data}@${domain}`;
    if (seen.has(address)) {
      fields[`mailUsers.${i}.localPart`] = `${address} is listed twice`;
      continue;
    }
    seen.add(address);
    if (m.password.toLowerCase().includes(parsed.data) && parsed.data.length >= 4) {
      fields[`mailUsers.${i}.password`] = "The password must not contain the address";
      continue;
    }
    mailboxes.push({ localPart: parsed.data, address, passwordHash: "", quotaMb: m.quotaMb ?? 1024 });
  }
  const aliases: Array<{ source: string; destination: string }> = [];
  const seenAlias = new Set<string>();
  for (const [i, a] of input.aliases.entries()) {
    const src = splitAddress(a.source, domain);
    const parsed = localPartSchema.safeParse(src.local);
    if (src.domain !== domain) {
      fields[`aliases.${i}.source`] = `The alias must be an address at ${domain}`;
      continue;
    }
    if (!parsed.success) {
      fields[`aliases.${i}.source`] = parsed.error.issues[0]?.message ?? "Invalid address";
      continue;
    }
    const source = `${parsed.data}@${domain}`;
    const destDomain = normalizeDomainName(a.destination.slice(a.destination.lastIndexOf("@") + 1));
    if (!destDomain.ok) {
      fields[`aliases.${i}.destination`] = `Cannot forward there: ${destDomain.reason}`;
      continue;
    }
    const destination = `${a.destination.slice(0, a.destination.lastIndexOf("@"))}@${destDomain.value.name}`;
    if (destination === source) {
      fields[`aliases.${i}.destination`] = "An alias cannot forward to itself";
      continue;
    }
    const key = `${source}>${destination}`;
    if (seenAlias.has(key)) continue;
    seenAlias.add(key);
    aliases.push({ source, destination });
  }
  if (Object.keys(fields).length) throw new AppError("BAD_REQUEST", "Some mailboxes or aliases need attention.", { fields });
  return { mailboxes, aliases };
}

/** The normalised name and the mail rows a request asks for, or a 400 with per-field reasons. */
export function validateNewDomain(input: AddDomainInput) {
  const normalized = normalizeDomainName(input.domain, { platformDomains: [...env.PLATFORM_DOMAINS, env.PANEL_DOMAIN] });
  if (!normalized.ok) throw new AppError("BAD_REQUEST", normalized.reason, { fields: { domain: normalized.reason } });
  return { ...normalized.value, ...mailRows(normalized.value.name, input) };
}

/**
 * What stops this name from being added for this customer: the same name held
 * by anyone, or a parent or child of it held by another customer. (A
 * customer's own sub-domains are fine.)
 */
export async function findClash(tx: Prisma.TransactionClient, name: string, customerId: string) {
  const overlapping = await tx.domain.findMany({
    where: { OR: [{ name }, { name: { in: ancestors(name) } }, { name: { endsWith: `.${name}` } }] },
    select: { name: true, customerId: true },
    take: 50,
  });
  return overlapping.find((d) => d.name === name) ?? overlapping.find((d) => d.customerId !== customerId) ?? null;
}

/**
 * Records a new domain's desired state — the Domain, its Mailbox and Alias
 * rows — and returns at once with status "pending". Nothing outside the
 * panel DB is touched here: the reconciler does that.
 */
export async function addDomain(scope: Scope & { kind: "customer" }, input: AddDomainInput, actor: Actor) {
  const { name, displayName, mailboxes, aliases } = await validateNewDomain(input);
  // Hash once everything is known to be valid (bcrypt is deliberately slow).
  // In worker threads: a burst of requests never holds the event loop.
  await Promise.all(
    mailboxes.map(async (m, i) => {
      const password = input.mailUsers[i]?.password;
      if (password === undefined) throw new Error(`mailbox ${m.address} lost its password between validation and hashing`);
      m.passwordHash = await bcryptHash(password, BCRYPT_COST);
    }),
  );

  const customer = await db.customer.findUniqueOrThrow({
    where: { id: scope.customerId },
    select: { id: true, suspended: true, plan: { select: { name: true, maxDomains: true, maxMailboxes: true } } },
  });
  if (customer.suspended) throw new AppError("FORBIDDEN", "This account is suspended: domains cannot be added.");

  try {
    const created = await db.$transaction(async (tx) => {
      // Serialise adds under the same registrable domain, so a parent and a
      // child cannot slip in for two customers at once.
      const lockKey = registrableDomain(name, { allowPrivateDomains: true }) ?? name;
      // The NOTIFY that wakes other replicas' workers is delivered on commit only.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${lockKey})), pg_notify(${WORK_CHANNEL}, '')`;

      const clash = await findClash(tx, name, customer.id);
      if (clash) throw clashError(clash, name, displayName, customer.id);

      const [counts] = await tx.$queryRaw<Array<{ domains: number; mailboxes: number }>>`
        SELECT (SELECT count(*) FROM "Domain" WHERE "customerId" = ${customer.id} AND NOT "deletionRequested")::int AS domains,
               (SELECT count(*) FROM "Mailbox" m JOIN "Domain" d ON d.id = m."domainId"
                 WHERE d."customerId" = ${customer.id} AND NOT d."deletionRequested")::int AS mailboxes`;
      if (!counts) throw new Error("the plan-usage count returned no row");
      const { domains, mailboxes: mailboxCount } = counts;
      const plan = customer.plan;
      if (plan.maxDomains !== null && domains + 1 > plan.maxDomains) {
        throw new AppError("PRECONDITION_FAILED", `The ${plan.name} plan includes ${plan.maxDomains} domains, and all are in use. Upgrade the plan to add more.`);
      }
      if (plan.maxMailboxes !== null && mailboxCount + mailboxes.length > plan.maxMailboxes) {
        throw new AppError(
          "PRECONDITION_FAILED",
          `The ${plan.name} plan includes ${plan.maxMailboxes} mailboxes; ${mailboxCount} are in use, so ${Math.max(0, plan.maxMailboxes - mailboxCount)} more can be added.`,
          { fields: { mailUsers: "Over the plan's mailbox limit" } },
        );
      }

      const domain = await tx.domain.create({
        data: {
          customerId: customer.id,
          name,
          displayName,
          options: { image: input.image ?? null, includeDatabase: input.includeDatabase },
          verificationToken: randomBytes(16).toString("hex"),
          dueAt: requestedDueAt(),
          // Each mailbox and alias is reconciled on its own, once the domain's mail domain exists.
          mailboxes: { create: mailboxes.map((m) => ({ ...m, dueAt: requestedDueAt() })) },
          aliases: { create: aliases.map((a) => ({ ...a, dueAt: requestedDueAt() })) },
        },
        select: { id: true, name: true, displayName: true, status: true, generation: true, createdAt: true },
      });
      await recordAudit(
        {
          action: "domain.add",
          targetType: "domain",
          targetId: domain.id,
          actorUserId: actor.userId,
          realActorUserId: actor.realUserId,
          customerId: customer.id,
          partnerId: scope.partnerId,
          ip: actor.ip,
          metadata: { name, mailboxes: mailboxes.length, aliases: aliases.length, via: actor.tokenId ? "api" : "panel" },
        },
        tx,
      );
      return domain;
    });
    wakeLocal();
    return created;
  } catch (e) {
    // Two requests for the same name at once: the unique index lets exactly one in.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AppError("CONFLICT", `${displayName} has just been added.`, { fields: { domain: "Already added" } });
    }
    throw e;
  }
}

export function clashError(clash: { name: string; customerId: string }, name: string, displayName: string, customerId: string): AppError {
  const same = clash.customerId === customerId;
  if (clash.name === name) {
    return new AppError("CONFLICT", same ? `You have already added ${displayName}.` : `${displayName} is already hosted here by another account.`, {
      fields: { domain: same ? "Already added" : "Hosted by another account" },
    });
  }
  // Never name the other account's domain: say only that one overlaps.
  return new AppError("CONFLICT", `${displayName} overlaps a parent or sub-domain another account hosts here.`, {
    fields: { domain: "Overlaps another account's domain" },
  });
}

/** "a.b.example.co.uk" → ["b.example.co.uk", "example.co.uk", "co.uk", "uk"] */
function ancestors(name: string): string[] {
  const labels = name.split(".");
  return labels.slice(1).map((_, i) => labels.slice(i + 1).join("."));
}
