"use client";

import { formatDistanceToNowStrict } from "date-fns";
import { MailX } from "lucide-react";
import { revokeInviteAction } from "@/app/orgs/[org]/settings/members/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ghostDangerButton } from "@/components/ui/styles";
import { Card, RoleBadge } from "./ui";

type Invite = { id: string; email: string; role: string; externalId: string | null; invitedBy: string | null; createdAt: string; expiresAt: string };

export function PendingInvites({ org, invites }: { org: string; invites: Invite[] }) {
  return (
    <Card title="Pending invites" description="Links that have not been used yet. Revoke one to make its link stop working.">
      {invites.length === 0 ? (
        <p className="px-5 py-6 text-sm text-zinc-500">No pending invites.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70" data-testid="pending-invites">
          {invites.map((invite) => (
            <li key={invite.id} className="flex flex-wrap items-center gap-3 px-5 py-3 text-sm">
              <div className="min-w-0 flex-1">
                <div className="truncate font-medium">{invite.email}</div>
                <div className="text-xs text-zinc-500">
                  {invite.invitedBy ? `Invited by ${invite.invitedBy} · ` : ""}expires in {formatDistanceToNowStrict(new Date(invite.expiresAt))}
                  {invite.externalId ? (
                    <>
                      {" · "}
                      <span className="font-mono">{invite.externalId}</span>
                    </>
                  ) : null}
                </div>
              </div>
              <RoleBadge role={invite.role} />
              <ConfirmDialog
                trigger={
                  <button type="button" className={ghostDangerButton} aria-label={`Revoke invite for ${invite.email}`}>
                    <MailX className="size-4" aria-hidden /> Revoke
                  </button>
                }
                title={`Revoke the invite for ${invite.email}?`}
                description="The link stops working at once. You can invite them again later."
                confirmLabel="Revoke invite"
                onConfirm={() => revokeInviteAction(org, invite.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
