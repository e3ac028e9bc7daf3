import "server-only";
import { db } from "@/server/db";
import type { Kind } from "../../step";
import { PLAN_VALUES_SELECT, type CustomerSpec } from "../../values";
import { backupLabelsStep } from "./steps/backup-labels";
import { leftoversStep } from "./steps/leftovers";
import { limitsStep } from "./steps/limits";
import { namespaceStep } from "./steps/namespace";
import { networkPolicyStep } from "./steps/network-policy";
import { quotaStep } from "./steps/quota";

/**
 * A customer owns its namespace cust-<number>, the plan's quota and limits,
 * the network policy and the backup labels. It goes only when every one of
 * its domains is gone: then its namespace, with everything in it, and
 * whatever else still carries its mark.
 */
export const customerKind: Kind<CustomerSpec> = {
  name: "Customer",
  table: "Customer",
  async load(id) {
    const c = await db.customer.findUnique({
      where: { id },
      select: { id: true, number: true, name: true, suspended: true, deletionRequested: true, plan: { select: PLAN_VALUES_SELECT } },
    });
    if (!c) return null;
    return {
      spec: { id: c.id, number: c.number, suspended: c.suspended, plan: c.plan },
      subject: `cust-${c.number} (${c.name})`,
      customerId: c.id,
      domainId: null,
      deletionRequested: c.deletionRequested,
      suspended: c.suspended,
    };
  },
  async waitForDeletion(loaded) {
    const left = await db.domain.count({ where: { customerId: loaded.spec.id } });
    return left ? `waiting for ${left} domain${left === 1 ? "" : "s"} to be removed first` : null;
  },
  steps: [leftoversStep, namespaceStep, quotaStep, limitsStep, networkPolicyStep, backupLabelsStep],
  // Once its objects are in place, its domains waiting on them can go ahead.
  wakes: (loaded, deleted) => (deleted ? [] : [{ table: "Domain", where: { column: "customerId", equals: loaded.spec.id } }]),
  async afterDelete(loaded) {
    // Memberships, tokens and flags go with the row; runs and audit events keep its name.
    await db.customer.deleteMany({ where: { id: loaded.spec.id } });
  },
};
