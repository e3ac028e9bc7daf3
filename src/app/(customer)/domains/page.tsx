import type { Metadata } from "next";
import Link from "next/link";
import { Globe2, Plus } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { UsageMeter } from "@/components/ui/usage-meter";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Domains" };

export default async function DomainsPage() {
  const o = await (await api()).customer.overview();
  return (
    <>
      <PageHeader
        title="Domains"
        description={`${o.name} · ${o.plan.name} plan · namespace ${o.namespace}`}
        action={
          <Link href="/domains/new" className={buttonClass()}>
            <Plus className="size-4" aria-hidden /> Add domain
          </Link>
        }
      />
      <div className="mb-6 grid gap-4 sm:grid-cols-3">
        <UsageMeter label="Domains" used={o.usage.domains.used} limit={o.usage.domains.limit} />
        <UsageMeter label="Mailboxes" used={o.usage.mailboxes.used} limit={o.usage.mailboxes.limit} />
        <UsageMeter label="Storage allocated" used={o.usage.storageGi.used} limit={o.usage.storageGi.limit} unit="GiB" />
      </div>
      <Card>
        <CardHeader title="Your domains" description="Each domain gets its site, DNS zone and mail." />
        {o.domains.length === 0 ? (
          <EmptyState icon={<Globe2 className="size-5" />} title="No domains yet">
            Add your first domain: we set up its site, DNS and mail.
          </EmptyState>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Domain</Th>
                <Th className="text-right">Mailboxes</Th>
                <Th className="text-right">Aliases</Th>
                <Th>Status</Th>
              </tr>
            </thead>
            <tbody>
              {o.domains.map((d) => (
                <tr key={d.id}>
                  <Td className="font-medium">
                    <Link href={`/domains/${d.id}`} className="hover:text-primary hover:underline">{d.displayName}</Link>
                    {d.displayName !== d.name ? <span className="ml-2 font-mono text-xs text-fg-muted">{d.name}</span> : null}
                  </Td>
                  <Td className="text-right tabular-nums">{d._count.mailboxes}</Td>
                  <Td className="text-right tabular-nums">{d._count.aliases}</Td>
                  <Td>
                    <StatusBadge status={d.status} suspended={d.suspended} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
