import { connection } from "next/server";
import { Globe2 } from "lucide-react";
import { AppShell } from "@/components/shell/app-shell";
import { consoleSwitches } from "@/components/shell/switches";
import { requireViewer } from "@/server/auth/require";

export default async function CustomerLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const viewer = await requireViewer((v) => v.customerIds.length > 0);
  return (
    <AppShell
      section="Hosting"
      user={viewer}
      switches={consoleSwitches(viewer, "customer")}
      nav={[{ href: "/domains", label: "Domains", icon: <Globe2 /> }]}
    >
      {children}
    </AppShell>
  );
}
