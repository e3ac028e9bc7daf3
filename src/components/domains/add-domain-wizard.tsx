"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useTRPC } from "@/trpc/react";
import { PreviewPanel } from "./preview-panel";

type Mailbox = { localPart: string; password: string };
type Alias = { source: string; destination: string };
type FieldErrors = Record<string, string[] | undefined>;

const input =
  "block h-10 w-full rounded-brand border border-border bg-surface px-3 text-sm text-fg shadow-sm outline-none transition focus:border-primary focus:ring-2 focus:ring-primary/20 aria-[invalid=true]:border-danger";

const STEPS = ["Domain", "Mail", "Review"] as const;

export function AddDomainWizard() {
  const trpc = useTRPC();
  const router = useRouter();
  const [step, setStep] = useState(0);
  const [domain, setDomain] = useState("");
  const [includeDatabase, setIncludeDatabase] = useState(false);
  const [mailboxes, setMailboxes] = useState<Mailbox[]>([]);
  const [aliases, setAliases] = useState<Alias[]>([]);
  const [errors, setErrors] = useState<{ message?: string; fields: FieldErrors }>({ fields: {} });

  const add = useMutation(
    trpc.customer.domains.add.mutationOptions({
      onSuccess: (d) => router.push(`/domains/${d.id}`),
      onError: (e) => {
        const fields = (e instanceof TRPCClientError ? (e.data as { fieldErrors?: FieldErrors } | undefined)?.fieldErrors : undefined) ?? {};
        setErrors({ message: e.message, fields });
        // Send the person back to the step that holds the first problem.
        const keys = Object.keys(fields);
        if (keys.some((k) => k === "domain")) setStep(0);
        else if (keys.some((k) => k.startsWith("mailUsers") || k.startsWith("aliases"))) setStep(1);
      },
    }),
  );

  // Step 1 asks the server straight away (same checks as adding: name, ownership, plan), so a
  // refused name is said before the person fills in mailboxes.
  const check = useMutation(
    trpc.customer.domains.preview.mutationOptions({
      onSuccess: () => {
        setErrors({ fields: {} });
        setStep(1);
      },
      onError: (e) => {
        const fields = (e instanceof TRPCClientError ? (e.data as { fieldErrors?: FieldErrors } | undefined)?.fieldErrors : undefined) ?? {};
        setErrors({ message: e.message, fields: fields.domain ? fields : { domain: [e.message] } });
      },
    }),
  );

  const fieldError = (key: string) => errors.fields[key]?.[0];
  const short = domain.trim().toLowerCase().replace(/\.$/, "");

  const next = () => {
    if (step === 0) {
      if (!short) setErrors({ fields: { domain: ["Enter a domain name, like example.com."] } });
      else check.mutate({ domain, includeDatabase, mailUsers: [], aliases: [] });
      return;
    }
    setErrors({ fields: {} });
    setStep((s) => Math.min(s + 1, STEPS.length - 1));
  };

  const payload = () => ({
    domain,
    includeDatabase,
    mailUsers: mailboxes.filter((m) => m.localPart || m.password).map((m) => ({ localPart: m.localPart, password: m.password })),
    aliases: aliases.filter((a) => a.source || a.destination),
  });

  const submit = () => {
    setErrors({ fields: {} });
    add.mutate(payload());
  };

  return (
    <div className="rounded-brand border border-border bg-surface shadow-sm">
      <ol className="flex border-b border-border" aria-label="Steps">
        {STEPS.map((label, i) => (
          <li key={label} className={cn("flex flex-1 items-center gap-2 px-5 py-3 text-sm", i === step ? "font-semibold text-fg" : "text-fg-muted")} aria-current={i === step ? "step" : undefined}>
            <span className={cn("grid size-6 place-items-center rounded-full text-xs", i <= step ? "bg-primary text-primary-fg" : "bg-muted text-fg-muted")}>{i + 1}</span>
            {label}
          </li>
        ))}
      </ol>

      <div className="space-y-5 p-6">
        {errors.message && Object.keys(errors.fields).length === 0 ? (
          <div role="alert" className="rounded-brand border border-danger/20 bg-danger-bg px-3.5 py-3 text-sm text-danger">
            {errors.message}
          </div>
        ) : null}

        {step === 0 ? (
          <>
            <div>
              <label htmlFor="domain" className="mb-1.5 block text-sm font-medium">Domain name</label>
              <input id="domain" className={input} placeholder="example.com" value={domain} autoFocus onChange={(e) => setDomain(e.target.value)} aria-invalid={Boolean(fieldError("domain"))} onKeyDown={(e) => e.key === "Enter" && next()} />
              {fieldError("domain") ? <p className="mt-1.5 text-sm text-danger" role="alert">{fieldError("domain")}</p> : <p className="mt-1.5 text-sm text-fg-muted">International names like bücher.de are fine. Point its nameservers at us once it is added.</p>}
            </div>
            <label className="flex items-start gap-3 text-sm">
              <input type="checkbox" className="mt-0.5 size-4 accent-[var(--brand-primary)]" checked={includeDatabase} onChange={(e) => setIncludeDatabase(e.target.checked)} />
              <span>
                <span className="font-medium">Include a database volume</span>
                <span className="block text-fg-muted">Adds a db-data volume beside the site&apos;s files.</span>
              </span>
            </label>
          </>
        ) : null}

        {step === 1 ? (
          <>
            <section>
              <div className="mb-2 flex items-center justify-between">
                <h3 className="text-sm font-semibold">Mailboxes</h3>
                <Button variant="secondary" size="sm" type="button" onClick={() => setMailboxes((m) => [...m, { localPart: "", password: "" }])}>
                  <Plus className="size-4" aria-hidden /> Add mailbox
                </Button>
              </div>
              {mailboxes.length === 0 ? <p className="text-sm text-fg-muted">No mailboxes yet. You can add them now or later.</p> : null}
              <div className="space-y-3">
                {mailboxes.map((m, i) => (
                  <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-start gap-3">
                    <div>
                      <div className="flex items-center">
                        <input aria-label={`Mailbox ${i + 1} address`} className={cn(input, "rounded-r-none")} placeholder="alice" value={m.localPart} onChange={(e) => setMailboxes((all) => all.map((x, j) => (j === i ? { ...x, localPart: e.target.value } : x)))} aria-invalid={Boolean(fieldError(`mailUsers.${i}.localPart`))} />
                        <span className="flex h-10 items-center rounded-r-brand border border-l-0 border-border bg-muted px-3 text-sm text-fg-muted">@{short || "domain"}</span>
                      </div>
                      {fieldError(`mailUsers.${i}.localPart`) ? <p className="mt-1 text-sm text-danger">{fieldError(`mailUsers.${i}.localPart`)}</p> : null}
                    </div>
                    <div>
                      <input aria-label={`Mailbox ${i + 1} password`} type="password" autoComplete="new-password" className={input} placeholder="Password (10+ characters)" value={m.password} onChange={(e) => setMailboxes((all) => all.map((x, j) => (j === i ? { ...x, password: e.target.value } : x)))} aria-invalid={Boolean(fieldError(`mailUsers.${i}.password`))} />
                      {fieldError(`mailUsers.${i}.password`) ? <p className="mt-1 text-sm text-danger">{fieldError(`mailUsers.${i}.password`)}</p> : null}
                    </div>
                    <Button variant="ghost" size="sm" type="button" aria-label={`Remove mailbox ${i + 1}`} className="h-10" onClick={() => setMailboxes((all) => all.filter((_, j) => j !== i))}>
                      <Trash2 className="size-4" aria-hidden />
                    </Button>
                  </div>
                ))}
              </div>
              {fieldError("mailUsers") ? <p className="mt-2 text-sm text-danger">{fieldError("mailUsers")}</p> : null}
            </section>
            <section>
              <div className="mb-2 flex items-center justify-between">
                <h3 className="text-sm font-semibold">Aliases and forwarders</h3>
                <Button variant="secondary" size="sm" type="button" onClick={() => setAliases((a) => [...a, { source: "", destination: "" }])}>
                  <Plus className="size-4" aria-hidden /> Add alias
                </Button>
              </div>
              {aliases.length === 0 ? <p className="text-sm text-fg-muted">Forward an address at this domain to any mailbox.</p> : null}
              <div className="space-y-3">
                {aliases.map((a, i) => (
                  <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-start gap-3">
                    <div>
                      <input aria-label={`Alias ${i + 1} address`} className={input} placeholder={`info@${short || "example.com"}`} value={a.source} onChange={(e) => setAliases((all) => all.map((x, j) => (j === i ? { ...x, source: e.target.value } : x)))} aria-invalid={Boolean(fieldError(`aliases.${i}.source`))} />
                      {fieldError(`aliases.${i}.source`) ? <p className="mt-1 text-sm text-danger">{fieldError(`aliases.${i}.source`)}</p> : null}
                    </div>
                    <div>
                      <input aria-label={`Alias ${i + 1} forwards to`} className={input} placeholder="someone@elsewhere.net" value={a.destination} onChange={(e) => setAliases((all) => all.map((x, j) => (j === i ? { ...x, destination: e.target.value } : x)))} aria-invalid={Boolean(fieldError(`aliases.${i}.destination`))} />
                      {fieldError(`aliases.${i}.destination`) ? <p className="mt-1 text-sm text-danger">{fieldError(`aliases.${i}.destination`)}</p> : null}
                    </div>
                    <Button variant="ghost" size="sm" type="button" aria-label={`Remove alias ${i + 1}`} className="h-10" onClick={() => setAliases((all) => all.filter((_, j) => j !== i))}>
                      <Trash2 className="size-4" aria-hidden />
                    </Button>
                  </div>
                ))}
              </div>
            </section>
          </>
        ) : null}

        {step === 2 ? (
          <>
          <dl className="divide-y divide-border rounded-brand border border-border text-sm">
            <Row k="Domain" v={short} />
            <Row k="Web app" v="nginx (unprivileged), on its own volume" />
            <Row k="Database volume" v={includeDatabase ? "Yes" : "No"} />
            <Row k="Mailboxes" v={mailboxes.filter((m) => m.localPart).map((m) => `${m.localPart.trim().toLowerCase()}@${short}`).join(", ") || "None"} />
            <Row k="Aliases" v={aliases.filter((a) => a.source).map((a) => `${a.source} → ${a.destination}`).join(", ") || "None"} />
            <Row k="DNS" v="Zone with A, www, MX, SPF, DMARC and DKIM records" />
          </dl>
          <PreviewPanel input={payload()} />
          </>
        ) : null}
      </div>

      <div className="flex items-center justify-between border-t border-border px-6 py-4">
        <Button variant="ghost" type="button" onClick={() => setStep((s) => Math.max(0, s - 1))} disabled={step === 0 || add.isPending}>
          Back
        </Button>
        {step < STEPS.length - 1 ? (
          <Button type="button" onClick={next} disabled={check.isPending}>
            {check.isPending ? "Checking…" : "Continue"}
          </Button>
        ) : (
          <Button type="button" onClick={submit} disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add domain"}
          </Button>
        )}
      </div>
    </div>
  );
}

function Row({ k, v }: { k: string; v: string }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-4 px-4 py-3">
      <dt className="text-fg-muted">{k}</dt>
      <dd className="break-words font-medium">{v}</dd>
    </div>
  );
}
