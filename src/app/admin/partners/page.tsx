import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Partners" };

export default async function PartnersPage() {
  const partners = await (await api()).admin.partners();
  return (
    <>
      <PageHeader title="Partners" description="White-label resellers, and the platform's own row for customers sold directly." />
      <Card>
        <Table>
          <thead>
            <tr>
              <Th>Partner</Th>
              <Th>Panel hosts</Th>
              <Th className="text-right">Customers</Th>
              <Th>Status</Th>
            </tr>
          </thead>
          <tbody>
            {partners.map((p) => (
              <tr key={p.id}>
                <Td className="font-medium">
                  {p.name}
                  {p.isPlatform ? <span className="ml-2 rounded bg-muted px-1.5 py-0.5 text-xs text-fg-muted">Platform</span> : null}
                </Td>
                <Td className="font-mono text-xs text-fg-muted">{p.domains.map((d) => d.hostname).join(", ") || "—"}</Td>
                <Td className="text-right tabular-nums">{p._count.customers}</Td>
                <Td>{p.suspended ? "Suspended" : "Active"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </>
  );
}
