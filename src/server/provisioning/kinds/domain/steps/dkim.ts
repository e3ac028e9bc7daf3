import type { KubernetesObject } from "@kubernetes/client-node";
import { publicKeyFromPrivatePem } from "@/server/integrations/dkim/keys";
import { renderOne } from "../../../templates";
import { domainNames, domainValues, type DomainSpec } from "../../../values";
import { TransientError, type Change, type Step, type StepContext } from "../../../step";
import { absolute, DKIM_SELECTOR, syncRRSets } from "./dns-common";
import { mailOwner } from "./mail-domain";

type Secret = KubernetesObject & { data?: Record<string, string> };

const secretRef = (ctx: StepContext<DomainSpec>) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: domainNames(ctx.spec.name, ctx.spec.customer.number).dkimSecret, namespace: ctx.config.mailNamespace },
});
const secretTarget = (ctx: StepContext<DomainSpec>) => `Secret ${ctx.config.mailNamespace}/${secretRef(ctx).metadata.name}`;
const isDkimTxt = (ctx: StepContext<DomainSpec>) => (r: { type: string; name: string }) =>
  r.type === "TXT" && r.name === `${DKIM_SELECTOR}._domainkey.${absolute(ctx.spec.name)}`;

/** The public half of the key already stored, if any. */
async function storedKey(ctx: StepContext<DomainSpec>): Promise<string | null> {
  const live = await ctx.deps.kube.observe<Secret>(secretRef(ctx));
  const stored = live?.data?.["private.key"];
  return stored ? publicKeyFromPrivatePem(Buffer.from(stored, "base64").toString("utf8")) : null;
}

/** The mail domain row (the mail-domain step makes it; a run that reaches here has it). */
async function mailDomainId(ctx: StepContext<DomainSpec>): Promise<number | null> {
  const row = await ctx.deps.mail.getDomain(ctx.spec.name);
  return row && row.customerId === mailOwner(ctx) ? row.id : null;
}

/**
 * A DKIM key, generated once (RSA-2048) and kept in a Secret in mail-system;
 * its public half published as <selector>._domainkey TXT; the selector
 * recorded in dkim_selectors for the signer.
 */
export const dkimStep: Step<DomainSpec> = {
  name: "dkim",
  async ensure(ctx) {
    const changes: Change[] = [];
    let publicKey = await storedKey(ctx);
    if (publicKey) {
      changes.push({ system: "kubernetes", action: "unchanged", target: secretTarget(ctx) });
    } else {
      const key = await ctx.deps.dkimKeys.take();
      await ctx.deps.kube.apply(renderOne("dkim-secret", { ...domainValues(ctx.config, ctx.spec), selector: DKIM_SELECTOR, privateKey: key.privateKeyPem }));
      publicKey = key.publicKeyBase64;
      changes.push({ system: "kubernetes", action: "create", target: secretTarget(ctx) });
    }
    const domainId = await mailDomainId(ctx);
    if (domainId === null) throw new TransientError(`the mail domain ${ctx.spec.name} is not registered yet`);
    const written = await ctx.deps.mail.ensureDkimSelector(domainId, DKIM_SELECTOR, secretRef(ctx).metadata.name);
    changes.push({ system: "mail", action: written ? "create" : "unchanged", target: `dkim_selectors ${DKIM_SELECTOR}` });
    const dns = await syncRRSets(ctx, isDkimTxt(ctx), { dkimPublicKey: publicKey });
    changes.push(...dns.changes);
    return { changes, message: `${changes[0]?.action === "create" ? "generated" : "kept"} key in ${secretTarget(ctx)}; ${dns.message}` };
  },
  async plan(ctx) {
    const publicKey = await storedKey(ctx);
    if (!publicKey) {
      return [
        { system: "kubernetes", action: "create", target: secretTarget(ctx), note: "RSA-2048 key generated when applied" },
        { system: "mail", action: "create", target: `dkim_selectors ${DKIM_SELECTOR}` },
        { system: "dns", action: "create", target: `TXT ${DKIM_SELECTOR}._domainkey.${absolute(ctx.spec.name)}` },
      ];
    }
    const domainId = await mailDomainId(ctx);
    const row = domainId === null ? null : await ctx.deps.mail.getDkimSelector(domainId, DKIM_SELECTOR);
    const selectorOk = row?.secretName === secretRef(ctx).metadata.name;
    return [
      { system: "kubernetes", action: "unchanged", target: secretTarget(ctx) },
      { system: "mail", action: selectorOk ? "unchanged" : row ? "update" : "create", target: `dkim_selectors ${DKIM_SELECTOR}` },
      ...(await syncRRSets(ctx, isDkimTxt(ctx), { dryRun: true, dkimPublicKey: publicKey })).changes,
    ];
  },
  async remove(ctx) {
    const live = await ctx.deps.kube.observe(secretRef(ctx));
    await ctx.deps.kube.remove(secretRef(ctx));
    return { changes: live ? [{ system: "kubernetes", action: "delete", target: secretTarget(ctx) }] : [] };
  },
};
