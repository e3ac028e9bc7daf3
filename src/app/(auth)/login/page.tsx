import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Anchor, Globe2, Mail, ShieldCheck } from "lucide-react";
import { getViewer, homeFor } from "@/server/auth/viewer";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  const viewer = await getViewer();
  if (viewer) redirect(homeFor(viewer));
  return (
    <main className="grid min-h-screen lg:grid-cols-[1fr_1.1fr]">
      <section className="flex items-center justify-center px-6 py-12">
        <div className="w-full max-w-sm">
          <div className="mb-10 flex items-center gap-2.5">
            <span className="grid size-9 place-items-center rounded-brand bg-primary text-primary-fg">
              <Anchor className="size-5" aria-hidden />
            </span>
            <span className="text-lg font-semibold tracking-tight">Berth</span>
          </div>
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to your panel</h1>
          <p className="mb-8 mt-1.5 text-sm text-fg-muted">Manage your domains, mail and databases.</p>
          <LoginForm />
        </div>
      </section>
      <aside className="relative hidden overflow-hidden bg-sidebar lg:flex lg:items-center lg:justify-center">
        <div className="absolute inset-0 bg-[radial-gradient(ellipse_at_top_right,rgba(37,99,235,0.35),transparent_60%)]" aria-hidden />
        <div className="relative max-w-md px-10 text-sidebar-fg">
          <p className="text-sm font-medium uppercase tracking-widest text-blue-300">Kubernetes-native hosting</p>
          <h2 className="mt-3 text-3xl font-semibold leading-tight text-white">Every site, mailbox and zone, reconciled.</h2>
          <ul className="mt-8 space-y-4 text-sm">
            <li className="flex gap-3"><Globe2 className="size-5 shrink-0 text-blue-300" aria-hidden /> Domains go live with DNS, TLS and a workload in one step.</li>
            <li className="flex gap-3"><Mail className="size-5 shrink-0 text-blue-300" aria-hidden /> Mailboxes, aliases and DKIM set up for you.</li>
            <li className="flex gap-3"><ShieldCheck className="size-5 shrink-0 text-blue-300" aria-hidden /> Each account isolated in its own namespace and quota.</li>
          </ul>
        </div>
      </aside>
    </main>
  );
}
