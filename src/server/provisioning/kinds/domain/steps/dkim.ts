import type { KubernetesObject } from "@kubernetes/client-node";
import { publicKeyFromPrivatePem } from "@/server/integrations/dkim/keys";
import { renderOne } from "../templates";
import { domainNames, templateValues } from "../values";
import { PermanentError, type Step, type StepContext } from "../step";
import { absolute, DKIM_SELECTOR, syncRRSets } from "./dns-common";

type Secret = KubernetesObject & { data?: Record<string, string> };

const secretRef = (ctx: StepContext) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: domainNames(ctx.domain.name, ctx.domain.customer.number).dkimSecret, namespace: ctx.config.mailNamespace },
});

/**
 * Step 9: a DKIM key, generated once (RSA-2048) and kept in a Secret in
 * mail-system; its public half published as <selector>._domainkey TXT; the
 * selector recorded in dkim_selectors for the signer.
 */
export const dkimStep: Step = {
  name: "dkim",
  title: "DKIM key",
  async ensure(ctx) {
    const ref = secretRef(ctx);
    const live = await ctx.deps.kube.observe<Secret>(ref);
    const stored = live?.data?.["private.key"];
    let generated = false;
    if (stored) {
      ctx.state.dkimPublicKey = publicKeyFromPrivatePem(Buffer.from(stored, "base64").toString("utf8"));
    } else {
      const key = await ctx.deps.dkimKeys.take();
      await ctx.deps.kube.apply(renderOne("dkim-secret", { ...templateValues(ctx), selector: DKIM_SELECTOR, privateKey: key.privateKeyPem }));
      ctx.state.dkimPublicKey = key.publicKeyBase64;
      generated = true;
    }
    if (ctx.state.mailDomainId === undefined) throw new PermanentError("the mail domain step did not run");
    await ctx.deps.mail.ensureDkimSelector(ctx.state.mailDomainId, DKIM_SELECTOR, ref.metadata.name);
    const dns = await syncRRSets(ctx, (r) => r.type === "TXT" && r.name === `${DKIM_SELECTOR}._domainkey.${absolute(ctx.domain.name)}`);
    return { message: `${generated ? "generated" : "kept"} key in ${ref.metadata.namespace}/${ref.metadata.name}; ${dns}` };
  },
  async remove(ctx) {
    await ctx.deps.kube.remove(secretRef(ctx));
  },
};
