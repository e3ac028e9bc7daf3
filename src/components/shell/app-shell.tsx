import Link from "next/link";
import { Anchor, LogOut } from "lucide-react";
import { signOutAction } from "@/app/(auth)/login/actions";
import { NavLinks, type NavItem } from "./nav-links";

export type ShellSwitch = { href: string; label: string };

/** The frame of every signed-in page: brand, navigation, who is signed in, sign out. */
export function AppShell({
  section,
  nav,
  user,
  switches = [],
  children,
}: {
  section: string;
  nav: NavItem[];
  user: { name: string; email: string };
  switches?: ShellSwitch[];
  children: React.ReactNode;
}) {
  const initials = user.name
    .split(/\s+/)
    .map((p) => p[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <div className="flex min-h-screen">
      <aside className="w-64 shrink-0 bg-sidebar">
        <div className="sticky top-0 flex h-screen flex-col px-3 py-5">
        <Link href="/" className="mb-6 flex items-center gap-2.5 px-3">
          <span className="grid size-8 place-items-center rounded-brand bg-primary text-primary-fg">
            <Anchor className="size-4" aria-hidden />
          </span>
          <span className="font-semibold tracking-tight text-white">Berth</span>
        </Link>
        <p className="mb-2 px-3 text-[11px] font-semibold uppercase tracking-wider text-slate-500">{section}</p>
        <NavLinks items={nav} />
        {switches.length ? (
          <div className="mt-6">
            <p className="mb-2 px-3 text-[11px] font-semibold uppercase tracking-wider text-slate-500">Switch to</p>
            {switches.map((s) => (
              <Link key={s.href} href={s.href} className="block rounded-brand px-3 py-2 text-sm text-sidebar-fg hover:bg-sidebar-active/60 hover:text-white">
                {s.label}
              </Link>
            ))}
          </div>
        ) : null}
        <div className="mt-auto border-t border-white/10 px-3 pt-4">
          <div className="flex items-center gap-3">
            <span className="grid size-8 shrink-0 place-items-center rounded-full bg-slate-700 text-xs font-semibold text-white" aria-hidden>
              {initials}
            </span>
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium text-white" data-testid="signed-in-name">{user.name}</p>
              <p className="truncate text-xs text-slate-400">{user.email}</p>
            </div>
            <form action={signOutAction}>
              <button type="submit" title="Sign out" aria-label="Sign out" className="rounded-brand p-1.5 text-slate-400 hover:bg-sidebar-active hover:text-white">
                <LogOut className="size-4" aria-hidden />
              </button>
            </form>
          </div>
        </div>
        </div>
      </aside>
      <main className="min-w-0 flex-1">
        <div className="mx-auto max-w-6xl px-8 py-8">{children}</div>
      </main>
    </div>
  );
}
