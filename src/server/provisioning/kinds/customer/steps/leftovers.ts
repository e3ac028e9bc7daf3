import type { KubernetesObject } from "@kubernetes/client-node";
import { customerZoneAccount } from "../../domain/steps/dns-common";
import type { Change, Step } from "../../../step";
import type { CustomerSpec } from "../../../values";

/**
 * When a customer goes: whatever still carries its mark outside its namespace
 * (a DKIM Secret in mail-system, a zone of its account, a mail domain of its
 * number) is removed, so nothing of the customer remains anywhere. Normally
 * its domains' own removal left nothing; this is the sweep behind them.
 */
export const leftoversStep: Step<CustomerSpec> = {
  name: "leftovers",
  async remove(ctx) {
    const { kube, pdns, mail } = ctx.deps;
    const n = ctx.spec.number;
    const changes: Change[] = [];
    const secrets = await kube.list<KubernetesObject>("v1", "Secret", { namespace: ctx.config.mailNamespace, labelSelector: `berth.io/customer=${n}` });
    for (const s of secrets) {
      const name = s.metadata?.name;
      if (!name) continue;
      await kube.remove({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ctx.config.mailNamespace } });
      changes.push({ system: "kubernetes", action: "delete", target: `Secret ${ctx.config.mailNamespace}/${name}` });
    }
    const account = customerZoneAccount(n);
    for (const z of (await pdns.listZones()).filter((z) => z.account === account)) {
      await pdns.deleteZone(z.name);
      changes.push({ system: "dns", action: "delete", target: `zone ${z.name}` });
    }
    for (const name of await mail.removeDomainsOfCustomer(String(n))) changes.push({ system: "mail", action: "delete", target: `virtual_domains ${name}` });
    return { changes, message: changes.length ? `removed ${changes.map((c) => c.target).join(", ")}` : "nothing left behind" };
  },
};
