"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "@/trpc/react";
import { cn } from "@/components/ui/cn";

type Input = {
  domain: string;
  includeDatabase: boolean;
  mailUsers: Array<{ localPart: string; password: string }>;
  aliases: Array<{ source: string; destination: string }>;
};

const badge = (action: string) =>
  cn(
    "rounded px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide",
    action === "create" || action === "write" ? "bg-success-bg text-success" : action === "update" ? "bg-warning-bg text-warning" : "bg-muted text-fg-muted",
  );

/** The plan of changes: what Kubernetes (dry run), PowerDNS and the mail DB would get. */
export function PreviewPanel({ input }: { input: Input }) {
  const trpc = useTRPC();
  // A mutation so passwords go in a POST body, never a URL; fired once per distinct input.
  const q = useMutation(trpc.customer.domains.preview.mutationOptions());
  const key = JSON.stringify(input);
  const { mutate } = q;
  useEffect(() => {
    mutate(JSON.parse(key) as Input);
  }, [key, mutate]);
  if (q.isPending || q.isIdle) return <p className="text-sm text-fg-muted">Working out what will be created…</p>;
  if (q.error) return <p role="alert" className="text-sm text-danger">{q.error.message}</p>;
  const p = q.data;
  return (
    <div className="space-y-4" aria-label="Plan of changes">
      <section className="rounded-brand border border-border p-3">
        <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-fg-muted">Kubernetes</h4>
        <ul className="grid gap-x-6 gap-y-1 text-xs sm:grid-cols-2">
          {p.kubernetes.map((o) => (
            <li key={`${o.kind}/${o.namespace ?? ""}/${o.name}`} className="flex items-center justify-between gap-2" title={o.note}>
              <span className="truncate"><span className="text-fg-muted">{o.kind}</span> {o.name}</span>
              <span className={badge(o.action)}>{o.action}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="rounded-brand border border-border p-3">
        <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-fg-muted">DNS zone {p.dns.zone.name}</h4>
        <ul className="grid gap-x-6 gap-y-1 text-xs sm:grid-cols-2">
          {p.dns.rrsets.map((r) => (
            <li key={`${r.type} ${r.name}`} className="flex items-center justify-between gap-2">
              <span className="truncate"><span className="font-mono text-fg-muted">{r.type}</span> {r.name}</span>
              <span className={badge(r.action)}>{r.action}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="rounded-brand border border-border p-3">
        <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-fg-muted">Mail</h4>
        <ul className="grid gap-x-6 gap-y-1 text-xs sm:grid-cols-2">
          <li>Domain {p.mail.virtual_domains[0]?.name}</li>
          {p.mail.virtual_users.map((u) => <li key={u.email}>Mailbox {u.email}</li>)}
          {p.mail.virtual_aliases.map((a) => <li key={`${a.source}>${a.destination}`}>Alias {a.source} → {a.destination}</li>)}
          <li>DKIM selector {p.mail.dkim_selectors[0]?.selector}</li>
        </ul>
      </section>
    </div>
  );
}
