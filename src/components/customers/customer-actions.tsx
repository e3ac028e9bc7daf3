"use client";

import { useMutation } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

const field = "h-8 rounded-brand border border-border bg-surface px-2 text-sm focus:outline-none focus:ring-2 focus:ring-primary/40";

/** A platform admin's actions on one customer: move it to another plan, or delete it (typing its name). */
export function CustomerActions({ customer, plans }: { customer: { id: string; name: string; plan: { slug: string } }; plans: Array<{ slug: string; name: string }> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const remove = useMutation(trpc.admin.deleteCustomer.mutationOptions({ onSuccess: () => router.refresh() }));
  const change = useMutation(trpc.admin.changePlan.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = remove.error?.message ?? change.error?.message;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center gap-2">
        <select
          aria-label={`Plan of ${customer.name}`}
          className={field}
          value={customer.plan.slug}
          disabled={change.isPending}
          onChange={(e) => change.mutate({ customerId: customer.id, plan: e.target.value })}
        >
          {plans.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
        {confirming ? (
          <form
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              remove.mutate({ customerId: customer.id, confirm: typed });
            }}
          >
            <input aria-label={`Type ${customer.name} to confirm`} placeholder={customer.name} className={field} value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
            <Button variant="danger" size="sm" type="submit" disabled={remove.isPending || typed.trim() !== customer.name}>
              Delete
            </Button>
            <Button variant="ghost" size="sm" type="button" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          <Button variant="ghost" size="sm" aria-label={`Delete ${customer.name}`} onClick={() => setConfirming(true)}>
            <Trash2 className="size-3.5" aria-hidden /> Delete
          </Button>
        )}
      </div>
      {error ? <span className="text-xs text-danger">{error}</span> : null}
    </div>
  );
}
