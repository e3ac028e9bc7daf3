import { connection } from "next/server";
import { Users } from "lucide-react";
import { AppShell } from "@/components/shell/app-shell";
import { consoleSwitches } from "@/components/shell/switches";
import { requireViewer } from "@/server/auth/require";

export default async function PartnerLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const viewer = await requireViewer((v) => v.partnerIds.length > 0);
  return (
    <AppShell
      section="Partner console"
      user={viewer}
      switches={consoleSwitches(viewer, "partner")}
      nav={[{ href: "/partner", label: "Customers", icon: <Users /> }]}
    >
      {children}
    </AppShell>
  );
}
