"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, Check, Circle, Loader2, Minus, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { StatusBadge } from "@/components/ui/status-badge";
import { useTRPC } from "@/trpc/react";
import { stepInfo } from "@/lib/provisioning/catalog";

const IN_PROGRESS = new Set(["PENDING", "PROVISIONING", "DELETING"]);

const stepIcon = {
  PENDING: <Circle className="size-4 text-fg-muted" aria-hidden />,
  RUNNING: <Loader2 className="size-4 animate-spin text-primary" aria-hidden />,
  SUCCEEDED: <Check className="size-4 text-success" aria-hidden />,
  WARNING: <AlertTriangle className="size-4 text-warning" aria-hidden />,
  FAILED: <X className="size-4 text-danger" aria-hidden />,
  SKIPPED: <Minus className="size-4 text-fg-muted" aria-hidden />,
} as const;

const stepLabel = { PENDING: "Waiting", RUNNING: "Running", SUCCEEDED: "Done", WARNING: "Warning", FAILED: "Failed", SKIPPED: "Skipped" } as const;

const ms = (n: number | null) => (n === null ? "" : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);

/** A domain's status and its latest provisioning run, refreshed every second while work is in progress. */
export function DomainLive({ domainId }: { domainId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const query = useQuery(
    trpc.customer.domains.get.queryOptions(
      { domainId },
      { refetchInterval: (q) => (q.state.error ? false : !q.state.data || IN_PROGRESS.has(q.state.data.status) ? 1000 : 10_000) },
    ),
  );
  const [confirm, setConfirm] = useState("");
  const del = useMutation(
    trpc.customer.domains.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.customer.domains.get.queryKey({ domainId }) }),
    }),
  );

  if (query.error) {
    return (
      <Card className="p-6">
        <p className="text-sm">{query.error.data?.code === "NOT_FOUND" ? "This domain is gone: it was deleted, or it is not yours." : query.error.message}</p>
        <Button variant="secondary" className="mt-4" onClick={() => router.push("/domains")}>Back to domains</Button>
      </Card>
    );
  }
  const d = query.data;
  if (!d) return <p className="text-sm text-fg-muted">Loading…</p>;
  const run = d.runs[0];
  const total = run?.steps.length ?? 0;
  const done = run?.steps.filter((s) => s.status === "SUCCEEDED" || s.status === "WARNING").length ?? 0;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{d.displayName}</h1>
        <StatusBadge status={d.status} suspended={d.suspended} />
        {d.displayName !== d.name ? <span className="font-mono text-xs text-fg-muted">{d.name}</span> : null}
      </div>
      {d.lastError ? (
        <div role="alert" className="rounded-brand border border-danger/20 bg-danger-bg px-4 py-3 text-sm text-danger">
          {d.status === "FAILED" ? "Provisioning stopped: " : "Retrying after: "}
          {d.lastError}
        </div>
      ) : null}

      <Card>
        <CardHeader
          title={run ? (run.action === "DELETE" ? "Removal" : run.action === "RESYNC" ? "Last check" : "Provisioning") : "Waiting for a worker"}
          description={run ? `${done} of ${total} steps done · started ${new Date(run.startedAt).toLocaleTimeString()}${run.finishedAt ? ` · took ${ms(new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime())}` : ""}` : "Provisioning starts within a few seconds."}
        />
        {run ? (
          <ol className="divide-y divide-border" aria-label="Provisioning steps">
            {run.steps.map((s) => (
              <li key={s.id} className="flex items-start gap-3 px-5 py-3" data-step={s.name} data-status={s.status}>
                <span className="mt-0.5" title={stepLabel[s.status]}>{stepIcon[s.status]}</span>
                <div className="min-w-0 flex-1">
                  <div className="flex items-baseline justify-between gap-3">
                    <span className={cn("text-sm font-medium", s.status === "PENDING" && "text-fg-muted")}>{stepInfo("Domain", s.name)?.title ?? s.name}</span>
                    <span className="shrink-0 text-xs tabular-nums text-fg-muted">
                      {s.attempt > 1 ? `attempt ${s.attempt} · ` : ""}
                      {ms(s.durationMs)}
                    </span>
                  </div>
                  {s.message ? <p className={cn("mt-0.5 break-words text-xs", s.status === "FAILED" ? "text-danger" : s.status === "WARNING" ? "text-warning" : "text-fg-muted")}>{s.message}</p> : null}
                </div>
              </li>
            ))}
          </ol>
        ) : null}
      </Card>

      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardHeader title="Mailboxes" description={`${d.mailboxes.length} at ${d.displayName}`} />
          <ul className="divide-y divide-border text-sm">
            {d.mailboxes.length === 0 ? <li className="px-5 py-3 text-fg-muted">None yet.</li> : null}
            {d.mailboxes.map((m) => (
              <li key={m.id} className="flex justify-between px-5 py-3">
                <span className="font-medium">{m.address}</span>
                <span className="text-fg-muted">{m.quotaMb >= 1024 ? `${m.quotaMb / 1024} GB` : `${m.quotaMb} MB`}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card>
          <CardHeader title="Aliases" description="Addresses that forward" />
          <ul className="divide-y divide-border text-sm">
            {d.aliases.length === 0 ? <li className="px-5 py-3 text-fg-muted">None yet.</li> : null}
            {d.aliases.map((a) => (
              <li key={a.id} className="px-5 py-3">
                <span className="font-medium">{a.source}</span> <span className="text-fg-muted">→ {a.destination}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>

      {d.status !== "DELETING" ? (
        <Card className="border-danger/30">
          <CardHeader title="Delete this domain" description="Removes its site, volumes, DNS zone, mailboxes and DKIM key everywhere. This cannot be undone." />
          <form
            className="flex flex-wrap items-start gap-3 px-5 py-4"
            onSubmit={(e) => {
              e.preventDefault();
              del.mutate({ domainId, confirm });
            }}
          >
            <div className="min-w-64 flex-1">
              <label htmlFor="confirm-delete" className="sr-only">Type the domain name to confirm</label>
              <input id="confirm-delete" value={confirm} onChange={(e) => setConfirm(e.target.value)} placeholder={`Type ${d.displayName} to confirm`} className="block h-10 w-full rounded-brand border border-border bg-surface px-3 text-sm shadow-sm outline-none focus:border-danger focus:ring-2 focus:ring-danger/20" />
              {del.error ? <p className="mt-1.5 text-sm text-danger">{del.error.message}</p> : null}
            </div>
            <Button variant="danger" type="submit" disabled={del.isPending || confirm.trim().toLowerCase() !== d.displayName.toLowerCase() && confirm.trim().toLowerCase() !== d.name}>
              Delete domain
            </Button>
          </form>
        </Card>
      ) : null}
    </div>
  );
}
