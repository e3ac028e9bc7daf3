import "server-only";
import { KIND_ORDER, STEP_CATALOG, type KindName } from "@/lib/provisioning/catalog";
import type { Kind } from "../step";
import { aliasKind } from "./alias/kind";
import { customerKind } from "./customer/kind";
import { domainKind } from "./domain/kind";
import { mailboxKind } from "./mailbox/kind";
import { platformKind } from "./platform/kind";

/**
 * Every reconciled kind. Adding one: a folder under kinds/ (its spec loader
 * and steps), its steps in the catalog (src/lib/provisioning/catalog.ts),
 * and one line here.
 */
const KINDS: Record<KindName, Kind<never>> = {
  Platform: platformKind as Kind<never>,
  Customer: customerKind as Kind<never>,
  Domain: domainKind as Kind<never>,
  Mailbox: mailboxKind as Kind<never>,
  Alias: aliasKind as Kind<never>,
};

/** Each kind's step files must be exactly its catalogued steps: a mismatch is a bug found at start, not mid-run. */
for (const name of KIND_ORDER) {
  const have = KINDS[name].steps.map((s) => s.name).join(",");
  const want = STEP_CATALOG[name].map((s) => s.name).join(",");
  if (have !== want) throw new Error(`kind ${name}: steps ${have} do not match the catalog's ${want}`);
}

export const kind = (name: KindName): Kind<unknown> => KINDS[name] as Kind<unknown>;

/** Kinds in the order idle workers look for work: parents first. */
export const kindsInOrder = (): Array<Kind<unknown>> => KIND_ORDER.map(kind);
