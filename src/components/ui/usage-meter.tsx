import { cn } from "./cn";

/** Used vs. the plan's limit; a null limit means unlimited. */
export function UsageMeter({ label, used, limit, unit }: { label: string; used: number; limit: number | null; unit?: string }) {
  const pct = limit ? Math.min(100, Math.round((used / limit) * 100)) : 0;
  const suffix = unit ? ` ${unit}` : "";
  return (
    <div className="rounded-brand border border-border bg-surface p-4 shadow-sm">
      <div className="flex items-baseline justify-between">
        <span className="text-sm font-medium text-fg-muted">{label}</span>
        <span className="text-xs text-fg-muted">{limit === null ? "Unlimited" : `${pct}%`}</span>
      </div>
      <div className="mt-2 text-2xl font-semibold text-fg">
        {used}
        {suffix}
        <span className="text-base font-normal text-fg-muted"> / {limit === null ? "∞" : `${limit}${suffix}`}</span>
      </div>
      <div className="mt-3 h-1.5 overflow-hidden rounded-full bg-muted" role="progressbar" aria-label={label} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
        <div className={cn("h-full rounded-full", pct >= 90 ? "bg-danger" : pct >= 75 ? "bg-warning" : "bg-primary")} style={{ width: `${limit === null ? 0 : pct}%` }} />
      </div>
    </div>
  );
}
