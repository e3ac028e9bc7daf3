import { cn } from "./cn";

const tones = {
  ACTIVE: "bg-success-bg text-success ring-success/20",
  PENDING: "bg-muted text-fg-muted ring-border",
  PROVISIONING: "bg-blue-50 text-blue-700 ring-blue-600/20",
  FAILED: "bg-danger-bg text-danger ring-danger/20",
  SUSPENDED: "bg-warning-bg text-warning ring-warning/20",
  DELETING: "bg-muted text-fg-muted ring-border",
} as const;

const labels: Record<keyof typeof tones, string> = {
  ACTIVE: "Active",
  PENDING: "Pending",
  PROVISIONING: "Provisioning",
  FAILED: "Failed",
  SUSPENDED: "Suspended",
  DELETING: "Deleting",
};

export function StatusBadge({ status, suspended }: { status: keyof typeof tones; suspended?: boolean }) {
  const s = suspended ? "SUSPENDED" : status;
  return (
    <span className={cn("inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset", tones[s])}>
      <span className="size-1.5 rounded-full bg-current" aria-hidden />
      {labels[s]}
    </span>
  );
}
