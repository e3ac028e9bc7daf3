import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { KindName } from "@/lib/provisioning/catalog";
import { addDomain } from "@/server/services/domains/add-domain";
import { deleteDomain } from "@/server/services/domains/delete-domain";
import { changePlan } from "@/server/services/customers/change-plan";
import { planKind } from "@/server/provisioning/engine/plan";
import { kind } from "@/server/provisioning/kinds/registry";
import type { Change } from "@/server/provisioning/step";
import { roomyCustomer, roomyPlan, uniq } from "../fixtures";
import { engine, reconcileAll } from "../helpers/provisioning";

const actor = { userId: null, ip: "test" };
const opts = engine();
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanup) await c().catch(() => undefined);
  await reconcileAll();
}, 180_000);

const summary = (changes: Change[]) => changes.filter((c) => c.action !== "unchanged").map((c) => `${c.action} ${c.target}`).sort();

/** Every object's plan first (as the preview shows it), then every ensure, in the engine's order. */
async function planThenEnsure(objects: Array<[KindName, string]>) {
  const planned: Change[] = [];
  const loaded = [];
  for (const [k, id] of objects) {
    const l = await kind(k).load(id);
    if (!l) throw new Error(`${k} ${id} is gone`);
    loaded.push({ k, l });
    planned.push(...(await planKind(kind(k), l.spec, opts)).flatMap((s) => s.changes));
  }
  const done: Change[] = [];
  for (const { k, l } of loaded) {
    for (const step of kind(k).steps) {
      const r = step.ensure ? await step.ensure({ spec: l.spec, deps: opts.deps, config: opts.config }) : undefined;
      done.push(...(r?.changes ?? []));
    }
  }
  return { planned, done };
}

describe("preview is the pipeline's own plan", () => {
  it("plan() says what ensure() then does: for a new domain, and for one whose plan changed", async () => {
    const { customer, scope } = await roomyCustomer();
    const name = `plan-${uniq()}.org`;
    const d = await addDomain(
      scope,
      { domain: name, includeDatabase: true, mailUsers: [{ localPart: "ann", password: "Planned-pass-11" }], aliases: [{ source: "hi", destination: `ann@${name}` }] },
      actor,
    );
    cleanup.push(() => deleteDomain(scope, d.id, actor));
    const mailbox = await db.mailbox.findFirstOrThrow({ where: { domainId: d.id } });
    const alias = await db.alias.findFirstOrThrow({ where: { domainId: d.id } });

    const fresh = await planThenEnsure([
      ["Customer", customer.id],
      ["Domain", d.id],
      ["Mailbox", mailbox.id],
      ["Alias", alias.id],
    ]);
    expect(summary(fresh.done)).toEqual(summary(fresh.planned));
    // It did create the lot: customer objects, site, zone and records, mail rows.
    expect(summary(fresh.done)).toEqual(
      expect.arrayContaining([
        `create Namespace cust-${customer.number}`,
        `create zone ${name}.`,
        `create A ${name}.`,
        `create virtual_domains ${name}`,
        `create virtual_users ann@${name}`,
        `create virtual_aliases hi@${name} → ann@${name}`,
      ]),
    );
    expect(fresh.done.filter((c) => c.target.startsWith("PersistentVolumeClaim ") && c.action === "create")).toHaveLength(2);

    // Now planned again, nothing is left to do.
    const again = await planThenEnsure([["Customer", customer.id], ["Domain", d.id]]);
    expect(summary(again.planned)).toEqual([]);
    expect(summary(again.done)).toEqual([]);

    // A changed one: more replicas in the new plan. Only the Deployment changes, in spec.replicas.
    await changePlan({ kind: "platform" }, customer.id, (await roomyPlan(2)).slug, actor);
    const changed = await planThenEnsure([["Customer", customer.id], ["Domain", d.id]]);
    expect(summary(changed.done)).toEqual(summary(changed.planned));
    const dep = changed.planned.filter((c) => c.action !== "unchanged");
    expect(dep.map((c) => c.target)).toEqual([expect.stringMatching(/^Deployment cust-\d+\/web-/)]);
    expect(dep[0]?.fields).toEqual(expect.arrayContaining(["spec.replicas"]));
    expect(changed.done.find((c) => c.action === "update")?.target).toBe(dep[0]?.target);
  }, 180_000);
});
