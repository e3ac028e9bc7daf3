import "server-only";
import { redirect } from "next/navigation";
import { getViewer, type Viewer } from "@/server/auth/viewer";

/** For layouts and pages: the viewer, or a redirect to sign-in / to a home they may see. */
export async function requireViewer(allowed: (v: Viewer) => boolean): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  if (!allowed(viewer)) redirect("/no-access");
  return viewer;
}
