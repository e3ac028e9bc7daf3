import type { Viewer } from "@/server/auth/viewer";
import type { ShellSwitch } from "./app-shell";

/** Other consoles this person can open, besides the one they are in. */
export function consoleSwitches(viewer: Viewer, current: "admin" | "partner" | "customer"): ShellSwitch[] {
  const out: ShellSwitch[] = [];
  if (viewer.isPlatformAdmin && current !== "admin") out.push({ href: "/admin", label: "Admin console" });
  if (viewer.partnerIds.length && current !== "partner") out.push({ href: "/partner", label: "Partner console" });
  if (viewer.customerIds.length && current !== "customer") out.push({ href: "/domains", label: "Customer panel" });
  return out;
}
