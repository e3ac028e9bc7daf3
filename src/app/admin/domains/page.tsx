import type { Metadata } from "next";
import { Globe2 } from "lucide-react";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { RetryButton } from "@/components/domains/retry-button";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Domains and provisioning" };

export default async function AdminDomainsPage() {
  const domains = await (await api()).admin.domains();
  const failed = domains.filter((d) => d.status === "FAILED").length;
  const time = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
  return (
    <>
      <PageHeader title="Domains and provisioning" description="Every domain's reconcile state. Failed runs wait for a person: fix the cause the error names, then retry." />
      <Card>
        <CardHeader title="Domains" description={`${domains.length} in total${failed ? ` · ${failed} failed` : ""}`} />
        {domains.length === 0 ? (
          <EmptyState icon={<Globe2 className="size-5" />} title="No domains yet" />
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Domain</Th>
                <Th>Customer</Th>
                <Th>Status</Th>
                <Th>Last run</Th>
                <Th className="text-right">Action</Th>
              </tr>
            </thead>
            <tbody>
              {domains.map((d) => (
                <tr key={d.id} className="align-top">
                  <Td className="font-medium">
                    {d.displayName}
                    {d.lastError ? <p className="mt-1 max-w-md text-xs font-normal text-danger">{d.lastError}</p> : null}
                  </Td>
                  <Td>
                    {d.customer.name} <span className="font-mono text-xs text-fg-muted">cust-{d.customer.number}</span>
                  </Td>
                  <Td>
                    <StatusBadge status={d.status} suspended={d.suspended} />
                  </Td>
                  <Td className="text-fg-muted">
                    {d.runs[0] ? `${d.runs[0].action.toLowerCase()} ${d.runs[0].status.toLowerCase()} · ${time.format(d.runs[0].startedAt)}` : "—"}
                  </Td>
                  <Td className="text-right">{d.status === "FAILED" ? <RetryButton domainId={d.id} name={d.displayName} /> : null}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
