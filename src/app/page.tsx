import { redirect } from "next/navigation";
import { getViewer, homeFor } from "@/server/auth/viewer";

export default async function Home() {
  const viewer = await getViewer();
  redirect(viewer ? homeFor(viewer) : "/login");
}
