import { buttonClass } from "@/components/ui/button";
import { signOutAction } from "@/app/(auth)/login/actions";

export default function NoAccess() {
  return (
    <main className="grid min-h-screen place-items-center px-6">
      <div className="max-w-md text-center">
        <h1 className="text-xl font-semibold">Nothing to show here</h1>
        <p className="mt-2 text-sm text-fg-muted">
          Your account is not a member of any customer, partner or the platform team. Ask the person who invited you to add you.
        </p>
        <form action={signOutAction} className="mt-6">
          <button type="submit" className={buttonClass("secondary")}>Sign out</button>
        </form>
      </div>
    </main>
  );
}
