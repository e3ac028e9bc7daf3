import type { Metadata } from "next";
import { ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { requireViewer } from "@/server/auth/require";
import { listLoginLocks, type LoginLock } from "@/server/services/auth/login-locks";
import { liftLockAction } from "./actions";

export const metadata: Metadata = { title: "Sign-in locks" };

const what: Record<LoginLock["scope"], string> = {
  pair: "This account from this address",
  address: "Every account from this address",
  account: "This account from addresses it has not signed in from",
};

export default async function SignInLocksPage() {
  const viewer = await requireViewer((v) => v.isPlatformAdmin);
  const locks = await listLoginLocks(viewer);
  const time = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });
  return (
    <>
      <PageHeader
        title="Sign-in locks"
        description="Failed sign-ins make an account wait from the address they came from; an address that fails for many accounts waits too; an account is locked everywhere only after many failures, and never from an address it recently signed in from. Lifting a lock is recorded in the audit log."
      />
      <Card>
        <CardHeader title="In force now" description={`${locks.length} lock${locks.length === 1 ? "" : "s"}`} />
        {locks.length === 0 ? (
          <EmptyState icon={<ShieldCheck className="size-5" />} title="No sign-in is locked" />
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Account</Th>
                <Th>Address</Th>
                <Th>Locks</Th>
                <Th>Failures</Th>
                <Th>Until</Th>
                <Th className="text-right">Action</Th>
              </tr>
            </thead>
            <tbody>
              {locks.map((l) => (
                <tr key={l.key}>
                  <Td className="font-medium">{l.account ?? "any"}</Td>
                  <Td className="font-mono text-xs">{l.address ?? "any"}</Td>
                  <Td className="text-fg-muted">{what[l.scope]}</Td>
                  <Td className="tabular-nums">{l.failures}</Td>
                  <Td className="text-fg-muted">{time.format(l.lockedUntil)}</Td>
                  <Td className="text-right">
                    <form action={liftLockAction}>
                      <input type="hidden" name="key" value={l.key} />
                      <Button variant="secondary" size="sm" type="submit">
                        Lift
                      </Button>
                    </form>
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
