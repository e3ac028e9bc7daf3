import { connection } from "next/server";
import { Building2, Globe2, Layers, LockKeyhole, Users } from "lucide-react";
import { AppShell } from "@/components/shell/app-shell";
import { consoleSwitches } from "@/components/shell/switches";
import { requireViewer } from "@/server/auth/require";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const viewer = await requireViewer((v) => v.isPlatformAdmin);
  return (
    <AppShell
      section="Admin console"
      user={viewer}
      switches={consoleSwitches(viewer, "admin")}
      nav={[
        { href: "/admin", label: "Customers", icon: <Users /> },
        { href: "/admin/domains", label: "Domains", icon: <Globe2 /> },
        { href: "/admin/plans", label: "Plans", icon: <Layers /> },
        { href: "/admin/partners", label: "Partners", icon: <Building2 /> },
        { href: "/admin/sign-in-locks", label: "Sign-in locks", icon: <LockKeyhole /> },
      ]}
    >
      {children}
    </AppShell>
  );
}
