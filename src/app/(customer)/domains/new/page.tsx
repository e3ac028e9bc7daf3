import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { AddDomainWizard } from "@/components/domains/add-domain-wizard";

export const metadata: Metadata = { title: "Add a domain" };

export default function NewDomainPage() {
  return (
    <div className="max-w-3xl">
      <Link href="/domains" className="text-sm text-fg-muted hover:text-fg">← Domains</Link>
      <div className="mt-2">
        <PageHeader title="Add a domain" description="We set up its site, DNS zone and mail; you can watch it happen." />
      </div>
      <AddDomainWizard />
    </div>
  );
}
