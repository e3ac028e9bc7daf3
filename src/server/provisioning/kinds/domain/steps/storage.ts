import { renderOne } from "../../../templates";
import { domainNames, domainValues, type DomainSpec } from "../../../values";
import { ensureObject, planAbsent, planObject, removeObject } from "../../../kube-changes";
import { REMOVE_TIMEOUT_MS, refOf } from "../../../kube-ref";
import type { Step, StepContext } from "../../../step";

function claims(ctx: StepContext<DomainSpec>) {
  const v = domainValues(ctx.config, ctx.spec);
  const n = domainNames(ctx.spec.name, ctx.spec.customer.number);
  const size = `${ctx.spec.options.storageGi ?? 1}Gi`;
  return {
    web: renderOne("pvc", { ...v, pvcName: n.webPvc, volume: "web-data", size }),
    db: renderOne("pvc", { ...v, pvcName: n.dbPvc, volume: "db-data", size }),
  };
}

/** The domain's web-data volume, and db-data when a database is included (removed when it no longer is). */
export const storageStep: Step<DomainSpec> = {
  name: "storage",
  async ensure(ctx) {
    const { web, db } = claims(ctx);
    const withDb = ctx.spec.options.includeDatabase === true;
    const changes = [await ensureObject(ctx.deps.kube, web), withDb ? await ensureObject(ctx.deps.kube, db) : await removeObject(ctx.deps.kube, db)];
    return { changes, message: withDb ? "web-data and db-data" : "web-data" };
  },
  async plan(ctx) {
    const { web, db } = claims(ctx);
    return [await planObject(ctx.deps.kube, web), ctx.spec.options.includeDatabase ? await planObject(ctx.deps.kube, db) : await planAbsent(ctx.deps.kube, db)];
  },
  async remove(ctx) {
    const { web, db } = claims(ctx);
    const changes = [await removeObject(ctx.deps.kube, web), await removeObject(ctx.deps.kube, db)];
    // A claim lingers (pvc-protection) until no pod uses it; the domain is not gone until it is.
    await ctx.deps.kube.waitGone(refOf(web), { timeoutMs: REMOVE_TIMEOUT_MS });
    await ctx.deps.kube.waitGone(refOf(db), { timeoutMs: REMOVE_TIMEOUT_MS });
    return { changes };
  },
};
