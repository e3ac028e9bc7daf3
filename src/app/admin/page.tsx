import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CustomerTable } from "@/components/customers/customer-table";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Customers" };

export default async function AdminHome() {
  const trpc = await api();
  const [customers, plans] = await Promise.all([trpc.admin.customers(), trpc.admin.plans()]);
  const active = customers.filter((c) => c.status === "ACTIVE" && !c.suspended).length;
  const suspended = customers.filter((c) => c.suspended).length;
  return (
    <>
      <PageHeader title="Customers" description="Every customer on the platform, direct and through partners." />
      <div className="mb-6 grid gap-4 sm:grid-cols-3">
        <Stat label="Customers" value={customers.length} />
        <Stat label="Active" value={active} />
        <Stat label="Suspended" value={suspended} />
      </div>
      <Card>
        <CardHeader title="All customers" description={`${customers.length} ${customers.length === 1 ? "customer" : "customers"} on ${plans.length} ${plans.length === 1 ? "plan" : "plans"}`} />
        <CustomerTable rows={customers} showPartner plans={plans.map((p) => ({ slug: p.slug, name: p.name }))} />
      </Card>
    </>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-brand border border-border bg-surface p-4 shadow-sm">
      <p className="text-sm font-medium text-fg-muted">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
    </div>
  );
}
