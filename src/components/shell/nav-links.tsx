"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export type NavItem = { href: string; label: string; icon: React.ReactNode };

export function NavLinks({ items }: { items: NavItem[] }) {
  const path = usePathname();
  // The longest matching link is the current one (so /admin/plans lights "Plans", not "Customers").
  const current = items
    .filter((i) => path === i.href || path.startsWith(`${i.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label="Main" className="space-y-0.5">
      {items.map((item) => {
        const active = item.href === current;
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-brand px-3 py-2 text-sm font-medium transition-colors",
              active ? "bg-sidebar-active text-white" : "text-sidebar-fg hover:bg-sidebar-active/60 hover:text-white",
            )}
          >
            <span className="[&>svg]:size-4">{item.icon}</span>
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
