/**
 * Creates an API token and prints it once (only its hash is stored):
 *   npm run token -- --platform [--name ci]
 *   npm run token -- --customer <customer number or id> [--name deploy-bot]
 */
import { db } from "@/server/db";
import { createApiToken } from "@/server/services/api-tokens/tokens";
import type { Scope } from "@/server/auth/permissions";

async function main() {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const name = opt("name") ?? "cli";
  let scope: Scope;
  if (args.includes("--platform")) {
    scope = { kind: "platform" };
  } else {
    const ref = opt("customer");
    if (!ref) throw new Error("usage: create-token.ts --platform | --customer <number or id> [--name NAME]");
    const c = await db.customer.findFirst({
      where: /^\d+$/.test(ref) ? { number: Number(ref) } : { id: ref },
      select: { id: true, partnerId: true, name: true },
    });
    if (!c) throw new Error(`No customer ${ref}`);
    scope = { kind: "customer", customerId: c.id, partnerId: c.partnerId };
    console.log(`Customer: ${c.name} (${c.id})`);
  }
  const t = await createApiToken({ name, scope });
  console.log(`Token (shown once): ${t.token}`);
}

main()
  .then(() => db.$disconnect())
  .catch(async (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    await db.$disconnect();
    process.exit(1);
  });
