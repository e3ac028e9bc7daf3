"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { clientAddress } from "@/server/auth/client-address";
import { getViewer } from "@/server/auth/viewer";
import { liftLoginLock } from "@/server/services/auth/login-locks";

/** Lifts one sign-in lock; the service checks that the viewer is a platform admin and audits the lift. */
export async function liftLockAction(form: FormData): Promise<void> {
  const viewer = await getViewer();
  if (!viewer) return;
  const key = String(form.get("key") ?? "");
  await liftLoginLock(viewer, key, { ip: clientAddress(new Headers(await headers())) });
  revalidatePath("/admin/sign-in-locks");
}
