import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ShieldCheck } from "lucide-react";
import { LoginForm } from "@/components/login-form";
import { hasVendorAdmin } from "@/lib/admin/first-run";
import { oidcSettings } from "@/lib/auth/oidc-config";
import { sessionUser } from "@/lib/auth/principal";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  "admin-created": "The vendor admin account is ready. Sign in with it.",
  "password-set": "Your password is set. Sign in with it.",
  "password-changed": "Your password was changed and you were signed out everywhere. Sign in with the new password.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string; notice?: string }> }) {
  if (await sessionUser()) redirect("/");
  const { error, notice } = await searchParams;
  const notes = notice ? NOTICES[notice] : undefined;
  // An empty installation has no account to sign in with: point at the way in instead of a dead end.
  const firstRun = !(await hasVendorAdmin());
  const sso = oidcSettings()?.name ?? null;
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4 dark:bg-zinc-950">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-2 text-lg font-semibold tracking-tight">
          <ShieldCheck className="size-6 text-indigo-600 dark:text-indigo-400" aria-hidden />
          Orgtrail
        </div>
        {firstRun ? (
          <div role="note" data-testid="first-run-hint" className="mb-4 rounded-lg border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950 dark:text-indigo-200">
            <p className="font-medium">First run?</p>
            <p className="mt-0.5 text-indigo-800/90 dark:text-indigo-300">
              No vendor admin exists yet. Open the setup link printed in the server log, or run{" "}
              <code className="font-mono text-xs">npm run orgtrail -- create-admin --email …</code>
            </p>
          </div>
        ) : null}
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-base font-semibold">Sign in to your audit log</h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{sso ? "Use your company account, or your work email and password." : "Use your work email and password."}</p>
          {notes ? (
            <p role="status" data-testid="login-notice" className="mt-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
              {notes}
            </p>
          ) : null}
          <LoginForm initialError={error ?? null} sso={sso} />
        </div>
      </div>
    </main>
  );
}
