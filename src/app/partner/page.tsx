import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CustomerTable } from "@/components/customers/customer-table";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Your customers" };

export default async function PartnerHome() {
  const customers = await (await api()).partner.customers();
  return (
    <>
      <PageHeader title="Your customers" description="Customers you sell to under your own brand." />
      <Card>
        <CardHeader title="Customers" description={`${customers.length} in total`} />
        <CustomerTable rows={customers} showPartner={false} />
      </Card>
    </>
  );
}
