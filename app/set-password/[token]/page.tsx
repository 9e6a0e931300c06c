import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/first-run/auth-shell";
import { SetPasswordForm } from "@/components/first-run/set-password-form";
import { describeSetPasswordToken, SET_PASSWORD_TTL_HOURS, type SetPasswordLinkState } from "@/lib/auth/user-tokens";

export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer", robots: { index: false } };

function unusableReason(state: SetPasswordLinkState | null): string | null {
  if (state === null) return "This link is not valid. Check that you copied all of it.";
  if (state === "used") return "This link was already used. Each link sets a password once.";
  if (state === "expired") return `This link has expired: links are valid for ${SET_PASSWORD_TTL_HOURS} hours.`;
  return null;
}

/** Where a one-time set-password link lands. A link that cannot be used says why, never fails. */
export default async function SetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await describeSetPasswordToken(token);
  const footer = "Setting a password signs this account out everywhere else, and is recorded in the audit log.";
  const unusable = unusableReason(link?.state ?? null);
  if (!link || unusable) {
    return (
      <AuthShell footer={footer}>
        <h1 className="text-base font-semibold">This link cannot be used</h1>
        <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400" data-testid="set-password-unusable">
          {unusable} Ask your administrator for a new one.
        </p>
        <Link href="/login" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Go to sign in
        </Link>
      </AuthShell>
    );
  }
  return (
    <AuthShell footer={footer}>
      <h1 className="text-base font-semibold">Set your password</h1>
      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
        {link.name}, choose the password you will sign in with.
      </p>
      <SetPasswordForm token={token} email={link.email} />
    </AuthShell>
  );
}
