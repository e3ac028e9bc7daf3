import { Users } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { CustomerRow } from "@/server/services/customers/list-customers";
import { CustomerActions } from "./customer-actions";

/** With `plans`, a platform admin's view: each row can change plan or be deleted. */
export function CustomerTable({ rows, showPartner, plans }: { rows: CustomerRow[]; showPartner: boolean; plans?: Array<{ slug: string; name: string }> }) {
  if (!rows.length) {
    return (
      <EmptyState icon={<Users className="size-5" />} title="No customers yet">
        Customers appear here as soon as they are created.
      </EmptyState>
    );
  }
  const date = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
  return (
    <Table>
      <thead>
        <tr>
          <Th>Customer</Th>
          <Th>Namespace</Th>
          {showPartner ? <Th>Sold by</Th> : null}
          <Th>Plan</Th>
          <Th className="text-right">Domains</Th>
          <Th>Status</Th>
          <Th>Created</Th>
          {plans ? <Th className="text-right">Actions</Th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} className="hover:bg-muted/40">
            <Td className="font-medium">{c.name}</Td>
            <Td className="font-mono text-xs text-fg-muted">cust-{c.number}</Td>
            {showPartner ? <Td>{c.partner.isPlatform ? <span className="text-fg-muted">Direct</span> : c.partner.name}</Td> : null}
            <Td>{c.plan.name}</Td>
            <Td className="text-right tabular-nums">{c._count.domains}</Td>
            <Td>
              {c.status === "PENDING" && !c.suspended && c._count.domains === 0 ? (
                <span className="text-xs text-fg-muted">No sites yet</span>
              ) : (
                <StatusBadge status={c.status} suspended={c.suspended} />
              )}
            </Td>
            <Td className="text-fg-muted">{date.format(c.createdAt)}</Td>
            {plans ? (
              <Td className="text-right">{c.status === "DELETING" ? <span className="text-xs text-fg-muted">Deleting…</span> : <CustomerActions customer={c} plans={plans} />}</Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
