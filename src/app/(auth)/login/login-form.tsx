"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { signInAction, type SignInState } from "./actions";

export function LoginForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.error ? (
        <div role="alert" className="rounded-brand border border-danger/20 bg-danger-bg px-3.5 py-3 text-sm text-danger">
          {state.error}
        </div>
      ) : null}
      <div>
        <label htmlFor="email" className="mb-1.5 block text-sm font-medium text-fg">
          E-mail
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          aria-invalid={Boolean(state.fields?.email)}
          aria-describedby={state.fields?.email ? "email-error" : undefined}
          className="block h-10 w-full rounded-brand border border-border bg-surface px-3 text-sm text-fg shadow-sm outline-none transition focus:border-primary focus:ring-2 focus:ring-primary/20"
        />
        {state.fields?.email ? (
          <p id="email-error" className="mt-1.5 text-sm text-danger">
            {state.fields.email}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor="password" className="mb-1.5 block text-sm font-medium text-fg">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={Boolean(state.fields?.password)}
          aria-describedby={state.fields?.password ? "password-error" : undefined}
          className="block h-10 w-full rounded-brand border border-border bg-surface px-3 text-sm text-fg shadow-sm outline-none transition focus:border-primary focus:ring-2 focus:ring-primary/20"
        />
        {state.fields?.password ? (
          <p id="password-error" className="mt-1.5 text-sm text-danger">
            {state.fields.password}
          </p>
        ) : null}
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
