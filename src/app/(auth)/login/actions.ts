"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { signIn } from "@/server/auth/config";
import { requestHostsKnown } from "@/server/services/panel-hosts/known-hosts";
import { credentialsSchema, INVALID_CREDENTIALS, waitMessage } from "@/server/services/auth/authenticate";

export type SignInState = {
  error?: string;
  fields?: { email?: string; password?: string };
  email?: string;
};

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  const parsed = credentialsSchema.safeParse({ email, password: form.get("password") ?? "" });
  if (!parsed.success) {
    const f = parsed.error.flatten().fieldErrors;
    return { email, fields: { email: f.email?.[0], password: f.password?.[0] } };
  }
  if (!(await requestHostsKnown(new Headers(await headers())))) {
    return { email, error: "Sign-in is not available on this address. Use your panel's own address." };
  }
  try {
    await signIn("credentials", { ...parsed.data, redirect: false });
  } catch (e) {
    if (e instanceof CredentialsSignin) {
      const throttled = /^throttled:(\d+)$/.exec(e.code);
      return { email, error: throttled ? waitMessage(Number(throttled[1])) : INVALID_CREDENTIALS };
    }
    if (e instanceof AuthError) return { email, error: "Sign-in is unavailable right now. Try again in a moment." };
    throw e;
  }
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  const { signOut } = await import("@/server/auth/config");
  await signOut({ redirectTo: "/login" });
}
