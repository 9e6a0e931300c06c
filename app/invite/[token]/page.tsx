import type { Metadata } from "next";
import Link from "next/link";
import { ShieldCheck } from "lucide-react";
import { AcceptInvite } from "@/components/invite/accept-invite";
import { RoleBadge, ROLE_DESCRIPTIONS } from "@/components/settings/ui";
import { describeInvite } from "@/lib/members/invites";
import { sessionUser } from "@/lib/auth/principal";

export const metadata: Metadata = { title: "Join an organization", referrer: "no-referrer" };

const UNUSABLE = {
  expired: "This invite has expired. Ask the person who invited you for a new link.",
  revoked: "This invite was revoked. Ask the person who invited you for a new link.",
  accepted: "This invite has already been used.",
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invite, user] = await Promise.all([describeInvite(token), sessionUser()]);
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4 py-10 dark:bg-zinc-950">
      <div className="w-full max-w-md">
        <div className="mb-8 flex items-center justify-center gap-2 text-lg font-semibold tracking-tight">
          <ShieldCheck className="size-6 text-indigo-600 dark:text-indigo-400" aria-hidden />
          Orgtrail
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {!invite ? (
            <>
              <h1 className="text-base font-semibold">This invite link is not valid</h1>
              <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">Check that you copied the whole link, or ask for a new one.</p>
            </>
          ) : invite.state !== "valid" ? (
            <>
              <h1 className="text-base font-semibold">Join {invite.organization.name}</h1>
              <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400" data-testid="invite-unusable">
                {UNUSABLE[invite.state]}
              </p>
              <Link href="/login" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                Go to sign in
              </Link>
            </>
          ) : (
            <>
              <h1 className="text-base font-semibold">Join {invite.organization.name}&apos;s audit log</h1>
              <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
                {invite.invitedBy ? `${invite.invitedBy} invited ` : "You were invited as "}
                <span className="font-medium text-zinc-800 dark:text-zinc-200">{invite.email}</span>
                {invite.invitedBy ? "." : ""}
              </p>
              <div className="mt-4 flex items-center gap-3 rounded-lg border border-zinc-200 px-3 py-2.5 text-sm dark:border-zinc-800">
                <RoleBadge role={invite.role} />
                <span className="text-zinc-600 dark:text-zinc-400">{ROLE_DESCRIPTIONS[invite.role]}</span>
              </div>
              <AcceptInvite
                token={token}
                email={invite.email}
                organizationName={invite.organization.name}
                accountExists={invite.accountExists}
                signedInAs={user?.email ?? null}
              />
            </>
          )}
        </div>
      </div>
    </main>
  );
}
