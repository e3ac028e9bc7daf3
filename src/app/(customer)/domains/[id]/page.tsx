import type { Metadata } from "next";
import Link from "next/link";
import { DomainLive } from "@/components/domains/domain-live";

export const metadata: Metadata = { title: "Domain" };

export default async function DomainPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div className="space-y-4">
      <Link href="/domains" className="text-sm text-fg-muted hover:text-fg">← Domains</Link>
      <DomainLive domainId={id} />
    </div>
  );
}
