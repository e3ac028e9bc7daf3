import { renderOne } from "../templates";
import { domainNames, templateValues } from "../values";
import type { Step, StepContext } from "../step";
import { REMOVE_TIMEOUT_MS, refOf } from "./kube-ref";

function claims(ctx: StepContext) {
  const v = templateValues(ctx);
  const n = domainNames(ctx.domain.name, ctx.domain.customer.number);
  const size = `${ctx.domain.options.storageGi ?? 1}Gi`;
  const web = renderOne("pvc", { ...v, pvcName: n.webPvc, volume: "web-data", size });
  const db = renderOne("pvc", { ...v, pvcName: n.dbPvc, volume: "db-data", size });
  return { web, db };
}

/** Step 4: the domain's web-data volume, and db-data when a database is included. */
export const storageStep: Step = {
  name: "storage",
  title: "Storage",
  async ensure(ctx) {
    const { web, db } = claims(ctx);
    await ctx.deps.kube.apply(web);
    if (ctx.domain.options.includeDatabase) await ctx.deps.kube.apply(db);
    else await ctx.deps.kube.remove(refOf(db));
    return { message: ctx.domain.options.includeDatabase ? "web-data and db-data" : "web-data" };
  },
  async remove(ctx) {
    const { web, db } = claims(ctx);
    await ctx.deps.kube.remove(refOf(web));
    await ctx.deps.kube.remove(refOf(db));
    // A claim lingers (pvc-protection) until no pod uses it; the domain is not gone until it is.
    await ctx.deps.kube.waitGone(refOf(web), { timeoutMs: REMOVE_TIMEOUT_MS });
    await ctx.deps.kube.waitGone(refOf(db), { timeoutMs: REMOVE_TIMEOUT_MS });
  },
};
