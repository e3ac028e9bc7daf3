import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Plans" };

const cpu = (m: number) => (m % 1000 === 0 ? `${m / 1000}` : `${m / 1000}`);
const mem = (mi: number) => (mi >= 1024 ? `${mi / 1024} GiB` : `${mi} MiB`);
const limit = (n: number | null) => (n === null ? "Unlimited" : String(n));

export default async function PlansPage() {
  const plans = await (await api()).admin.plans();
  return (
    <>
      <PageHeader title="Plans" description="What each tier gets: the ResourceQuota and limits applied to a customer's namespace." />
      <div className="grid gap-5 md:grid-cols-3">
        {plans.map((p) => (
          <Card key={p.id} className="flex flex-col p-5">
            <div className="flex items-baseline justify-between">
              <h2 className="text-lg font-semibold">{p.name}</h2>
              <span className="text-xs text-fg-muted">{p._count.customers} customers</span>
            </div>
            <p className="mt-1 min-h-10 text-sm text-fg-muted">{p.description}</p>
            <dl className="mt-4 space-y-2 text-sm">
              <Row k="CPU (request / limit)" v={`${cpu(p.cpuRequestM)} / ${cpu(p.cpuLimitM)} cores`} />
              <Row k="Memory (request / limit)" v={`${mem(p.memoryRequestMi)} / ${mem(p.memoryLimitMi)}`} />
              <Row k="Storage" v={`${p.storageGi} GiB`} />
              <Row k="Volumes" v={String(p.maxPvcs)} />
              <Row k="Mailboxes" v={limit(p.maxMailboxes)} />
              <Row k="Domains" v={limit(p.maxDomains)} />
              <Row k="Databases" v={limit(p.maxDatabases)} />
              <Row k="App replicas" v={String(p.appReplicas)} />
            </dl>
          </Card>
        ))}
      </div>
    </>
  );
}

function Row({ k, v }: { k: string; v: string }) {
  return (
    <div className="flex justify-between gap-3 border-b border-border pb-2 last:border-0">
      <dt className="text-fg-muted">{k}</dt>
      <dd className="font-medium tabular-nums">{v}</dd>
    </div>
  );
}
