import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, ShieldCheck } from "lucide-react";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { hasPassword, SINGLE_SIGN_ON_ONLY } from "@/lib/accounts/password-change";
import { requireUser } from "@/lib/access/page-session";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser();
  const canChange = await hasPassword(user.userId);
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4 py-10 dark:bg-zinc-950">
      <div className="w-full max-w-md">
        <div className="mb-8 flex items-center justify-center gap-2 text-lg font-semibold tracking-tight">
          <ShieldCheck className="size-6 text-indigo-600 dark:text-indigo-400" aria-hidden />
          Orgtrail
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-base font-semibold">Change password</h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            Signed in as <span className="font-medium text-zinc-800 dark:text-zinc-200">{user.email}</span>
          </p>
          {canChange ? (
            <ChangePasswordForm />
          ) : (
            <p className="mt-4 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-300" data-testid="password-sso-only">
              {SINGLE_SIGN_ON_ONLY}
            </p>
          )}
        </div>
        <Link href="/" className="mt-4 inline-flex items-center gap-1 text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          <ArrowLeft className="size-4" aria-hidden /> Back to the audit log
        </Link>
      </div>
    </main>
  );
}
