"use client";

import { useMutation } from "@tanstack/react-query";
import { RotateCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

export function RetryButton({ domainId, name }: { domainId: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const retry = useMutation(trpc.admin.retryDomain.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" size="sm" aria-label={`Retry ${name}`} disabled={retry.isPending} onClick={() => retry.mutate({ domainId })}>
        <RotateCw className="size-3.5" aria-hidden /> Retry
      </Button>
      {retry.error ? <span className="text-xs text-danger">{retry.error.message}</span> : null}
    </div>
  );
}
