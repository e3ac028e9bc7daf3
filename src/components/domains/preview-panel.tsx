"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { cn } from "@/components/ui/cn";

type Input = {
  domain: string;
  includeDatabase: boolean;
  mailUsers: Array<{ localPart: string; password: string }>;
  aliases: Array<{ source: string; destination: string }>;
};

const ACTION_WORDS = { create: "new", update: "updated", delete: "removed", unchanged: "in place" } as const;

const badge = (action: string) =>
  cn(
    "rounded px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide",
    action === "create" ? "bg-success-bg text-success" : action === "update" || action === "delete" ? "bg-warning-bg text-warning" : "bg-muted text-fg-muted",
  );

/** A step's overall effect: new if it creates anything, updated if it changes anything, else in place. */
function effect(changes: Array<{ action: string }>): keyof typeof ACTION_WORDS {
  if (changes.some((c) => c.action === "create")) return "create";
  if (changes.some((c) => c.action === "update" || c.action === "delete")) return "update";
  return "unchanged";
}

/**
 * The plan of changes, asked of the provisioning steps themselves: in plain
 * words by default, and object by object (Kubernetes dry run, DNS rrsets,
 * mail rows) behind a toggle.
 */
export function PreviewPanel({ input }: { input: Input }) {
  const trpc = useTRPC();
  // A mutation so passwords go in a POST body, never a URL; fired once per distinct input.
  const q = useMutation(trpc.customer.domains.preview.mutationOptions());
  const [technical, setTechnical] = useState(false);
  const key = JSON.stringify(input);
  const { mutate } = q;
  useEffect(() => {
    mutate(JSON.parse(key) as Input);
  }, [key, mutate]);
  if (q.isPending || q.isIdle) return <p className="text-sm text-fg-muted">Working out what will be set up…</p>;
  if (q.error) return <p role="alert" className="text-sm text-danger">{q.error.message}</p>;
  const steps = q.data.steps.filter((s) => s.changes.length > 0);
  return (
    <div className="space-y-3" aria-label="Plan of changes">
      <ul className="divide-y divide-border rounded-brand border border-border text-sm">
        {steps.map((s, i) => {
          const e = effect(s.changes);
          return (
            <li key={`${s.kind}/${s.name}/${i}`} className="flex items-center justify-between gap-3 px-3 py-2">
              <span className="min-w-0">
                <span className="block truncate">{s.kind === "Mailbox" || s.kind === "Alias" ? `${s.title}: ${s.changes[0]?.target.replace(/^virtual_\w+ /, "") ?? ""}` : s.title}</span>
                {technical ? <span className="block truncate text-xs text-fg-muted">{s.technicalTitle}</span> : null}
              </span>
              <span className={badge(e)}>{ACTION_WORDS[e]}</span>
            </li>
          );
        })}
      </ul>
      <button type="button" className="text-xs font-medium text-primary underline-offset-2 hover:underline" aria-expanded={technical} onClick={() => setTechnical((t) => !t)}>
        {technical ? "Hide technical details" : "Show technical details"}
      </button>
      {technical ? (
        <ul className="space-y-1 rounded-brand border border-border p-3 font-mono text-xs" aria-label="Changes object by object">
          {steps.flatMap((s) =>
            s.changes.map((c, j) => (
              <li key={`${s.kind}/${s.name}/${c.target}/${j}`} className="flex items-start justify-between gap-2">
                <span className="min-w-0 break-all">
                  <span className="text-fg-muted">{c.system}</span> <span>{c.target}</span>
                  {c.fields?.length ? <span className="text-fg-muted"> ({c.fields.join(", ")})</span> : null}
                  {c.note ? <span className="text-fg-muted"> — {c.note}</span> : null}
                </span>
                <span className={badge(c.action)}>{c.action}</span>
              </li>
            )),
          )}
        </ul>
      ) : null}
    </div>
  );
}
